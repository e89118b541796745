/**
 * What a script's `handleSummary` writes for the runner (to the file named by VIGIL_SUMMARY_FILE):
 * thresholds with their outcome, the metrics' summary values, and for the probe the step-by-step
 * walk. The runner, the CLI reports (and the planned Grafana app) read this shape; nothing in it may carry a secret
 * (k6's `setup_data` is never copied in).
 */
import type { Finding, FindingSeverity } from './findings.ts';
import type { Reason, Step } from './metrics.ts';
import type { Profile } from './workloads.ts';
import type { ScenarioId } from './scenarios.ts';

export const SUMMARY_FILE_ENV = 'VIGIL_SUMMARY_FILE';
/**
 * When this env var is "1", handleSummary also prints the summary as one stdout line that starts
 * with SUMMARY_STDOUT_MARKER: how a k6-operator runner pod, whose files vanish with it, hands the
 * summary to the runner (which reads the pod's log).
 */
export const SUMMARY_STDOUT_ENV = 'VIGIL_SUMMARY_STDOUT';
export const SUMMARY_STDOUT_MARKER = 'VIGIL_SUMMARY_JSON ';
export const SUMMARY_VERSION = 1;

/** Trend statistics every script asks k6 for (`options.summaryTrendStats`). */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'] as const;

export interface StepResult {
  step: Step;
  ok: boolean;
  /** Wall time of the step in milliseconds (0 when skipped). */
  durationMs: number;
  /** Set when ok is false. */
  reason?: Reason;
  /** A step the server does not offer (e.g. no refresh token issued): not a failure. */
  skipped?: boolean;
  /** Short, secret-free explanation (status codes, missing fields); never a token or URL query. */
  detail?: string;
}

export interface ComplianceCheck {
  /** e.g. `401 carries resource_metadata`, `S256 advertised`, `refresh token rotates`. */
  name: string;
  ok: boolean;
}

export interface ProbeResult {
  /**
   * The verdict: can a real client get through? Findings do not change it, except blocking ones
   * (strict mode), which fail the step they were seen in.
   */
  ok: boolean;
  /** The step where the walk stopped, when it did not complete. */
  failedStep?: Step;
  steps: StepResult[];
  compliance: ComplianceCheck[];
  /** sha256 (hex) of the canonical tools/list result, for drift alerts. */
  toolsHash?: string;
  toolCount?: number;
  /** Seconds until the access token obtained by the walk expires (`expires_in`). */
  tokenExpiresInSeconds?: number;
  /** Every deviation from the spec the walk saw (absent in summaries older than findings). */
  findings?: Finding[];
  /** Strict mode's severity: findings of it or worse failed the walk (absent: not strict). */
  strict?: FindingSeverity;
}

export interface ThresholdResult {
  /** Metric (with sub-metric selector) the threshold is on, e.g. `oauth_auth_flow_duration`. */
  metric: string;
  expression: string;
  ok: boolean;
  /**
   * The measured value of the aggregation the expression reads (`p(95)<200` → the metric's p(95)
   * in ms, `rate>=0.99` → its rate, `count==1` → its count). Absent when the metric had no data
   * (a trend or rate without samples, a metric k6 did not report) or k6 did not compute it.
   */
  value?: number;
}

/** How an error count is broken down: by the error counter's `reason`, `step` or `status` tag. */
export type ErrorBreakdown = 'reason' | 'step' | 'status';

/** Failed steps counted on an error counter for one tag value (read from observer thresholds). */
export interface ErrorCount {
  /** The error counter: `oauth_errors` or `mcp_errors`. */
  metric: string;
  by: ErrorBreakdown;
  /** A REASONS or STEPS value, or an HTTP status (`0`: no response). */
  value: string;
  count: number;
}

/** A check that failed at least once (names are the scripts' fixed check names). */
export interface FailedCheck {
  name: string;
  passes: number;
  fails: number;
}

/** At most this many failed checks are kept, the most failed first. */
export const FAILED_CHECKS_KEPT = 10;

export interface MetricSummary {
  type: 'trend' | 'rate' | 'counter' | 'gauge';
  /** k6's summary values: avg/min/med/max/p(90)/p(95)/p(99)/count (trends, ms), rate, count, value. */
  values: Record<string, number>;
}

export interface VigilSummary {
  version: typeof SUMMARY_VERSION;
  scenario: ScenarioId;
  profile: Profile;
  /** true when every threshold passed. */
  ok: boolean;
  thresholds: ThresholdResult[];
  metrics: Record<string, MetricSummary>;
  /** checks passed / failed over the run. */
  checks: { passes: number; fails: number };
  /** Checks with fails > 0, by fails descending then name, at most FAILED_CHECKS_KEPT. */
  failedChecks?: FailedCheck[];
  /** Error counts > 0 per reason, step and HTTP status, by count descending then name. */
  errors?: ErrorCount[];
  durationMs: number;
  probe?: ProbeResult;
}
