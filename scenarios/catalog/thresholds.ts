/**
 * k6 thresholds and `options.scenarios`, derived from the SLO catalog for a scenario and profile.
 * Scripts call `k6Options()`; nothing else writes a threshold by hand. Besides the SLO thresholds
 * (`thresholdsFor()`) it adds observer thresholds that never fail (`observerThresholds()`), and
 * this file parses and formats threshold expressions for the summary and the reports.
 */
import { K6_METRICS, REASONS, STEPS } from './metrics.ts';
import { applyOverrides, type LoadOverrides } from './overrides.ts';
import { SCENARIOS, type ScenarioId } from './scenarios.ts';
import { SUMMARY_TREND_STATS, type ErrorBreakdown } from './results.ts';
import { SLOS, type Slo } from './slos.ts';
import { WORKLOADS, type Profile, type WorkloadId, PROFILES } from './workloads.ts';

/** The tag of the probe's verdict check, and the sub-metric its threshold is on. */
export const PROBE_VERDICT_TAG = { verdict: 'walk' } as const;
export const PROBE_VERDICT_THRESHOLD_METRIC = 'checks{verdict:walk}';

export type Threshold = string | { threshold: string; abortOnFail: boolean; delayAbortEval?: string };

/** A run whose OAuth or MCP calls mostly fail is pointless past a minute: abort it (load profiles). */
export const ABORT_DELAY = '1m';

function latencyExpression(quantile: number, maxMs: number): string {
  return `p(${Number((quantile * 100).toFixed(2))})<${maxMs}`;
}

/** The k6 threshold expressions one SLO contributes (empty for SLOs k6 does not measure). */
export function sloThresholds(slo: Slo, profile: Profile): Record<string, Threshold[]> {
  const i = slo.indicator;
  switch (i.kind) {
    case 'latency':
      return { [K6_METRICS[i.metric].name]: [latencyExpression(i.quantile, i.maxMs)] };
    case 'success_ratio': {
      const expression = `rate>=${i.objective}`;
      return {
        [K6_METRICS[i.metric].name]: [
          profile === 'smoke'
            ? expression
            : { threshold: expression, abortOnFail: true, delayAbortEval: ABORT_DELAY },
        ],
      };
    }
    case 'concurrency':
      // Each streaming iteration records mcp_success{flow:streaming} once its streams were held for
      // the whole hold time; with the shape's VUs that is the concurrency the SLO asks for.
      return { [`${K6_METRICS.mcpSuccess.name}{flow:streaming}`]: ['rate>=0.99'] };
    default:
      return {};
  }
}

function activeWorkloads(scenarioId: ScenarioId, selected?: readonly string[]): WorkloadId[] {
  const all = SCENARIOS[scenarioId].workloads;
  if (!selected || selected.length === 0) return [...all];
  return all.filter((id) => selected.includes(id));
}

export function thresholdsFor(
  scenarioId: ScenarioId,
  profile: Profile,
  selected?: readonly string[],
): Record<string, Threshold[]> {
  const workloads = activeWorkloads(scenarioId, selected);
  const flows = new Set(workloads.map((id) => WORKLOADS[id].flow));
  const result: Record<string, Threshold[]> = {};
  const add = (entries: Record<string, Threshold[]>) => {
    for (const [metric, list] of Object.entries(entries))
      result[metric] = [...(result[metric] ?? []), ...list];
  };
  const oauthFlows = new Set(['auth_flow', 'token_refresh', 'session_validation', 'probe']);
  const mcpFlows = new Set(['session_validation', 'tool_execution', 'streaming', 'concurrent_api', 'probe']);
  for (const slo of SLOS as readonly Slo[]) {
    if (slo.source !== 'k6') continue;
    const i = slo.indicator;
    if (i.kind === 'success_ratio') {
      const relevant = i.metric === 'oauthSuccess' ? oauthFlows : mcpFlows;
      if ([...flows].some((f) => relevant.has(f))) add(sloThresholds(slo, profile));
    } else if (flows.has(slo.flow)) {
      if (i.kind === 'concurrency' && profile === 'smoke') continue;
      add(sloThresholds(slo, profile));
    }
  }
  if (SCENARIOS[scenarioId].kind === 'probe') {
    // An exception inside an iteration does not fail a k6 run: the probe must count its completed
    // walk. Its verdict is one check (tagged so), not every check: compliance checks are findings,
    // which fail a walk only in strict mode (then through the verdict).
    add({ [K6_METRICS.walksCompleted.name]: ['count==1'], [PROBE_VERDICT_THRESHOLD_METRIC]: ['rate==1'] });
  }
  return result;
}

/**
 * A threshold expression's parts (`p(95)<200` → `p(95)`, `<`, 200), with k6's grammar; undefined
 * for anything else. `aggregation` is the key of k6's summary values that the threshold reads.
 */
