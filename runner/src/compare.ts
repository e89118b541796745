/**
 * A run against its baseline: p50/p95/p99 of every trend, error rate of every rate metric and
 * throughput of every counter, with absolute and relative deltas.
 */
import type { MetricSummary, VigilSummary } from '@vigil/scenarios/catalog';

export interface Delta {
  metric: string;
  stat: 'p50' | 'p95' | 'p99' | 'errorRate' | 'throughput';
  run: number | null;
  baseline: number | null;
  delta: number | null;
  /** (run - baseline) / baseline × 100; null when the baseline is 0 or missing. */
  deltaPercent: number | null;
}

const TREND_STATS = { p50: 'med', p95: 'p(95)', p99: 'p(99)' } as const;

function stats(metric: MetricSummary | undefined): Partial<Record<Delta['stat'], number>> {
  if (!metric) return {};
  const v = metric.values;
  switch (metric.type) {
    case 'trend':
      return Object.fromEntries(
        Object.entries(TREND_STATS)
          .map(([stat, key]) => [stat, v[key]])
          .filter(([, x]) => typeof x === 'number'),
      );
    case 'counter':
      return typeof v.rate === 'number' ? { throughput: v.rate } : {};
    default:
      return {};
  }
}

/** `*_failed`/`*_errors` rates count failures already; success rates are inverted. */
function errorRateOf(name: string, metric: MetricSummary | undefined): number | undefined {
  const rate = metric?.values.rate;
  if (typeof rate !== 'number') return undefined;
  return /fail|error/.test(name) ? rate : 1 - rate;
}

export function compareSummaries(run: VigilSummary | null, baseline: VigilSummary | null): Delta[] {
  const names = [
    ...new Set([...Object.keys(run?.metrics ?? {}), ...Object.keys(baseline?.metrics ?? {})]),
  ].sort();
  const deltas: Delta[] = [];
  for (const name of names) {
    const a = run?.metrics[name];
    const b = baseline?.metrics[name];
    const statsA = stats(a);
    const statsB = stats(b);
    if ((a ?? b)?.type === 'rate') {
      const ra = errorRateOf(name, a);
      const rb = errorRateOf(name, b);
      if (ra !== undefined) statsA.errorRate = ra;
      if (rb !== undefined) statsB.errorRate = rb;
    }
    const keys = [...new Set([...Object.keys(statsA), ...Object.keys(statsB)])] as Delta['stat'][];
    for (const stat of keys) {
      const x = statsA[stat] ?? null;
      const y = statsB[stat] ?? null;
      const delta = x !== null && y !== null ? x - y : null;
      deltas.push({
        metric: name,
        stat,
        run: x,
        baseline: y,
        delta,
        deltaPercent: delta !== null && y ? (delta / y) * 100 : null,
      });
    }
  }
  return deltas;
}
