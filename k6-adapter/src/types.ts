/**
 * The public contract of the TEST-ONLY k6 adapter (never shipped, never an engine): what a test
 * passes to `runK6Script` and what it gets back. Shapes follow `k6 run` (exit codes, summary data).
 */

export type K6Version = '1' | '2';

export interface AdapterRunOptions {
  /** Absolute path to a .ts/.js k6 script. */
  script: string;
  /** `__ENV` (what `k6 run -e NAME=value` passes). */
  env?: Record<string, string>;
  /** What `k6/secrets` `secrets.get(name)` resolves to. */
  secrets?: Record<string, string>;
  /** Globals to emulate: '1' (default, the stricter: no TextEncoder/TextDecoder) or '2'. */
  k6Version?: K6Version;
  /** Limit iterations per k6 scenario (default: as the script's options say, capped at 5 per scenario). */
  maxIterationsPerScenario?: number;
  /** Only these k6 scenarios (options.scenarios keys). */
  scenarios?: string[];
  /** Multiply sleep() durations (default 0.01). */
  sleepScale?: number;
  /** Hard limit for the whole run in ms (default 60000); on expiry the run stops with exit code 105. */
  timeoutMs?: number;
}

export type MetricType = 'trend' | 'rate' | 'counter' | 'gauge';

export interface MetricSample {
  value: number;
  tags: Record<string, string>;
}

export interface MetricResult {
  type: MetricType;
  /** k6's summary values: trend → summaryTrendStats, rate → rate/passes/fails, counter → count/rate, gauge → value/min/max. */
  values: Record<string, number>;
  samples: MetricSample[];
}

export interface ThresholdResult {
  /** As written in options.thresholds, sub-metric selector included (`mcp_success{flow:streaming}`). */
  metric: string;
  expression: string;
  ok: boolean;
}

export interface CheckResult {
  name: string;
  passes: number;
  fails: number;
}

/** One HTTP exchange (one per redirect hop), for assertions on what a script sent and received. */
export interface RequestRecord {
  method: string;
  url: string;
  status: number;
  /** The sample tags of this exchange (options.systemTags applied). */
  tags: Record<string, string>;
  /**
   * Headers the adapter sent, Go-canonical names (`Authorization`, `Mcp-Session-Id`), repeated
   * ones joined with ", "; Host and Connection, added by the HTTP stack, are not listed (as in k6's
   * `res.request.headers`). Test data only: may hold credentials, unlike tags and logs.
   */
  requestHeaders: Record<string, string>;
  /** Response headers as k6's `res.headers` shows them (canonical names, repeated ones joined); `{}` when no response came. */
  responseHeaders: Record<string, string>;
}

export interface AdapterRunResult {
  /** k6's: 0 ok, 99 thresholds failed, 104 invalid config, 105 adapter timeout, 107 script exception outside iterations, 108 test.abort(), 110 test.fail(). */
  exitCode: number;
  thresholds: ThresholdResult[];
  metrics: Record<string, MetricResult>;
  checks: CheckResult[];
  /** Console output and iteration exceptions, as k6 would print them (`INFO[0000] text source=console`). */
  logs: string[];
  /** Exceptions thrown inside iterations (k6 logs them, exit stays 0). */
  iterationErrors: string[];
  /** What handleSummary returned (filename/stdout → content). */
  summaryOutputs: Record<string, string>;
  requests: RequestRecord[];
}
