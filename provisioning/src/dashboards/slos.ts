/** SLO lookups for the dashboards: every bound drawn on a panel is read from the catalog's SLOS. */
import { K6_METRICS, slosOfKind, type K6MetricKey, type SloOfKind } from '@vigil/scenarios/catalog';

export type LatencySlo = SloOfKind<'latency'>;

export function latencySlos(metricPrefix: 'oauth_' | 'mcp_'): LatencySlo[] {
  return slosOfKind('latency').filter((slo) =>
    K6_METRICS[slo.indicator.metric].name.startsWith(metricPrefix),
  );
}

export function successObjective(metric: K6MetricKey): { id: string; objective: number } {
  const slo = slosOfKind('success_ratio').find((s) => s.indicator.metric === metric);
  if (!slo) throw new Error(`metric: no success_ratio SLO in the catalog for ${metric}`);
  return { id: slo.id, objective: slo.indicator.objective };
}

export function concurrencyMinimum(metric: K6MetricKey): number {
  const slo = slosOfKind('concurrency').find((s) => s.indicator.metric === metric);
  if (!slo) throw new Error(`metric: no concurrency SLO in the catalog for ${metric}`);
  return slo.indicator.minimum;
}

export function resourceBounds(resource: 'rss_bytes' | 'cpu_ratio'): { max: number; maxUnderStress: number } {
  const slo = slosOfKind('resource').find((s) => s.indicator.resource === resource);
  if (!slo) throw new Error(`resource: no resource SLO in the catalog for ${resource}`);
  return slo.indicator;
}

export function targetLatencySlo(operation: 'redis'): { quantile: number; maxMs: number } {
  const slo = slosOfKind('target_latency').find((s) => s.indicator.operation === operation);
  if (!slo) throw new Error(`operation: no target_latency SLO in the catalog for ${operation}`);
  return slo.indicator;
}

export function availabilityObjective(): { objective: number; windowDays: number } {
  const slo = slosOfKind('availability')[0];
  if (!slo) throw new Error('no availability SLO in the catalog');
  return slo.indicator;
}

/** "p95" for 0.95. */
export function quantileLabel(quantile: number): string {
  return `p${Math.round(quantile * 100)}`;
}

/** "99.5%" for 0.995, without floating-point noise. */
export function formatPercent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(6))}%`;
}
