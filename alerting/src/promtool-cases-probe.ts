/**
 * promtool cases of the probe alerts (failing, stale, drift, credential expiry, burn rates), on
 * the runner's gauges as Prometheus scrapes them. Split from promtool-cases.ts to keep each file
 * readable; the case shape is in promtool-case.ts.
 */
import { RUNNER_SERIES, SCRAPE_JOBS, probeFailureRatioSeries, selector } from '@vigil/scenarios/catalog';
import { availabilitySlo, burnRateThreshold } from './burn-rate.ts';
import { JUST_UNDER, type AlertCase } from './promtool-case.ts';
import {
  BURN_RATE_POLICIES,
  PROBE_FAILING_RUNS,
  PROBE_STALE_INTERVALS,
  TOKEN_EXPIRY_CRITICAL_SECONDS,
  TOKEN_EXPIRY_WARNING_SECONDS,
} from './settings.ts';

export const PROBE = { job: SCRAPE_JOBS.runner, instance: 'runner:8090', probe: 'demo-walk', target: 'demo' };

/** The credential of the walk expires in `seconds`, down from comfortably above the warning bound. */
function expiryCase(name: string, fires: AlertCase['fires'], seconds: number): AlertCase {
  return {
    alert: 'VigilProbeCredentialExpiring',
    name,
    fires,
    interval: '15s',
    inputs: [
      {
        series: selector(RUNNER_SERIES.probeTokenExpiry, PROBE),
        under: { gauge: TOKEN_EXPIRY_WARNING_SECONDS + 60 },
        breach: { gauge: seconds },
      },
    ],
    labels: { probe: PROBE.probe, target: PROBE.target },
    value: seconds,
  };
}

