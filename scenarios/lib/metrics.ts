/**
 * The custom metrics of the contract, declared once (k6 requires init-context declaration) from
 * the catalog's K6_METRICS, and record helpers that tag step/reason/flow with bounded values.
 */
import { Counter, Gauge, Rate, Trend } from 'k6/metrics';
import type { Flow } from '../catalog/index.ts';
import { K6_METRICS, type Reason, type Step } from '../catalog/metrics.ts';
import { ERROR_STATUS_TAG } from '../catalog/thresholds.ts';

const m = K6_METRICS;

export const metrics = {
  oauthAuthFlowDuration: new Trend(m.oauthAuthFlowDuration.name, true),
  oauthTokenRefreshDuration: new Trend(m.oauthTokenRefreshDuration.name, true),
  oauthSessionValidationDuration: new Trend(m.oauthSessionValidationDuration.name, true),
  oauthSuccess: new Rate(m.oauthSuccess.name),
  oauthErrors: new Counter(m.oauthErrors.name),
  mcpToolExecutionDuration: new Trend(m.mcpToolExecutionDuration.name, true),
  mcpConnectionDuration: new Trend(m.mcpConnectionDuration.name, true),
  mcpSuccess: new Rate(m.mcpSuccess.name),
  mcpErrors: new Counter(m.mcpErrors.name),
  mcpOpenConnections: new Gauge(m.mcpOpenConnections.name),
  walksCompleted: new Counter(m.walksCompleted.name),
};

/** Steps whose outcome counts towards oauth_success / oauth_errors; the rest are MCP steps. */
const OAUTH_STEPS: readonly Step[] = ['discovery', 'registration', 'authorization', 'token', 'refresh'];

export function isOAuthStep(step: Step): boolean {
  return OAUTH_STEPS.includes(step);
}

export interface Outcome {
  step: Step;
  flow: Flow;
  ok: boolean;
  reason?: Reason;
  /** HTTP status of the response a failed step failed on (0: no response). */
  status?: number;
}

/**
 * Records one step outcome on the success Rate and, when failed, the error Counter of its family
 * (tagged with the reason and, when the step failed on a response, its status). A success adds
 * no tag: the status only ever goes on error samples.
 */
export function recordOutcome({ step, flow, ok, reason, status }: Outcome): void {
  const tags: Record<string, string> = { step, flow };
  const [success, errors] = isOAuthStep(step)
    ? [metrics.oauthSuccess, metrics.oauthErrors]
    : [metrics.mcpSuccess, metrics.mcpErrors];
  success.add(ok, tags);
  if (ok) return;
  const errorTags: Record<string, string> = { ...tags, reason: reason ?? 'exception' };
  if (status !== undefined && Number.isInteger(status) && status >= 0 && status < 600)
    errorTags[ERROR_STATUS_TAG] = String(status);
  errors.add(1, errorTags);
}

export type DurationMetric =
  | 'oauthAuthFlowDuration'
  | 'oauthTokenRefreshDuration'
  | 'oauthSessionValidationDuration'
  | 'mcpToolExecutionDuration'
  | 'mcpConnectionDuration';

export function recordDuration(
  metric: DurationMetric,
  ms: number,
  flow: Flow,
  extra: Record<string, string> = {},
): void {
  metrics[metric].add(ms, { flow, ...extra });
}
