/**
 * Metric samples and k6's sink arithmetic (trend percentiles with linear interpolation, rate,
 * counter, gauge), plus the sub-metric selector `name{tag:value}` used by thresholds.
 */
import type { MetricResult, MetricSample, MetricType } from './types.ts';

export interface MetricDefinition {
  name: string;
  type: MetricType;
  isTime: boolean;
}

/** k6's built-in metrics (the ones this adapter can emit, plus those thresholds may name). */
const BUILTIN_METRICS: ReadonlyArray<[string, MetricType, boolean]> = [
  ['checks', 'rate', false],
  ['data_received', 'counter', false],
  ['data_sent', 'counter', false],
  ['dropped_iterations', 'counter', false],
  ['group_duration', 'trend', true],
  ['http_req_blocked', 'trend', true],
  ['http_req_connecting', 'trend', true],
  ['http_req_duration', 'trend', true],
  ['http_req_failed', 'rate', false],
  ['http_req_receiving', 'trend', true],
  ['http_req_sending', 'trend', true],
  ['http_req_tls_handshaking', 'trend', true],
  ['http_req_waiting', 'trend', true],
  ['http_reqs', 'counter', false],
  ['iteration_duration', 'trend', true],
  ['iterations', 'counter', false],
  ['vus', 'gauge', false],
  ['vus_max', 'gauge', false],
  ['ws_connecting', 'trend', true],
  ['ws_msgs_received', 'counter', false],
  ['ws_msgs_sent', 'counter', false],
  ['ws_ping', 'trend', true],
  ['ws_session_duration', 'trend', true],
  ['ws_sessions', 'counter', false],
];

export const DEFAULT_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];

export interface MetricSelector {
  name: string;
  tags: Record<string, string>;
}

/** `mcp_success{flow:streaming,step:token}` → name and tag filter. */
export function parseSelector(selector: string): MetricSelector {
  const match = /^([^{]+?)\s*(?:\{(.*)\})?$/.exec(selector.trim());
  if (!match) throw new Error(`invalid metric selector "${selector}"`);
  const tags: Record<string, string> = {};
  for (const pair of (match[2] ?? '').split(',')) {
    if (pair.trim() === '') continue;
    const colon = pair.indexOf(':');
    if (colon < 0) throw new Error(`invalid tag filter "${pair}" in "${selector}" (expected key:value)`);
    tags[pair.slice(0, colon).trim()] = pair
      .slice(colon + 1)
      .trim()
      .replace(/^["'](.*)["']$/, '$1');
  }
  return { name: match[1]!.trim(), tags };
}

function matches(sample: MetricSample, filter: Record<string, string>): boolean {
  return Object.entries(filter).every(([key, value]) => sample.tags[key] === value);
}

/** k6's TrendSink.P: linear interpolation between the two closest ranks. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  if (sorted.length === 1) return sorted[0]!;
  const rank = fraction * (sorted.length - 1);
  const low = sorted[Math.floor(rank)]!;
  const high = sorted[Math.ceil(rank)]!;
  return low + (high - low) * (rank - Math.floor(rank));
}

function trendStat(sorted: readonly number[], stat: string): number | undefined {
  const sum = sorted.reduce((a, b) => a + b, 0);
  switch (stat) {
    case 'avg':
      return sorted.length ? sum / sorted.length : 0;
    case 'min':
      return sorted[0] ?? 0;
    case 'max':
      return sorted[sorted.length - 1] ?? 0;
    case 'med':
      return percentile(sorted, 0.5);
    case 'count':
      return sorted.length;
    default: {
      const p = /^p\(\s*(\d+(?:\.\d+)?)\s*\)$/.exec(stat);
      return p ? percentile(sorted, Number(p[1]) / 100) : undefined;
    }
  }
}

/** Summary values of a set of samples, as k6 reports them (`trendStats` for trends). */
export function sinkValues(
  type: MetricType,
  samples: readonly MetricSample[],
  trendStats: readonly string[],
  durationSeconds: number,
): Record<string, number> {
  const values = samples.map((s) => s.value);
  switch (type) {
    case 'trend': {
      const sorted = [...values].sort((a, b) => a - b);
      const result: Record<string, number> = {};
      for (const stat of trendStats) {
        const value = trendStat(sorted, stat);
        if (value !== undefined) result[stat] = value;
      }
      return result;
    }
    case 'rate': {
      const passes = values.filter((v) => v !== 0).length;
      return { rate: values.length ? passes / values.length : 0, passes, fails: values.length - passes };
    }
    case 'counter': {
      const count = values.reduce((a, b) => a + b, 0);
      return { count, rate: durationSeconds > 0 ? count / durationSeconds : 0 };
    }
    case 'gauge':
      return {
        value: values[values.length - 1] ?? 0,
        min: values.length ? Math.min(...values) : 0,
        max: values.length ? Math.max(...values) : 0,
      };
  }
}

/** One aggregate for a threshold (`p(99.9)`, `avg`, `rate`, ...); undefined when the type lacks it. */
export function aggregate(
  type: MetricType,
  samples: readonly MetricSample[],
  method: string,
  durationSeconds: number,
): number | undefined {
  if (type === 'trend') {
    if (method === 'count') return undefined;
    return trendStat(
      [...samples.map((s) => s.value)].sort((a, b) => a - b),
      method,
    );
  }
  return sinkValues(type, samples, [], durationSeconds)[method];
}

export class MetricStore {
  private readonly definitions = new Map<string, MetricDefinition>();
  private readonly samples = new Map<string, MetricSample[]>();

  constructor() {
    for (const [name, type, isTime] of BUILTIN_METRICS) this.definitions.set(name, { name, type, isTime });
  }

  declare(name: string, type: MetricType, isTime: boolean): MetricDefinition {
    const existing = this.definitions.get(name);
    if (existing) {
      if (existing.type !== type) {
        throw new Error(`metric '${name}' already exists but with type ${existing.type}, instead of ${type}`);
      }
      return existing;
    }
    const definition = { name, type, isTime };
    this.definitions.set(name, definition);
    return definition;
  }

  definition(name: string): MetricDefinition | undefined {
    return this.definitions.get(name);
  }

  add(name: string, value: number, tags: Record<string, string>): void {
    const list = this.samples.get(name) ?? [];
    list.push({ value, tags });
    this.samples.set(name, list);
  }

  /** Samples of a metric, filtered by a sub-metric selector's tags. */
  select(selector: MetricSelector): MetricSample[] {
    return (this.samples.get(selector.name) ?? []).filter((s) => matches(s, selector.tags));
  }

  /** Metrics that received samples, in declaration order. */
  observed(): MetricDefinition[] {
    return [...this.definitions.values()].filter((d) => (this.samples.get(d.name)?.length ?? 0) > 0);
  }

  result(name: string, trendStats: readonly string[], durationSeconds: number): MetricResult {
    const definition = this.definitions.get(name);
    if (!definition) throw new Error(`unknown metric '${name}'`);
    const samples = this.samples.get(name) ?? [];
    return {
      type: definition.type,
      values: sinkValues(definition.type, samples, trendStats, durationSeconds),
      samples,
    };
  }
}
