/** SLO lookups for the dashboards: every bound drawn on a panel is read from the catalog's SLOS. */
import { K6_METRICS, SLOS, type K6MetricKey, type Slo } from '@vigil/scenarios/catalog';

export type LatencySlo = Slo & { indicator: Extract<Slo['indicator'], { kind: 'latency' }> };

export function latencySlos(metricPrefix: 'oauth_' | 'mcp_'): LatencySlo[] {
  return (SLOS as readonly Slo[]).filter(
    (slo): slo is LatencySlo =>
      slo.indicator.kind === 'latency' && K6_METRICS[slo.indicator.metric].name.startsWith(metricPrefix),
  );
}

export function successObjective(metric: K6MetricKey): { id: string; objective: number } {
  for (const slo of SLOS as readonly Slo[]) {
    if (slo.indicator.kind === 'success_ratio' && slo.indicator.metric === metric) {
      return { id: slo.id, objective: slo.indicator.objective };
    }
  }
  throw new Error(`metric: no success_ratio SLO in the catalog for ${metric}`);
}

export function concurrencyMinimum(metric: K6MetricKey): number {
  for (const slo of SLOS as readonly Slo[]) {
    if (slo.indicator.kind === 'concurrency' && slo.indicator.metric === metric) return slo.indicator.minimum;
  }
  throw new Error(`metric: no concurrency SLO in the catalog for ${metric}`);
}

export function resourceBounds(resource: 'rss_bytes' | 'cpu_ratio'): { max: number; maxUnderStress: number } {
  for (const slo of SLOS as readonly Slo[]) {
    if (slo.indicator.kind === 'resource' && slo.indicator.resource === resource) return slo.indicator;
  }
  throw new Error(`resource: no resource SLO in the catalog for ${resource}`);
}

export function targetLatencySlo(operation: 'redis'): { quantile: number; maxMs: number } {
  for (const slo of SLOS as readonly Slo[]) {
    if (slo.indicator.kind === 'target_latency' && slo.indicator.operation === operation)
      return slo.indicator;
  }
  throw new Error(`operation: no target_latency SLO in the catalog for ${operation}`);
}

export function availabilityObjective(): { objective: number; windowDays: number } {
  for (const slo of SLOS as readonly Slo[]) {
    if (slo.indicator.kind === 'availability') return slo.indicator;
  }
  throw new Error('no availability SLO in the catalog');
}

/** "p95" for 0.95. */
export function quantileLabel(quantile: number): string {
  return `p${Math.round(quantile * 100)}`;
}

/** "99.5%" for 0.995, without floating-point noise. */
export function formatPercent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(6))}%`;
}
