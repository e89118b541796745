/**
 * Panels the k6-fed dashboards (OAuth flows, MCP) share: a per-run stat for a latency SLO, the
 * success ratio against its objective, and errors by step and reason.
 */
import { RowBuilder, type DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  K6_METRICS,
  k6ErrorsByStepReason,
  k6ErrorsByStepReasonWindowed,
  k6QuantileByRun,
  k6SuccessRatio,
  type K6MetricKey,
  type Matchers,
} from '@vigil/scenarios/catalog';
import {
  againstObjective,
  lowerBound,
  msToSeconds,
  RATE_WINDOW,
  stat,
  table,
  timeseries,
  upperBound,
} from './common.ts';
import { formatPercent, quantileLabel, successObjective, type LatencySlo } from './slos.ts';

/** Per-run panels group by run: one value per (testid, target). */
export const RUN_BY = ['testid', 'target'] as const;
export const RUN_LEGEND = '{{target}} {{testid}}';

/** The SLO's quantile for each selected run, green under its bound. */
export function latencyStat(slo: LatencySlo, runs: Matchers) {
  const { metric, quantile, maxMs } = slo.indicator;
  return stat(`${slo.flow} ${quantileLabel(quantile)}`, slo.title, 's', [
    { expr: k6QuantileByRun(metric, quantile, runs, RUN_BY), legend: RUN_LEGEND },
  ]).thresholds(upperBound(msToSeconds(maxMs)));
}

export function successStat(metric: K6MetricKey, subject: string, runs: Matchers) {
  const { id, objective } = successObjective(metric);
  return stat(
    `${subject} success`,
    `Worst tag set's success ratio per run; objective ≥ ${formatPercent(objective)} (${id})`,
    'percentunit',
    [{ expr: k6SuccessRatio(metric, runs, RUN_BY), legend: RUN_LEGEND }],
  ).thresholds(lowerBound(objective));
}

/** A row with the success ratio against its objective and the errors by step and reason. */
export function withSuccessAndErrors(
  dashboard: DashboardBuilder,
  metrics: { success: K6MetricKey; errors: K6MetricKey },
  subject: string,
  runs: Matchers,
): DashboardBuilder {
  const { objective } = successObjective(metrics.success);
  return dashboard
    .withRow(new RowBuilder('Success and errors'))
    .withPanel(
      againstObjective(
        `${subject} success ratio`,
        `${K6_METRICS[metrics.success].help}: the worst tag set's ratio per run.`,
        'percentunit',
        [{ expr: k6SuccessRatio(metrics.success, runs, RUN_BY), legend: RUN_LEGEND }],
        { value: objective, label: `objective ≥ ${formatPercent(objective)}`, kind: 'min' },
      ),
    )
    .withPanel(
      table(
        'Errors by step and reason (per run)',
        `${K6_METRICS[metrics.errors].help}, cumulative per run.`,
        'short',
        [{ expr: k6ErrorsByStepReason(metrics.errors, runs, RUN_BY) }],
      ),
    )
    .withPanel(
      timeseries(
        'Errors by step and reason (rate window)',
        'Errors in each rate window; needs runs longer than two push intervals.',
        'short',
        [
          {
            expr: k6ErrorsByStepReasonWindowed(metrics.errors, RATE_WINDOW, runs),
            legend: '{{step}} {{reason}}',
          },
        ],
      ).span(24),
    );
}
