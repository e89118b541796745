/**
 * Alert rules generated from the catalog. Thresholds come from SLOS (scenarios/catalog/slos.ts);
 * timing and policy knobs from settings.ts. Every alert carries `severity`, `flow` or `probe`,
 * `target`, a summary, a description with the value, and a `dashboard` link.
 */
import {
  DASHBOARDS,
  K6_BUILTIN_SERIES,
  K6_METRICS,
  RECORDED_SERIES,
  RUNNER_SERIES,
  SCRAPE_JOBS,
  SLOS,
  slosOfKind,
  flowLatencySeries,
  probeConsecutiveFailures,
  probeFailureRatioSeries,
  probeTokenExpiry,
  probeToolsDrift,
  scrapeUp,
  selector,
  withTargetLabel,
  type DashboardKey,
  type Flow,
  type Slo,
} from '@vigil/scenarios/catalog';
import { availabilitySlo, burnRate, burnRateThreshold } from './burnRate.ts';
import { promNumber } from './rules.ts';
import {
  BURN_RATE_INTERVAL,
  BURN_RATE_POLICIES,
  FAST_INTERVAL,
  PROBE_FAILING_RUNS,
  PROBE_STALE_INTERVALS,
  RESOURCE_FOR,
  SCRAPED_INTERVAL,
  SCRAPE_DOWN_FOR,
  SLO_FOR,
  TOKEN_EXPIRY_CRITICAL_SECONDS,
  TOKEN_EXPIRY_WARNING_SECONDS,
  TOOLS_DRIFT_WINDOW,
  type Severity,
} from './settings.ts';
import { grafanaUrl, label, text, value, type Template } from './template.ts';

export type AlertGroupId = 'k6' | 'probe' | 'target' | 'burn';

export interface AlertDef {
  group: AlertGroupId;
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string> & { severity: Severity };
  summary: Template;
  description: Template;
  dashboard: DashboardKey;
  /** Labels passed to the dashboard as `var-<label>`. */
  dashboardVars: string[];
}

export const ALERT_GROUP_INTERVALS: Record<AlertGroupId, string> = {
  k6: FAST_INTERVAL,
  probe: SCRAPED_INTERVAL,
  target: SCRAPED_INTERVAL,
  burn: BURN_RATE_INTERVAL,
};

export function dashboardLink(def: Pick<AlertDef, 'dashboard' | 'dashboardVars'>): Template {
  const parts: Template = [grafanaUrl, text(`/d/${DASHBOARDS[def.dashboard].uid}`)];
  def.dashboardVars.forEach((name, index) =>
    parts.push(text(`${index === 0 ? '?' : '&'}var-${name}=`), label(name)),
  );
  return parts;
}

const FLOW_DASHBOARD: Partial<Record<Flow, DashboardKey>> = { tool_execution: 'mcp', streaming: 'mcp' };
const RUN_VARS = ['target', 'testid'];
/** k6 SLO alerts are for load runs; probes have their own alerts and a one-sample p95 is noise. */
const NOT_PROBE = { kind: { op: '!=', value: 'probe' } } as const;

function latencySloAlerts(): AlertDef[] {
  return (SLOS as readonly Slo[]).flatMap((slo) => {
    if (slo.indicator.kind !== 'latency') return [];
    const { metric, quantile, maxMs } = slo.indicator;
    const pct = `p${promNumber(quantile * 100)}`;
    return [
      {
        group: 'k6',
        alert: 'VigilFlowLatencySloBreach',
        expr: `${selector(flowLatencySeries(quantile), { slo: slo.id, ...NOT_PROBE })} > ${promNumber(maxMs / 1000)}`,
        for: SLO_FOR,
        labels: { severity: 'warning', slo: slo.id },
        summary: [text(`${slo.flow} ${pct} above its SLO on `), label('target')],
        description: [
          text(`Run `),
          label('testid'),
          text(' ('),
          label('profile'),
          text(`): ${pct} of ${K6_METRICS[metric].name} is `),
          value('humanizeDuration'),
          text(`, objective < ${maxMs} ms (SLO ${slo.id}: ${slo.title}).`),
        ],
        dashboard: FLOW_DASHBOARD[slo.flow] ?? 'oauth',
        dashboardVars: RUN_VARS,
      },
    ];
  });
}

function successRatioAlerts(): AlertDef[] {
  return (SLOS as readonly Slo[]).flatMap((slo) => {
    if (slo.indicator.kind !== 'success_ratio') return [];
    const { metric, objective } = slo.indicator;
    return [
      {
        group: 'k6',
        alert: 'VigilSuccessRatioBelowObjective',
        expr: `${selector(RECORDED_SERIES.successRatio, { slo: slo.id, ...NOT_PROBE })} < ${promNumber(objective)}`,
        for: SLO_FOR,
        labels: { severity: 'critical', slo: slo.id },
        summary: [
          text(`${K6_METRICS[metric].name} below ${promNumber(objective * 100)}% for flow `),
          label('flow'),
          text(' on '),
          label('target'),
        ],
        description: [
          text('Run '),
          label('testid'),
          text(' ('),
          label('profile'),
          text(`): the worst tag set of ${K6_METRICS[metric].name} succeeds `),
          value('humanizePercentage'),
          text(`, objective ≥ ${promNumber(objective * 100)}% (SLO ${slo.id}: ${slo.title}).`),
        ],
        dashboard: metric === 'mcpSuccess' ? 'mcp' : 'oauth',
        dashboardVars: RUN_VARS,
      },
    ];
  });
}

