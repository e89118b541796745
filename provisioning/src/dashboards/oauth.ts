/**
 * OAuth flows: per-flow latency percentiles against the SLO line, success ratio against its
 * objective, errors by step and reason, and throughput. Per-run panels read the cumulative values
 * k6 pushes (filtered by testid); the windowed panels need runs longer than two push intervals.
 */
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { K6_METRICS, k6QuantileByRun, k6TrendCountByRun, k6TrendThroughput } from '@vigil/scenarios/catalog';
import {
  againstObjective,
  msToSeconds,
  RATE_WINDOW,
  runVariables,
  table,
  timeseries,
  variableMatchers,
} from './common.ts';
import { latencyStat, RUN_BY, successStat, withSuccessAndErrors } from './k6-panels.ts';
import { build, vigilDashboard } from './layout.ts';
import { latencySlos, quantileLabel } from './slos.ts';

const QUANTILES = [0.5, 0.95, 0.99] as const;

export function oauthDashboard() {
  const runs = variableMatchers('target', 'testid');
  const flows = latencySlos('oauth_');
  const dashboard = vigilDashboard(
    'oauth',
    'OAuth 2.1 + PKCE flows measured by k6: latency percentiles per flow against their SLOs, success, errors by step and reason, throughput.',
  ).variables(runVariables(K6_METRICS.oauthSuccess.series));

  dashboard.withRow(new RowBuilder('Per run: SLOs at a glance'));
  for (const slo of flows) dashboard.withPanel(latencyStat(slo, runs));
  dashboard.withPanel(successStat('oauthSuccess', 'OAuth', runs));

  dashboard.withRow(new RowBuilder('Latency per flow against its SLO'));
  for (const slo of flows) {
    const { metric, quantile, maxMs } = slo.indicator;
    dashboard.withPanel(
      againstObjective(
        `${slo.flow}: p50 / p95 / p99`,
        `${K6_METRICS[metric].help}. Cumulative over each run (what k6's threshold sees). ${slo.title}.`,
        's',
        QUANTILES.map((q) => ({
          expr: k6QuantileByRun(metric, q, runs, RUN_BY),
          legend: `{{target}} {{testid}} ${quantileLabel(q)}`,
        })),
        { value: msToSeconds(maxMs), label: `SLO ${quantileLabel(quantile)} < ${maxMs} ms`, kind: 'max' },
      ),
    );
  }

  withSuccessAndErrors(dashboard, { success: 'oauthSuccess', errors: 'oauthErrors' }, 'OAuth', runs);

  dashboard.withRow(new RowBuilder('Throughput'));
  dashboard.withPanel(
    table(
      'Completed operations per flow (per run)',
      'Observations of each flow trend per run.',
      'short',
      flows.map((slo) => ({ expr: k6TrendCountByRun(slo.indicator.metric, runs, RUN_BY), legend: slo.flow })),
    ),
  );
  dashboard.withPanel(
    timeseries(
      'Operations per second per flow',
      'Throughput in each rate window; needs runs longer than two push intervals.',
      'reqps',
      flows.map((slo) => ({
        expr: k6TrendThroughput(slo.indicator.metric, RATE_WINDOW, runs),
        legend: `{{target}} ${slo.flow}`,
      })),
    ),
  );
  return build(dashboard);
}
