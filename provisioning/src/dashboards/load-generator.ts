/**
 * Load generator: whether k6 produced the load it was asked for. VUs, iterations, dropped
 * iterations (a saturated generator reports good latency for load it never sent), HTTP requests
 * and their failure ratio, checks.
 */
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  K6_BUILTIN_SERIES,
  k6BuiltinByRun,
  k6BuiltinRate,
  k6BuiltinRatioByRun,
  k6DroppedIterationsByRun,
} from '@vigil/scenarios/catalog';
import {
  lowerBound,
  RATE_WINDOW,
  runVariables,
  stat,
  table,
  timeseries,
  upperBound,
  variableMatchers,
} from './common.ts';
import { RUN_BY, RUN_LEGEND } from './k6-panels.ts';
import { build, vigilDashboard } from './layout.ts';

export function loadGeneratorDashboard() {
  const runs = variableMatchers('target', 'testid');
  const dashboard = vigilDashboard(
    'loadGenerator',
    'Did k6 produce the load it was asked for? VUs, iterations, dropped iterations, HTTP requests and failures, checks.',
  ).variables(runVariables(K6_BUILTIN_SERIES.vus));

  dashboard.withRow(new RowBuilder('Per run'));
  dashboard.withPanel(
    stat(
      'Dropped iterations',
      'Iterations k6 could not start because no VU was free: above 0 the generator was saturated, and latency figures describe less load than asked.',
      'short',
      [{ expr: k6DroppedIterationsByRun(runs, RUN_BY), legend: RUN_LEGEND }],
    )
      .thresholds(upperBound(1))
      // k6 only emits the series once it drops something.
      .noValue('0 (none dropped)'),
  );
  dashboard.withPanel(
    stat('Iterations', 'Iterations completed per run.', 'short', [
      { expr: k6BuiltinByRun('iterations', runs, RUN_BY), legend: RUN_LEGEND },
    ]),
  );
  dashboard.withPanel(
    stat('Failed HTTP requests', 'Worst tag set of http_req_failed per run.', 'percentunit', [
      { expr: k6BuiltinRatioByRun('httpReqFailed', 'max', runs, RUN_BY), legend: RUN_LEGEND },
    ]).thresholds(upperBound(0.01)),
  );
  dashboard.withPanel(
    stat('Checks passed', 'Worst tag set of checks per run.', 'percentunit', [
      { expr: k6BuiltinRatioByRun('checks', 'min', runs, RUN_BY), legend: RUN_LEGEND },
    ]).thresholds(lowerBound(0.99)),
  );

  dashboard.withRow(new RowBuilder('Virtual users and iterations'));
  dashboard.withPanel(
    timeseries('VUs', 'Active and allocated virtual users.', 'short', [
      { expr: k6BuiltinByRun('vus', runs, RUN_BY), legend: `${RUN_LEGEND} active` },
      { expr: k6BuiltinByRun('vusMax', runs, RUN_BY), legend: `${RUN_LEGEND} allocated` },
    ]),
  );
  dashboard.withPanel(
    timeseries(
      'Iterations and dropped iterations per second',
      'Rate window; needs runs longer than two push intervals.',
      'ops',
      [
        { expr: k6BuiltinRate('iterations', RATE_WINDOW, runs), legend: '{{target}} iterations' },
        { expr: k6BuiltinRate('droppedIterations', RATE_WINDOW, runs), legend: '{{target}} dropped' },
      ],
    ),
  );
  dashboard.withPanel(
    table(
      'Dropped iterations by scenario (per run)',
      'Which k6 scenario could not keep its arrival rate.',
      'short',
      [{ expr: k6DroppedIterationsByRun(runs, [...RUN_BY, 'scenario']) }],
    ).noValue('None dropped'),
  );

  dashboard.withRow(new RowBuilder('HTTP requests'));
  dashboard.withPanel(
    timeseries(
      'HTTP requests per second',
      'Rate window; needs runs longer than two push intervals.',
      'reqps',
      [{ expr: k6BuiltinRate('httpReqs', RATE_WINDOW, runs), legend: '{{target}}' }],
    ),
  );
  dashboard.withPanel(
    table(
      'HTTP requests and failures (per run)',
      'Requests sent and the worst failure ratio per run.',
      'short',
      [
        { expr: k6BuiltinByRun('httpReqs', runs, RUN_BY), legend: 'requests' },
        { expr: k6BuiltinRatioByRun('httpReqFailed', 'max', runs, RUN_BY), legend: 'failed ratio' },
      ],
    ),
  );
  return build(dashboard);
}