function loadGeneratorAlert(): AlertDef {
  return {
    group: 'k6',
    alert: 'VigilLoadGeneratorSaturated',
    expr: `${selector(RECORDED_SERIES.droppedIterations, NOT_PROBE)} > 0`,
    for: SLO_FOR,
    labels: { severity: 'warning' },
    summary: [text('k6 could not produce the requested load against '), label('target')],
    description: [
      text('Run '),
      label('testid'),
      text(' scenario '),
      label('scenario'),
      text(' dropped '),
      value('humanize'),
      text(
        ` iterations (${K6_BUILTIN_SERIES.droppedIterations}): the load generator ran out of VUs or CPU, so this run's latency figures do not describe the load asked for.`,
      ),
    ],
    dashboard: 'loadGenerator',
    dashboardVars: RUN_VARS,
  };
}

const PROBE_VARS = ['target', 'probe'];

function probeAlerts(): AlertDef[] {
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

function resourceAlerts(): AlertDef[] {
  const stressActive = `count by (target) (${selector(K6_BUILTIN_SERIES.vus, { profile: 'stress' })})`;
  const defs: AlertDef[] = [];
  for (const slo of SLOS as readonly Slo[]) {
    const i = slo.indicator;
    if (i.kind !== 'resource') continue;
    const series =
      i.resource === 'rss_bytes' ? RECORDED_SERIES.targetResidentMemory : RECORDED_SERIES.targetCpuRatio;
    const format = i.resource === 'rss_bytes' ? 'humanize1024' : 'humanizePercentage';
    const shown = (v: number) =>
      i.resource === 'rss_bytes' ? `${promNumber(v / 1024 / 1024)} MiB` : `${promNumber(v * 100)}%`;
    const what = i.resource === 'rss_bytes' ? 'resident memory' : 'CPU';
    for (const [severity, bound, condition] of [
      ['warning', i.max, ` unless on (target) ${stressActive}`],
      ['critical', i.maxUnderStress, ''],
    ] as const) {
      defs.push({
        group: 'target',
        alert: i.resource === 'rss_bytes' ? 'VigilTargetMemoryHigh' : 'VigilTargetCpuHigh',
        expr: `(${series} > ${promNumber(bound)})${condition}`,
        for: RESOURCE_FOR,
        labels: { severity, flow: slo.flow },
        summary: [text(`Target `), label('target'), text(` ${what} above ${shown(bound)}`)],
        description: [
          text(`${what} of `),
          label('instance'),
          text(' is '),
          value(format),
          text(
            `, bound ${shown(bound)}${severity === 'warning' ? ' outside stress runs' : ' even under stress'} (SLO ${slo.id}: ${slo.title}).`,
          ),
        ],
        dashboard: 'targetResources',
        dashboardVars: ['target'],
      });
    }
  }
  return defs;
}

function targetAlerts(): AlertDef[] {
  const sessionStore = slosOfKind('target_latency')[0];
  const defs: AlertDef[] = [
    {
      group: 'target',
      alert: 'VigilTargetDown',
      expr: `${withTargetLabel((m) => `max by (target, instance) (${scrapeUp('target', m)})`)} == 0`,
      for: SCRAPE_DOWN_FOR,
      labels: { severity: 'critical', flow: 'server_resources' },
      summary: [text('Target '), label('target'), text(' is down')],
      description: [
        text('Prometheus cannot scrape '),
        label('instance'),
        text(' (up = '),
        value('humanize'),
        text('); its SLO alerts are silenced while it is down.'),
      ],
      dashboard: 'targetResources',
      dashboardVars: ['target'],
    },
    ...resourceAlerts(),
  ];
  if (sessionStore) {
    const { maxMs } = sessionStore.indicator;
    defs.push({
      group: 'target',
      alert: 'VigilSessionStoreSlow',
      expr: `${RECORDED_SERIES.sessionStoreP95} > ${promNumber(maxMs / 1000)}`,
      for: RESOURCE_FOR,
      labels: { severity: 'warning', flow: sessionStore.flow },
      summary: [text('Session store of '), label('target'), text(' is slow')],
      description: [
        text('Redis operation p95 is '),
        value('humanizeDuration'),
        text(`, objective < ${maxMs} ms (SLO ${sessionStore.id}: ${sessionStore.title}).`),
      ],
      dashboard: 'targetResources',
      dashboardVars: ['target'],
    });
  }
  return defs;
}

function burnRateAlerts(): AlertDef[] {
  const slo = availabilitySlo();
  return BURN_RATE_POLICIES.map((policy) => {
    const threshold = promNumber(burnRateThreshold(policy, slo));
    const burn = promNumber(burnRate(policy, slo));
    return {
      group: 'burn',
      alert: 'VigilProbeErrorBudgetBurn',
      expr: `${probeFailureRatioSeries(policy.long)} > ${threshold} and ${probeFailureRatioSeries(policy.short)} > ${threshold}`,
      for: policy.for,
      labels: {
        severity: policy.severity,
        slo: slo.id,
        long_window: policy.long,
        short_window: policy.short,
      },
      summary: [
        text('Probe '),
        label('probe'),
        text(` burns its error budget ${burn}× too fast on `),
        label('target'),
      ],
      description: [
        text(`Failure ratio `),
        value('humanizePercentage'),
        text(` over ${policy.long} (and over ${policy.short}) exceeds ${burn}× the budget of ${slo.id} `),
        text(
          `(${promNumber(slo.indicator.objective * 100)}% over ${slo.indicator.windowDays} d): ${promNumber(policy.budgetFraction * 100)}% of the budget gone in ${policy.long}.`,
        ),
      ],
      dashboard: 'probes',
      dashboardVars: PROBE_VARS,
    };
  });
}

export function alertDefinitions(): AlertDef[] {
  return [
    ...latencySloAlerts(),
    ...successRatioAlerts(),
    loadGeneratorAlert(),
    ...probeAlerts(),
    ...targetAlerts(),
    ...burnRateAlerts(),
  ];
}
