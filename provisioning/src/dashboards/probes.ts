/**
 * Probes: the runner's gauges from each credentialed walk (scraped from its /metrics, so these
 * are continuous series): status by probe, target and step, step durations, last success,
 * availability against its objective, tools/list drift and credential expiry.
 */
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  PROBE_FAILING_RUNS,
  RUNNER_SERIES,
  probeAvailability,
  probeConsecutiveFailures,
  probeFindings,
  probeRunnerError,
  probeDuration,
  probeFailedSteps,
  probeSecondsSinceLastRun,
  probeSecondsSinceLastSuccess,
  probeStepDuration,
  probeStepSuccess,
  probeSuccess,
  probeTokenExpiry,
  probeToolsDrift,
} from '@vigil/scenarios/catalog';
import {
  labelValuesVariable,
  lowerBound,
  RANGE_WINDOW,
  stat,
  stateTimeline,
  statusMappings,
  flagMappings,
  table,
  thresholds,
  timeseries,
  upperBound,
  variableMatchers,
} from './common.ts';
import { build, vigilDashboard } from './layout.ts';
import { availabilityObjective, formatPercent } from './slos.ts';

const PROBE_LEGEND = '{{probe}} {{target}}';

export function probesDashboard() {
  const probes = variableMatchers('target', 'probe');
  const availability = availabilityObjective();
  const dashboard = vigilDashboard(
    'probes',
    'Synthetic probes run by the Vigil runner: status by probe, target and step, step durations, last success, availability, tools/list drift, credential expiry.',
  ).variables([
    labelValuesVariable('target', 'target', RUNNER_SERIES.probeSuccess, {
      description: 'The probed system (runner target name)',
    }),
    labelValuesVariable('probe', 'probe', RUNNER_SERIES.probeSuccess, {
      dependsOn: ['target'],
      description: 'A scheduled probe',
    }),
  ]);

  dashboard.withRow(new RowBuilder('Status'));
  dashboard.withPanel(
    stat('Probe status (last run)', 'Latest result of each probe: 1 success, 0 failure.', 'none', [
      { expr: probeSuccess(probes), legend: PROBE_LEGEND },
    ])
      .mappings(statusMappings('OK', 'FAILING'))
      .thresholds(lowerBound(1))
      .span(5),
  );
  dashboard.withPanel(
    stat(
      'Availability over the selected range',
      `Mean probe success; the SLO asks ≥ ${formatPercent(availability.objective)} over ${availability.windowDays} days.`,
      'percentunit',
      [{ expr: probeAvailability(RANGE_WINDOW, probes), legend: PROBE_LEGEND }],
    )
      .thresholds(lowerBound(availability.objective))
      .decimals(2)
      .span(5),
  );
  dashboard.withPanel(
    stat(
      'Failed runs in a row',
      `Consecutive failed runs of each probe, back to 0 after a success; VigilProbeFailing fires from ${PROBE_FAILING_RUNS}.`,
      'short',
      [{ expr: probeConsecutiveFailures(probes), legend: PROBE_LEGEND }],
    )
      .thresholds(upperBound(PROBE_FAILING_RUNS))
      .span(5),
  );
  dashboard.withPanel(
    stat(
      'Runner can run it',
      'RUNNER ERROR (with its reason) when the runner itself could not run the last walk: no k6, secrets it cannot open, a refused URL. Says nothing about the target; VigilProbeRunnerError fires.',
      'none',
      [{ expr: probeRunnerError(probes), legend: `${PROBE_LEGEND} · {{reason}}` }],
    )
      .mappings(flagMappings('OK', 'RUNNER ERROR'))
      .thresholds(upperBound(1))
      .span(4),
  );
  dashboard.withPanel(
    stat(
      'Since last success',
      'Seconds since each probe last succeeded within the selected range (empty: none in range).',
      's',
      [{ expr: probeSecondsSinceLastSuccess(RANGE_WINDOW, probes), legend: PROBE_LEGEND }],
    ).span(5),
  );
  dashboard.withPanel(
    stateTimeline(
      'Probe status over time',
      'probe_success as scraped from the runner; red stretches are failing runs.',
      [{ expr: probeSuccess(probes), legend: PROBE_LEGEND }],
      statusMappings('OK', 'FAILING'),
    ).thresholds(lowerBound(1)),
  );
  dashboard.withPanel(
    table(
      'Step status (last run)',
      "Result of every step of each probe's last walk: 1 ok, 0 failed.",
      'none',
      [{ expr: probeStepSuccess(probes) }],
    ).mappings(statusMappings('ok', 'failed')),
  );
  dashboard.withPanel(
    table('Failing steps', 'Steps that failed in the last run of a probe that is failing now.', 'none', [
      { expr: probeFailedSteps(probes) },
    ])
      .noValue('No probe failing')
      .mappings(statusMappings('ok', 'failed')),
  );

  dashboard.withPanel(
    table(
      'Spec findings (last walk)',
      'Deviations from the MCP authorization spec the last walk saw, by severity. They do not fail the walk (only in strict mode); VigilProbeSpecFindings fires on high ones. Each finding, with its evidence and fix, is on the probe result (runner API, vigil probe).',
      'none',
      [{ expr: probeFindings(probes) }],
    ).span(24),
  );

  dashboard.withRow(new RowBuilder('Durations'));
  dashboard.withPanel(
    timeseries('Step durations', 'Duration of each step of the last walk.', 's', [
      { expr: probeStepDuration(probes), legend: '{{probe}} {{step}}' },
    ]),
  );
  dashboard.withPanel(
    timeseries('Walk duration', 'Duration of each whole probe run.', 's', [
      { expr: probeDuration(probes), legend: PROBE_LEGEND },
    ]),
  );

  dashboard.withRow(new RowBuilder('Freshness, drift and credentials'));
  dashboard.withPanel(
    stat(
      'Since last run',
      'Seconds since each probe last ran; much more than its interval means the probe is stale.',
      's',
      [{ expr: probeSecondsSinceLastRun(probes), legend: PROBE_LEGEND }],
    ),
  );
  dashboard.withPanel(
    stat(
      'tools/list changes',
      'Times the tool list changed (hash of tools/list) over the selected range.',
      'short',
      [{ expr: probeToolsDrift(RANGE_WINDOW, probes), legend: PROBE_LEGEND }],
    ).thresholds(upperBound(1)),
  );
  dashboard.withPanel(
    stat(
      'Credential expires in',
      'Seconds until the access token or client secret a probe uses expires.',
      's',
      [{ expr: probeTokenExpiry(probes), legend: PROBE_LEGEND }],
    )
      .thresholds(
        thresholds([
          { value: null, color: 'red' },
          { value: 24 * 3600, color: 'orange' },
          { value: 7 * 24 * 3600, color: 'green' },
        ]),
      )
      .span(12),
  );
  return build(dashboard);
}
