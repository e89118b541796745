/**
 * Alerts of the synthetic probes and the runner that runs them (group `probe`): failing, stale,
 * tools/list drift, runner errors, credential expiry, runner down.
 */
import {
  RUNNER_SERIES,
  SCRAPE_JOBS,
  probeConsecutiveFailures,
  probeTokenExpiry,
  probeToolsDrift,
  scrapeUp,
  selector,
} from '@vigil/scenarios/catalog';
import type { AlertDef } from './alert-def.ts';
import {
  PROBE_FAILING_RUNS,
  PROBE_STALE_INTERVALS,
  SCRAPE_DOWN_FOR,
  TOKEN_EXPIRY_CRITICAL_SECONDS,
  TOKEN_EXPIRY_WARNING_SECONDS,
  TOOLS_DRIFT_WINDOW,
  type Severity,
} from './settings.ts';
import { label, text, value } from './template.ts';

export const PROBE_VARS = ['target', 'probe'];

export function probeAlerts(): AlertDef[] {
  // The alert's value is the count of failed runs in a row; its `step` label comes from the last
  // run's failed steps, or is "none" when the walk failed without one (e.g. the run timed out).
  // Raw series on the left keep the runner's `job` and `instance` labels on the alert.
  const failingRuns = `(${probeConsecutiveFailures()} >= ${PROBE_FAILING_RUNS})`;
  const failedSteps = `(${selector(RUNNER_SERIES.probeStepSuccess)} == 0)`;
  const failingWithStep = `(${failedSteps} * 0 + on (probe, target) group_left () ${failingRuns})`;
  const failingWithoutStep = `label_replace((${selector(RUNNER_SERIES.probeConsecutiveFailures)} >= ${PROBE_FAILING_RUNS}) unless on (probe, target) ${failedSteps}, "step", "none", "__name__", ".*")`;
  const lastRun = `max by (probe, target) (${selector(RUNNER_SERIES.probeLastRun)})`;
  const interval = `max by (probe, target) (${selector(RUNNER_SERIES.probeInterval)})`;
  const runnerUptime = `(time() - max(${selector('process_start_time_seconds', { job: SCRAPE_JOBS.runner })}))`;
  const neverRan = `((${interval} * 0 + on () group_left () ${runnerUptime}) > on (probe, target) (${PROBE_STALE_INTERVALS} * ${interval}) unless on (probe, target) (${lastRun} > 0))`;
  const expiry = (severity: Severity, below: number): AlertDef => ({
    group: 'probe',
    alert: 'VigilProbeCredentialExpiring',
    expr: `${probeTokenExpiry()} < ${below}`,
    for: SCRAPE_DOWN_FOR,
    labels: { severity },
    summary: [
      text('Probe '),
      label('probe'),
      text(' credential for '),
      label('target'),
      text(' expires soon'),
    ],
    description: [
      text('The credential (token or client secret) probe '),
      label('probe'),
      text(' uses expires in '),
      value('humanizeDuration'),
      text('; renew it before the probe starts failing.'),
    ],
    dashboard: 'probes',
    dashboardVars: PROBE_VARS,
  });
  return [
    {
      group: 'probe',
      alert: 'VigilProbeFailing',
      expr: `${failingWithStep} or ${failingWithoutStep}`,
      for: '0s',
      labels: { severity: 'critical' },
      summary: [
        text('Probe '),
        label('probe'),
        text(' failing against '),
        label('target'),
        text(' at step '),
        label('step'),
      ],
      description: [
        text('Probe '),
        label('probe'),
        text(' has failed its last '),
        value('humanize'),
        text(` runs in a row (alerts from ${PROBE_FAILING_RUNS}); failed step: `),
        label('step'),
        text('.'),
      ],
      dashboard: 'probes',
      dashboardVars: PROBE_VARS,
    },
    {
      group: 'probe',
      alert: 'VigilProbeStale',
      expr: `((time() - ${lastRun}) > on (probe, target) (${PROBE_STALE_INTERVALS} * ${interval})) or ${neverRan}`,
      for: '0s',
      labels: { severity: 'warning' },
      summary: [
        text('Probe '),
        label('probe'),
        text(' against '),
        label('target'),
        text(' has no recent result'),
      ],
      description: [
        text('No result from probe '),
        label('probe'),
        text(' for '),
        value('humanizeDuration'),
        text(` (more than ${PROBE_STALE_INTERVALS}× its interval): the runner is not running it.`),
      ],
      dashboard: 'probes',
      dashboardVars: PROBE_VARS,
    },
    {
      group: 'probe',
      alert: 'VigilProbeToolsDrift',
      expr: `(${probeToolsDrift(TOOLS_DRIFT_WINDOW)} > 0) or (max by (probe, target) (${RUNNER_SERIES.probeToolsHashChanges}) > 0 unless on (probe, target) max by (probe, target) (${RUNNER_SERIES.probeToolsHashChanges} offset ${TOOLS_DRIFT_WINDOW}))`,
      for: '0s',
      labels: { severity: 'warning' },
      summary: [text('tools/list of '), label('target'), text(' changed')],
      description: [
        text('Probe '),
        label('probe'),
        text(' saw the tools/list hash change '),
        value('humanize'),
        text(` time(s) in the last ${TOOLS_DRIFT_WINDOW}: a tool was added, removed or changed its schema.`),
      ],
      dashboard: 'probes',
      dashboardVars: PROBE_VARS,
    },
    {
      // The runner, not the target: no k6, secrets it cannot open, a refused URL (reason label).
      // It inhibits VigilProbeStale and VigilProbeFailing of the same probe (alertmanager.yml).
      group: 'probe',
      alert: 'VigilProbeRunnerError',
      expr: `${selector(RUNNER_SERIES.probeRunnerError)} > 0`,
      for: '0s',
      labels: { severity: 'warning' },
      summary: [
        text('Vigil cannot run probe '),
        label('probe'),
        text(' against '),
        label('target'),
        text(': '),
        label('reason'),
      ],
      description: [
        text('The runner could not run probe '),
        label('probe'),
        text(' (reason '),
        label('reason'),
        text(`, ${RUNNER_SERIES.probeRunnerError} = `),
        value('humanize'),
        text(
          "): this is the runner's problem, not the target's, and says nothing about the target. The runner log and its /readyz name what to fix (install k6 or set K6_BIN; start the runner with the VIGIL_SECRET_KEY the secrets were stored with, or enter them again; allow the host).",
        ),
      ],
      dashboard: 'probes',
      dashboardVars: PROBE_VARS,
    },
    {
      // Spec deviations a real client survives (the walk passes): a ticket, never a page.
      group: 'probe',
      alert: 'VigilProbeSpecFindings',
      expr: `max by (probe, target) (${selector(RUNNER_SERIES.probeFindings, { severity: 'high' })}) > 0`,
      for: '0s',
      labels: { severity: 'warning' },
      summary: [
        label('target'),
        text(' deviates from the MCP authorization spec (high findings from probe '),
        label('probe'),
        text(')'),
      ],
      description: [
        text('The last walk of probe '),
        label('probe'),
        text(' saw '),
        value('humanize'),
        text(
          ' high-severity spec finding(s) against the target: real clients may still get through, stricter ones will not. The probe result lists each finding with its evidence and fix (`vigil probe`, the runner API, the Probes dashboard).',
        ),
      ],
      dashboard: 'probes',
      dashboardVars: PROBE_VARS,
    },
    expiry('warning', TOKEN_EXPIRY_WARNING_SECONDS),
    expiry('critical', TOKEN_EXPIRY_CRITICAL_SECONDS),
    {
      group: 'probe',
      alert: 'VigilRunnerDown',
      expr: `${scrapeUp('runner')} == 0`,
      for: SCRAPE_DOWN_FOR,
      labels: { severity: 'critical', probe: 'all', target: 'all' },
      summary: [text('Vigil runner '), label('instance'), text(' is down')],
      description: [
        text(`Prometheus cannot scrape the runner (up = `),
        value('humanize'),
        text('): no probe runs and no load test can start.'),
      ],
      dashboard: 'probes',
      dashboardVars: [],
    },
  ];
}