export function probeCases(): AlertCase[] {
  const interval = 10;
  const expiryLabels = { probe: PROBE.probe, target: PROBE.target };
  const burnSlo = availabilitySlo();
  return [
    {
      alert: 'VigilProbeFailing',
      name: `token step fails ${PROBE_FAILING_RUNS} runs in a row`,
      fires: ['critical'],
      interval: '10s',
      // Just under: one failed run (a blip) with the same failed step stays quiet.
      inputs: [
        {
          series: selector(RUNNER_SERIES.probeConsecutiveFailures, PROBE),
          under: { gauge: PROBE_FAILING_RUNS - 1 },
          breach: { gauge: PROBE_FAILING_RUNS },
          recover: { gauge: 0 },
        },
        {
          series: selector(RUNNER_SERIES.probeStepSuccess, { ...PROBE, step: 'token' }),
          under: { gauge: 0 },
          breach: { gauge: 0 },
          recover: { gauge: 1 },
        },
        {
          series: selector(RUNNER_SERIES.probeStepSuccess, { ...PROBE, step: 'discovery' }),
          under: { gauge: 1 },
          breach: { gauge: 1 },
        },
      ],
      labels: { ...PROBE, step: 'token' },
      value: PROBE_FAILING_RUNS,
    },
    {
      alert: 'VigilProbeFailing',
      name: 'failures without a failed step',
      fires: ['critical'],
      interval: '10s',
      inputs: [
        {
          series: selector(RUNNER_SERIES.probeConsecutiveFailures, PROBE),
          under: { gauge: PROBE_FAILING_RUNS - 1 },
          breach: { gauge: PROBE_FAILING_RUNS + 1 },
          recover: { gauge: 0 },
        },
        {
          series: selector(RUNNER_SERIES.probeStepSuccess, { ...PROBE, step: 'discovery' }),
          under: { gauge: 1 },
          breach: { gauge: 1 },
        },
      ],
      labels: { ...PROBE, step: 'none' },
      value: PROBE_FAILING_RUNS + 1,
    },
    {
      alert: 'VigilProbeRunnerError',
      name: 'the runner cannot run the probe (k6 missing)',
      fires: ['warning'],
      interval: '10s',
      // Under: the runner could run it (reason "none", 0); breach: it cannot; recover: it can again.
      inputs: [
        {
          series: selector(RUNNER_SERIES.probeRunnerError, { ...PROBE, reason: 'none' }),
          under: { gauge: 0 },
          breach: { gauge: 0 },
          recover: { gauge: 0 },
        },
        {
          series: selector(RUNNER_SERIES.probeRunnerError, { ...PROBE, reason: 'k6_missing' }),
          under: { gauge: 0 },
          breach: { gauge: 1 },
          recover: { gauge: 0 },
        },
      ],
      labels: { ...PROBE, reason: 'k6_missing' },
      value: 1,
    },
    {
      alert: 'VigilProbeSpecFindings',
      name: 'a high finding appears, then is gone (medium ones alone stay quiet)',
      fires: ['warning'],
      interval: '10s',
      inputs: [
        {
          series: selector(RUNNER_SERIES.probeFindings, { ...PROBE, severity: 'high' }),
          under: { gauge: 0 },
          breach: { gauge: 2 },
          recover: { gauge: 0 },
        },
        {
          series: selector(RUNNER_SERIES.probeFindings, { ...PROBE, severity: 'medium' }),
          under: { gauge: 3 },
          breach: { gauge: 3 },
          recover: { gauge: 3 },
        },
      ],
      labels: { probe: PROBE.probe, target: PROBE.target },
      value: 2,
    },
    {
      alert: 'VigilProbeStale',
      name: `no result for more than ${PROBE_STALE_INTERVALS} intervals`,
      fires: ['warning'],
      interval: '10s',
      inputs: [
        {
          series: selector(RUNNER_SERIES.probeInterval, PROBE),
          under: { gauge: interval },
          breach: { gauge: interval },
        },
        // Under: the last result is always 2.5 intervals old (just under 3); breach: no new result.
        {
          series: selector(RUNNER_SERIES.probeLastRun, PROBE),
          under: { perStep: 10, from: -2.5 * interval },
          breach: { perStep: 0 },
          recover: { gauge: 10_000 },
        },
      ],
      labels: expiryLabels,
      // The timestamp freezes at the value it would have had at the breach start.
      value: (evalSeconds, breachStart) => evalSeconds - (breachStart - 2.5 * interval),
    },
    {
      alert: 'VigilProbeStale',
      name: 'never ran since the runner started',
      fires: ['warning'],
      interval: '10s',
      inputs: [
        {
          series: selector(RUNNER_SERIES.probeInterval, PROBE),
          under: { gauge: interval },
          breach: { gauge: interval },
        },
        // Under: the runner (re)started 2.5 intervals ago; breach: it keeps running, the probe never does.
        {
          series: selector('process_start_time_seconds', { job: PROBE.job, instance: PROBE.instance }),
          under: { perStep: 10, from: -2.5 * interval },
          breach: { perStep: 0 },
          recover: { gauge: 10_000 },
        },
      ],
      labels: expiryLabels,
      value: (evalSeconds, breachStart) => evalSeconds - (breachStart - 2.5 * interval),
    },
    {
      alert: 'VigilProbeToolsDrift',
      name: 'tools/list hash changed',
      fires: ['warning'],
      interval: '1m',
      clears: '15m',
      inputs: [
        {
          series: selector(RUNNER_SERIES.probeToolsHashChanges, PROBE),
          under: { gauge: 0 },
          breach: { gauge: 1 },
          recover: { gauge: 1 },
        },
      ],
      labels: expiryLabels,
      value: 1,
    },
    expiryCase('expires within a day', ['warning'], TOKEN_EXPIRY_WARNING_SECONDS / 2),
    expiryCase(
      'expires within the critical bound',
      ['warning', 'critical'],
      TOKEN_EXPIRY_CRITICAL_SECONDS / 2,
    ),
    {
      alert: 'VigilRunnerDown',
      name: 'runner scrape fails',
      fires: ['critical'],
      interval: '15s',
      inputs: [
        {
          series: selector('up', { job: SCRAPE_JOBS.runner, instance: PROBE.instance }),
          under: { gauge: 1 },
          breach: { gauge: 0 },
        },
      ],
      labels: { job: SCRAPE_JOBS.runner, instance: PROBE.instance },
      value: 0,
    },
    ...BURN_RATE_POLICIES.map((policy): AlertCase => {
      const threshold = burnRateThreshold(policy, burnSlo);
      const probeLabels = { probe: PROBE.probe, target: PROBE.target };
      return {
        alert: 'VigilProbeErrorBudgetBurn',
        name: `${policy.long}/${policy.short} burn`,
        fires: [policy.severity],
        match: (def) => def.labels.long_window === policy.long,
        interval: '30s',
        inputs: [
          {
            series: selector(probeFailureRatioSeries(policy.long), probeLabels),
            under: { gauge: threshold * JUST_UNDER },
            breach: { gauge: threshold * 2 },
          },
          {
            series: selector(probeFailureRatioSeries(policy.short), probeLabels),
            under: { gauge: threshold * 3 },
            breach: { gauge: threshold * 3 },
          },
        ],
        labels: probeLabels,
        value: threshold * 2,
      };
    }),
  ];
}
