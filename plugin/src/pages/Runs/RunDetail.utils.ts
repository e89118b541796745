/**
 * Run detail: the run's time window (for the panels and the links out), which provisioned
 * dashboards show it, its thresholds as measured value against bound (the catalog's
 * `formatMeasured`, as the CLI report prints them), and the baseline comparison's figures.
 */
import type { DashboardKey } from '@vigil/scenarios/catalog/dashboards.ts';
import { formatMeasured, parseThresholdExpression } from '@vigil/scenarios/catalog/thresholds.ts';
import type { ComparisonItem, Run, RunThreshold } from '../../api/types';
import type { TimeWindow } from '../../utils/links';
import { formatMs } from '../../utils/format';

/** Panels and links look a minute before the start and after the end (k6's last push lands at the end). */
export const WINDOW_MARGIN_MS = 60_000;

/**
 * The run's window: from a minute before it started to a minute after it ended (or now, while it
 * runs). The end is not cut at `now` for a run that just ended: a range query's steps are aligned
 * to the window, and a window ending seconds after k6's last push may have no step after it, so
 * a short run's panels would be empty until a minute later.
 */
export function runWindow(run: Pick<Run, 'createdAt' | 'startedAt' | 'finishedAt'>, now = Date.now()): TimeWindow {
  const start = Date.parse(run.startedAt ?? run.createdAt);
  const end = run.finishedAt ? Date.parse(run.finishedAt) + WINDOW_MARGIN_MS : now;
  return { from: start - WINDOW_MARGIN_MS, to: Math.max(end, start) };
}

/** The dashboards that show a run: its scenario's flows, the load generator and the target's resources. */
export function dashboardsFor(run: Pick<Run, 'scenario' | 'kind'>): DashboardKey[] {
  if (run.kind === 'probe') {
    return ['probes', 'oauth', 'mcp'];
  }
  const flows: Record<string, DashboardKey[]> = {
    oauth: ['oauth'],
    mcp: ['mcp'],
    comprehensive: ['oauth', 'mcp'],
  };
  return [...(flows[run.scenario] ?? ['oauth', 'mcp']), 'loadGenerator', 'targetResources'];
}

export interface ThresholdRow {
  key: string;
  metric: string;
  /** The bound as k6 writes it: `p(95)<200`. */
  expression: string;
  /** `p(95) = 312.4 ms`, `rate = 0.931`, or `p(95): no data`. */
  measured: string;
  ok: boolean;
}

export function thresholdRows(thresholds: readonly RunThreshold[]): ThresholdRow[] {
  return thresholds.map((threshold, index) => ({
    key: `${threshold.metric}-${threshold.expression}-${index}`,
    metric: threshold.metric,
    expression: boundText(threshold.expression),
    measured: formatMeasured(threshold.expression, threshold.value),
    ok: threshold.ok,
  }));
}

/** `p(95)<200` → `p(95) < 200 ms` (trend statistics are milliseconds, as formatMeasured reads them). */
export function boundText(expression: string): string {
  const parsed = parseThresholdExpression(expression);
  if (!parsed) {
    return expression;
  }
  const isTime = !['count', 'rate', 'value'].includes(parsed.aggregation);
  return `${parsed.aggregation} ${parsed.operator} ${parsed.bound}${isTime ? ' ms' : ''}`;
}

/** A comparison figure as people read it: p50/p95/p99 in ms, error rates in %, throughput per second. */
export function comparisonValue(stat: ComparisonItem['stat'], value: number | null): string {
  if (value === null) {
    return '—';
  }
  switch (stat) {
    case 'errorRate':
      return `${(value * 100).toFixed(2)}%`;
    case 'throughput':
      return `${value.toFixed(1)}/s`;
    default:
      return formatMs(value);
  }
}

export function deltaText(item: ComparisonItem): string {
  if (item.delta === null) {
    return '—';
  }
  const sign = item.delta > 0 ? '+' : item.delta < 0 ? '−' : '±';
  const magnitude =
    item.stat === 'errorRate'
      ? `${(Math.abs(item.delta) * 100).toFixed(2)} pp`
      : item.stat === 'throughput'
        ? `${Math.abs(item.delta).toFixed(1)}/s`
        : formatMs(Math.abs(item.delta));
  const percent =
    item.deltaPercent === null ? '' : ` (${item.deltaPercent > 0 ? '+' : ''}${item.deltaPercent.toFixed(1)}%)`;
  return `${sign}${magnitude}${percent}`;
}

/** Worse than the baseline: slower, more errors, less throughput (by more than 10%). */
export function isRegression(item: ComparisonItem): boolean {
  if (item.delta === null || item.deltaPercent === null) {
    return false;
  }
  return item.stat === 'throughput' ? item.deltaPercent < -10 : item.deltaPercent > 10;
}
