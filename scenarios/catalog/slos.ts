/**
 * The SLO catalog: the one place every objective lives. k6 thresholds (thresholds.ts), the
 * Prometheus alert rules (alerting/generate.ts), the dashboards (provisioning/) and the planned Grafana app's
 * panels all derive from SLOS below. Values are docs/design.md's "SLO catalog" table.
 */
import { K6_METRICS, type K6MetricKey } from './metrics.ts';

export const FLOWS = [
  'auth_flow',
  'token_refresh',
  'session_validation',
  'tool_execution',
  'streaming',
  'concurrent_api',
  'server_resources',
  'session_store',
  'probe',
] as const;
export type Flow = (typeof FLOWS)[number];

export type SloIndicator =
  /** A quantile of a k6 Trend stays under a bound. */
  | { kind: 'latency'; metric: K6MetricKey; quantile: number; maxMs: number }
  /** A k6 Rate stays at or above an objective. */
  | { kind: 'success_ratio'; metric: K6MetricKey; objective: number }
  /** Concurrent streaming connections held at once reach a minimum (load profile and up). */
  | { kind: 'concurrency'; metric: K6MetricKey; minimum: number }
  /** A target-side resource stays under a bound; `stress` has its own bound. */
  | { kind: 'resource'; resource: 'rss_bytes' | 'cpu_ratio'; max: number; maxUnderStress: number }
  /** A target-side operation latency quantile (from the target's /metrics histogram). */
  | { kind: 'target_latency'; operation: 'redis'; quantile: number; maxMs: number }
  /** Probe availability over a rolling window, with error-budget burn-rate alerts. */
  | { kind: 'availability'; objective: number; windowDays: number };

export interface Slo {
  id: string;
  flow: Flow;
  title: string;
  indicator: SloIndicator;
  /** Where the measurement comes from. */
  source: 'k6' | 'target' | 'runner';
}

export const SLOS = [
  {
    id: 'auth_flow_p95',
    flow: 'auth_flow',
    title: 'OAuth authorization (PKCE code flow + token exchange) p95 < 200 ms',
    indicator: { kind: 'latency', metric: 'oauthAuthFlowDuration', quantile: 0.95, maxMs: 200 },
    source: 'k6',
  },
  {
    id: 'token_refresh_p95',
    flow: 'token_refresh',
    title: 'Token refresh p95 < 100 ms',
    indicator: { kind: 'latency', metric: 'oauthTokenRefreshDuration', quantile: 0.95, maxMs: 100 },
    source: 'k6',
  },
  {
    id: 'session_validation_p95',
    flow: 'session_validation',
    title: 'Session validation (authorized MCP call with a bearer token) p95 < 50 ms',
    indicator: { kind: 'latency', metric: 'oauthSessionValidationDuration', quantile: 0.95, maxMs: 50 },
    source: 'k6',
  },
  {
    id: 'tool_execution_p95',
    flow: 'tool_execution',
    title: 'MCP tool execution p95 < 500 ms',
    indicator: { kind: 'latency', metric: 'mcpToolExecutionDuration', quantile: 0.95, maxMs: 500 },
    source: 'k6',
  },
  {
    id: 'streaming_concurrency',
    flow: 'streaming',
    title: 'Streaming connections: 1000+ held at once',
    indicator: { kind: 'concurrency', metric: 'mcpOpenConnections', minimum: 1000 },
    source: 'k6',
  },
  {
    id: 'oauth_success',
    flow: 'concurrent_api',
    title: 'OAuth steps succeed ≥ 99%',
    indicator: { kind: 'success_ratio', metric: 'oauthSuccess', objective: 0.99 },
    source: 'k6',
  },
  {
    id: 'mcp_success',
    flow: 'concurrent_api',
    title: 'MCP operations succeed ≥ 99%',
    indicator: { kind: 'success_ratio', metric: 'mcpSuccess', objective: 0.99 },
    source: 'k6',
  },
  {
    id: 'server_memory',
    flow: 'server_resources',
    title: 'Target RSS < 512 MB (normal) / < 1 GB (stress)',
    indicator: {
      kind: 'resource',
      resource: 'rss_bytes',
      max: 512 * 1024 * 1024,
      maxUnderStress: 1024 * 1024 * 1024,
    },
    source: 'target',
  },
  {
    id: 'server_cpu',
    flow: 'server_resources',
    title: 'Target CPU < 70% (normal) / < 90% (stress)',
    indicator: { kind: 'resource', resource: 'cpu_ratio', max: 0.7, maxUnderStress: 0.9 },
    source: 'target',
  },
  {
    id: 'session_store_p95',
    flow: 'session_store',
    title: 'Session store (Redis) operation p95 < 10 ms',
    indicator: { kind: 'target_latency', operation: 'redis', quantile: 0.95, maxMs: 10 },
    source: 'target',
  },
  {
    id: 'probe_availability',
    flow: 'probe',
    title: 'Credentialed probe succeeds 99.5% of runs over 30 days',
    indicator: { kind: 'availability', objective: 0.995, windowDays: 30 },
    source: 'runner',
  },
] as const satisfies readonly Slo[];

/**
 * Failed probe runs in a row (`probe_consecutive_failures`, counted by the runner from its stored
 * history) that make a probe "failing": one failed walk can be a blip on the network path, two in
 * a row are an outage. Counting runs rather than time keeps this right for any probe interval.
 */
export const PROBE_FAILING_RUNS = 2;

export type SloId = (typeof SLOS)[number]['id'];

export function sloById(id: string): Slo | undefined {
  return (SLOS as readonly Slo[]).find((slo) => slo.id === id);
}

/** The k6 metric name behind an SLO measured by k6, if any. */
export function sloMetricName(slo: Slo): string | undefined {
  const indicator = slo.indicator;
  if ('metric' in indicator) return K6_METRICS[indicator.metric].name;
  return undefined;
}

export type SloKind = SloIndicator['kind'];
/** An SLO whose indicator is narrowed to one kind, so callers read its fields without casts. */
export type SloOfKind<K extends SloKind> = Slo & { indicator: Extract<SloIndicator, { kind: K }> };

/** Every SLO of one indicator kind, in catalog order: how thresholds, alerts and panels select SLOs. */
export function slosOfKind<K extends SloKind>(kind: K): Array<SloOfKind<K>> {
  return (SLOS as readonly Slo[]).filter((slo): slo is SloOfKind<K> => slo.indicator.kind === kind);
}
