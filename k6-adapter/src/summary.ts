/** The data k6 hands to `handleSummary(data)`, and the adapter's own metric results. */
import { DEFAULT_TREND_STATS, parseSelector, sinkValues, type MetricStore } from './metric-store.ts';
import type { Runtime } from './runtime.ts';
import type { ThresholdDefinition } from './thresholds.ts';
import type { MetricResult, ThresholdResult } from './types.ts';

interface SummaryGroup {
  name: string;
  path: string;
  id: string;
  groups: SummaryGroup[];
  checks: Array<{ name: string; path: string; id: string; passes: number; fails: number }>;
}

export function trendStatsOf(options: Record<string, unknown>): string[] {
  return Array.isArray(options.summaryTrendStats)
    ? options.summaryTrendStats.map(String)
    : DEFAULT_TREND_STATS;
}

function groupTree(runtime: Runtime): SummaryGroup {
  const root: SummaryGroup = {
    name: '',
    path: '',
    id: 'd41d8cd98f00b204e9800998ecf8427e',
    groups: [],
    checks: [],
  };
  const byPath = new Map<string, SummaryGroup>([['', root]]);
  const ensure = (groupPath: string): SummaryGroup => {
    const known = byPath.get(groupPath);
    if (known) return known;
    const cut = groupPath.lastIndexOf('::');
    const parent = ensure(groupPath.slice(0, cut));
    const group: SummaryGroup = {
      name: groupPath.slice(cut + 2),
      path: groupPath,
      id: groupPath,
      groups: [],
      checks: [],
    };
    parent.groups.push(group);
    byPath.set(groupPath, group);
    return group;
  };
  for (const check of runtime.checks.values()) {
    ensure(check.groupPath).checks.push({
      name: check.name,
      path: check.path,
      id: check.path,
      passes: check.passes,
      fails: check.fails,
    });
  }
  return root;
}

/** Observed metrics plus sub-metrics named by thresholds, with k6's summary values. */
export function metricResults(
  store: MetricStore,
  thresholds: readonly ThresholdDefinition[],
  trendStats: readonly string[],
  durationSeconds: number,
): Record<string, MetricResult> {
  const results: Record<string, MetricResult> = {};
  for (const definition of store.observed())
    results[definition.name] = store.result(definition.name, trendStats, durationSeconds);
  for (const threshold of thresholds) {
    if (results[threshold.metric]) continue;
    const selector = parseSelector(threshold.metric);
    const type = store.definition(selector.name)!.type;
    const samples = store.select(selector);
    results[threshold.metric] = {
      type,
      values: sinkValues(type, samples, trendStats, durationSeconds),
      samples,
    };
  }
  return results;
}

export function handleSummaryData(
  runtime: Runtime,
  metrics: Record<string, MetricResult>,
  thresholds: readonly ThresholdResult[],
  setupData: unknown,
): Record<string, unknown> {
  const trendStats = trendStatsOf(runtime.options);
  const summaryMetrics: Record<string, unknown> = {};
  for (const [name, result] of Object.entries(metrics)) {
    const definition = runtime.store.definition(parseSelector(name).name);
    const own = thresholds.filter((t) => t.metric === name);
    summaryMetrics[name] = {
      type: result.type,
      contains: definition?.isTime ? 'time' : 'default',
      values:
        result.type === 'trend'
          ? Object.fromEntries(trendStats.map((s) => [s, result.values[s] ?? 0]))
          : result.values,
      ...(own.length ? { thresholds: Object.fromEntries(own.map((t) => [t.expression, { ok: t.ok }])) } : {}),
    };
  }
  return {
    root_group: groupTree(runtime),
    options: { summaryTrendStats: trendStats, summaryTimeUnit: '', noColor: false },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: runtime.elapsedMs() },
    metrics: summaryMetrics,
    setup_data: setupData,
  };
}