export function parseThresholdExpression(
  expression: string,
): { aggregation: string; operator: string; bound: number } | undefined {
  const match =
    /^\s*(avg|min|max|med|count|rate|value|p\(\s*\d+(?:\.\d+)?\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/.exec(
      expression,
    );
  if (!match) return undefined;
  return { aggregation: match[1]!.replace(/\s+/g, ''), operator: match[2]!, bound: Number(match[3]) };
}

/** Whether `value` meets `<operator> <bound>`, as k6 compares. */
export function meetsBound(value: number, operator: string, bound: number): boolean {
  switch (operator) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
    case '!=':
      return value !== bound;
    default:
      return value === bound;
  }
}

const COUNT_LIKE = ['count', 'rate', 'value'];

/**
 * A threshold's measured value for people: `p(95) = 312.4 ms`, `rate = 0.931`, `count = 1`, or
 * `p(95): no data`. Trend statistics are milliseconds (every trend a threshold is on is a time).
 * Digits are added (up to 6) when rounding would make the value look on the other side of the
 * bound (0.98999 against `rate>=0.99` reads 0.98999, not 0.990).
 */
export function formatMeasured(expression: string, value: number | undefined): string {
  const parsed = parseThresholdExpression(expression);
  const aggregation = parsed?.aggregation ?? 'value';
  if (value === undefined || !Number.isFinite(value)) return `${aggregation}: no data`;
  const isTime = !COUNT_LIKE.includes(aggregation);
  let digits = isTime ? 1 : aggregation === 'count' && Number.isInteger(value) ? 0 : 3;
  let text = value.toFixed(digits);
  if (parsed) {
    const outcome = meetsBound(value, parsed.operator, parsed.bound);
    while (digits < 6 && meetsBound(Number(text), parsed.operator, parsed.bound) !== outcome)
      text = value.toFixed(++digits);
  }
  return `${aggregation} = ${text}${isTime ? ' ms' : ''}`;
}

/**
 * Observer thresholds: k6 hands handleSummary per-tag figures only for sub-metrics, and creates
 * sub-metrics only for thresholds. So each error counter gets one threshold per reason, per step
 * and per common HTTP status that can never fail (`count>=0`); handleSummary reads their counts
 * into the summary's `errors` and leaves them out of its thresholds (isObserverThreshold).
 * Error-counter samples only happen on failures: they cost nothing per successful request.
 */
export const OBSERVER_EXPRESSION = 'count>=0';

/** The error counter's tag with the HTTP status of a failed step's response (0: no response). */
export const ERROR_STATUS_TAG = 'status';

/** HTTP statuses with an observer (other statuses are still tagged, only not summarized). */
export const OBSERVED_STATUSES = [0, 400, 401, 403, 404, 405, 409, 429, 500, 502, 503, 504] as const;

const ERROR_COUNTERS: readonly string[] = [K6_METRICS.oauthErrors.name, K6_METRICS.mcpErrors.name];

/** The breakdowns observed, each with its bounded tag values (from the catalog's lists). */
function observedValues(): Record<ErrorBreakdown, readonly string[]> {
  return { reason: REASONS, step: STEPS, status: OBSERVED_STATUSES.map(String) };
}

export interface ErrorObserver {
  /** The sub-metric key, e.g. `oauth_errors{reason:server_error}`. */
  metric: string;
  /** The error counter, e.g. `oauth_errors`. */
  counter: string;
  by: ErrorBreakdown;
  value: string;
}

/** Reads an observer's sub-metric key back (`mcp_errors{step:tools_call}`); undefined otherwise. */
export function errorObserverOf(metric: string): ErrorObserver | undefined {
  const match = /^([a-z_]+)\{([a-z]+):([a-z0-9_]+)\}$/.exec(metric);
  if (!match || !ERROR_COUNTERS.includes(match[1]!)) return undefined;
  const by = match[2] as ErrorBreakdown;
  const values = observedValues()[by] as readonly string[] | undefined;
  if (!values || !values.includes(match[3]!)) return undefined;
  return { metric, counter: match[1]!, by, value: match[3]! };
}

/** The marker: true for the observer thresholds k6Options() adds, false for every SLO threshold. */
export function isObserverThreshold(metric: string, expression: string): boolean {
  return expression === OBSERVER_EXPRESSION && errorObserverOf(metric) !== undefined;
}

/** Every observer threshold, one per error counter × (reason, step, observed status). */
export function observerThresholds(): Record<string, Threshold[]> {
  const result: Record<string, Threshold[]> = {};
  for (const counter of ERROR_COUNTERS)
    for (const [by, values] of Object.entries(observedValues()))
      for (const value of values) result[`${counter}{${by}:${value}}`] = [OBSERVER_EXPRESSION];
  return result;
}

export interface K6Options {
  scenarios: Record<string, Record<string, unknown>>;
  thresholds: Record<string, Threshold[]>;
  summaryTrendStats: string[];
}

/** `options` for a script: its workloads' shapes for the profile (with overrides) and the thresholds. */
export function k6Options(
  scenarioId: ScenarioId,
  profileName: string | undefined,
  overrides: LoadOverrides = {},
  selected?: readonly string[],
): K6Options {
  const profile = (PROFILES as readonly string[]).includes(profileName ?? '')
    ? (profileName as Profile)
    : 'smoke';
  const scenarios: Record<string, Record<string, unknown>> = {};
  for (const id of activeWorkloads(scenarioId, selected)) {
    const workload = WORKLOADS[id];
    const shape =
      SCENARIOS[scenarioId].kind === 'probe'
        ? workload.shapes[profile]
        : applyOverrides(workload.shapes[profile], overrides);
    scenarios[id] = { ...shape, exec: workload.exec, tags: { flow: workload.flow } };
  }
  return {
    scenarios,
    // The SLOs, then the observers (which never fail: they only make k6 summarize errors per tag).
    thresholds: { ...thresholdsFor(scenarioId, profile, selected), ...observerThresholds() },
    summaryTrendStats: [...SUMMARY_TREND_STATS],
  };
}
