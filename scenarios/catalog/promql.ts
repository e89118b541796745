/**
 * PromQL query builders and the names of Vigil's recorded series. The alert rules
 * (alerting/generate.ts), the generated dashboards (provisioning/) and (planned) the Grafana app's panels all build
 * their queries here, so a metric or label name is spelled once. Pure string functions: no Node,
 * no k6, no Grafana imports.
 *
 * Two time models (docs/design.md, "Metric contract"): a short k6 run pushes once (final flush), so
 * `rate()` over it is empty. Per-run queries use the cumulative values k6 pushes, filtered by
 * `testid`; windowed queries (`rate()`) only make sense for runs longer than two push intervals.
 */
import {
  K6_BUILTIN_SERIES,
  K6_METRICS,
  RUNNER_SERIES,
  SCRAPE_JOBS,
  TARGET_SERIES,
  type K6MetricKey,
} from './metrics.ts';

/** A label matcher: a plain string is an exact match; Grafana variables (`$testid`) pass through. */
export type Matcher = string | { op: '=' | '!=' | '=~' | '!~'; value: string };
export type Matchers = Record<string, Matcher>;

/** Labels a k6 run carries on every series (passed by the runner as `--tag`), see RUN_LABELS. */
export const RUN_GROUPING = ['testid', 'target', 'profile', 'kind'] as const;
/** Labels the runner puts on every probe series. */
export const PROBE_GROUPING = ['probe', 'target'] as const;

/** Names of the series Vigil's recording rules produce (alerting/rules/vigil-recording.rules.yml). */
export const RECORDED_SERIES = {
  /** Per-run latency quantiles of the k6 Trend behind each latency SLO (seconds), cumulative over the run. Labels: slo, flow, testid, target, profile, kind. */
  flowLatencyP50: 'vigil:k6_flow_duration_seconds:p50',
  flowLatencyP95: 'vigil:k6_flow_duration_seconds:p95',
  flowLatencyP99: 'vigil:k6_flow_duration_seconds:p99',
  /** Per-run success ratio of each success-ratio SLO: the worst tag set (step/flow) of the k6 Rate. Labels: slo, flow, testid, target, profile, kind. */
  successRatio: 'vigil:k6_success_ratio:min',
  /** Iterations a run could not start (its load generator was saturated), cumulative. Labels: run labels, scenario, flow. */
  droppedIterations: 'vigil:k6_dropped_iterations:sum',
  /** Target resident memory in bytes. Labels: target, instance. */
  targetResidentMemory: 'vigil:target_resident_memory_bytes',
  /** Target CPU use as a ratio of one core over 1m. Labels: target, instance. */
  targetCpuRatio: 'vigil:target_cpu_ratio:rate1m',
  /** Target session store (Redis) operation p95 over 5m, seconds. Labels: target, instance. */
  sessionStoreP95: 'vigil:target_redis_operation_duration_seconds:p95_rate5m',
} as const;

/** Error-budget windows of the multi-window multi-burn-rate probe alerts. */
export const BURN_RATE_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type BurnRateWindow = (typeof BURN_RATE_WINDOWS)[number];

/** Probe failure ratio over a window (1 - mean of probe_success). Labels: probe, target. */
export function probeFailureRatioSeries(window: BurnRateWindow): string {
  return `vigil:probe_failure_ratio:avg${window}`;
}

/** The recorded latency series for a quantile (0.5, 0.95 or 0.99). */
export function flowLatencySeries(quantile: number): string {
  const name = {
    0.5: RECORDED_SERIES.flowLatencyP50,
    0.95: RECORDED_SERIES.flowLatencyP95,
    0.99: RECORDED_SERIES.flowLatencyP99,
  }[quantile];
  if (!name) throw new Error(`quantile: no recorded latency series for ${quantile} (have 0.5, 0.95, 0.99)`);
  return name;
}

function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `metric{a="x",b=~"y"}`; labels in the given order, empty matchers give the bare name. */
export function selector(metric: string, matchers: Matchers = {}): string {
  const parts = Object.entries(matchers).map(([label, matcher]) => {
    const { op, value } = typeof matcher === 'string' ? { op: '=', value: matcher } : matcher;
    return `${label}${op}"${escapeValue(value)}"`;
  });
  return parts.length === 0 ? metric : `${metric}{${parts.join(', ')}}`;
}

function byClause(labels: readonly string[]): string {
  return labels.length === 0 ? '' : ` by (${labels.join(', ')})`;
}

/** The Prometheus series of a k6 metric (catalog key). */
export function k6Series(metric: K6MetricKey): string {
  return K6_METRICS[metric].series;
}

const K6_TYPE_NAMES = { trend: 'Trend', rate: 'Rate', counter: 'Counter', gauge: 'Gauge' } as const;

function assertK6Type(metric: K6MetricKey, type: keyof typeof K6_TYPE_NAMES): void {
  if (K6_METRICS[metric].type !== type)
    throw new Error(`metric: ${metric} is not a k6 ${K6_TYPE_NAMES[type]}`);
}

/**
 * Quantile of a k6 Trend (native histogram) cumulative over each run: the value k6's own
 * `p(95)` threshold sees. Works for one-push short runs. Filter by `testid` for one run.
 */
export function k6QuantileByRun(
  metric: K6MetricKey,
  quantile: number,
  matchers: Matchers = {},
  by: readonly string[] = RUN_GROUPING,
): string {
  assertK6Type(metric, 'trend');
  return `histogram_quantile(${quantile}, sum${byClause(by)} (${selector(k6Series(metric), matchers)}))`;
}

/** Quantile of a k6 Trend over a sliding window (`rate()`): for runs longer than two push intervals. */
export function k6QuantileWindowed(
  metric: K6MetricKey,
  quantile: number,
  window: string,
  matchers: Matchers = {},
  by: readonly string[] = ['target'],
): string {
  assertK6Type(metric, 'trend');
  return `histogram_quantile(${quantile}, sum${byClause(by)} (rate(${selector(k6Series(metric), matchers)}[${window}])))`;
}

/** Observation count of a k6 Trend per run (cumulative), e.g. requests per flow. */
export function k6TrendCountByRun(
  metric: K6MetricKey,
  matchers: Matchers = {},
  by: readonly string[] = RUN_GROUPING,
): string {
  assertK6Type(metric, 'trend');
  return `sum${byClause(by)} (histogram_count(${selector(k6Series(metric), matchers)}))`;
}

/** Throughput of a k6 Trend (observations per second) over a window. */
export function k6TrendThroughput(
  metric: K6MetricKey,
  window: string,
  matchers: Matchers = {},
  by: readonly string[] = ['target'],
): string {
  assertK6Type(metric, 'trend');
  return `sum${byClause(by)} (histogram_count(rate(${selector(k6Series(metric), matchers)}[${window}])))`;
}

/**
 * Success ratio from a k6 Rate series. k6 pushes one ratio per tag set, cumulative over the run,
 * without its counts, so ratios cannot be re-weighted: `min` reports the worst tag set (never
 * hides a failing step), `avg` an unweighted mean.
 */
export function k6SuccessRatio(
  metric: K6MetricKey,
  matchers: Matchers = {},
  by: readonly string[] = RUN_GROUPING,
  aggregation: 'min' | 'avg' = 'min',
): string {
  assertK6Type(metric, 'rate');
  return `${aggregation}${byClause(by)} (${selector(k6Series(metric), matchers)})`;
}

/** k6 error Counter by step and reason, cumulative per run (filter by testid). */
export function k6ErrorsByStepReason(
  metric: K6MetricKey,
  matchers: Matchers = {},
  extraBy: readonly string[] = [],
): string {
  assertK6Type(metric, 'counter');
  return `sum${byClause(['step', 'reason', ...extraBy])} (${selector(k6Series(metric), matchers)})`;
}

/** k6 error Counter by step and reason, increase over a window (long runs). */
export function k6ErrorsByStepReasonWindowed(
  metric: K6MetricKey,
  window: string,
  matchers: Matchers = {},
): string {
  assertK6Type(metric, 'counter');
  return `sum by (step, reason) (increase(${selector(k6Series(metric), matchers)}[${window}]))`;
}

/** A k6 built-in series (VUs, iterations, dropped iterations…) summed per run. */
export function k6BuiltinByRun(
  series: keyof typeof K6_BUILTIN_SERIES,
  matchers: Matchers = {},
  by: readonly string[] = RUN_GROUPING,
): string {
  return `sum${byClause(by)} (${selector(K6_BUILTIN_SERIES[series], matchers)})`;
}

/** Iterations k6 could not start per run: > 0 means the load generator could not produce its load. */
export function k6DroppedIterationsByRun(
  matchers: Matchers = {},
  by: readonly string[] = [...RUN_GROUPING, 'scenario', 'flow'],
): string {
  return k6BuiltinByRun('droppedIterations', matchers, by);
}

/** Latest result of each probe (1 success, 0 failure). */
export function probeSuccess(matchers: Matchers = {}): string {
  return selector(RUNNER_SERIES.probeSuccess, matchers);
}

/** Failed runs in a row of each probe (0 once a run succeeds). */
export function probeConsecutiveFailures(matchers: Matchers = {}): string {
  return `max by (probe, target) (${selector(RUNNER_SERIES.probeConsecutiveFailures, matchers)})`;
}

/** 1 (with its `reason`) while the runner cannot run a probe, 0 (reason "none") once it can. */
export function probeRunnerError(matchers: Matchers = {}): string {
  return `max by (probe, target, reason) (${selector(RUNNER_SERIES.probeRunnerError, matchers)})`;
}

/** Spec findings of each probe's last walk, by severity (0 when none of that severity). */
export function probeFindings(matchers: Matchers = {}): string {
  return `max by (probe, target, severity) (${selector(RUNNER_SERIES.probeFindings, matchers)})`;
}

/** Per-step result of each probe's last run. */
export function probeStepSuccess(matchers: Matchers = {}): string {
  return selector(RUNNER_SERIES.probeStepSuccess, matchers);
}

/** Steps that failed in each probe's last run, only while the probe as a whole is failing. */
export function probeFailedSteps(matchers: Matchers = {}): string {
  return `((${probeStepSuccess(matchers)} == 0) and on (probe, target) (${probeSuccess(matchers)} == 0))`;
}

/** Per-step duration of each probe's last run (seconds). */
export function probeStepDuration(matchers: Matchers = {}): string {
  return `max by (probe, target, step) (${selector(RUNNER_SERIES.probeStepDuration, matchers)})`;
}

/** Duration of each probe's last run (seconds). */
export function probeDuration(matchers: Matchers = {}): string {
  return `max by (probe, target) (${selector(RUNNER_SERIES.probeDuration, matchers)})`;
}

/** Seconds since each probe's last run. */
export function probeSecondsSinceLastRun(matchers: Matchers = {}): string {
  return `(time() - max by (probe, target) (${selector(RUNNER_SERIES.probeLastRun, matchers)}))`;
}

/** Mean probe success over a window (availability as the SLO measures it). */
export function probeAvailability(window: string, matchers: Matchers = {}): string {
  return `avg by (probe, target) (avg_over_time(${probeSuccess(matchers)}[${window}]))`;
}

/**
 * tools/list changes seen by each probe over a window: value changes of the counter minus its
 * resets (a runner restart is not drift). Exact counts, unlike increase()'s extrapolation.
 */
export function probeToolsDrift(window: string, matchers: Matchers = {}): string {
  const series = `${selector(RUNNER_SERIES.probeToolsHashChanges, matchers)}[${window}]`;
  return `sum by (probe, target) (changes(${series}) - resets(${series}))`;
}

/** Seconds until each probe's credential (access token or client secret) expires. */
export function probeTokenExpiry(matchers: Matchers = {}): string {
  return `min by (probe, target) (${selector(RUNNER_SERIES.probeTokenExpiry, matchers)})`;
}

/** Scrape health of a Vigil job (`up`), 1 up, 0 down. */
export function scrapeUp(job: keyof typeof SCRAPE_JOBS, matchers: Matchers = {}): string {
  return selector('up', { job: SCRAPE_JOBS[job], ...matchers });
}

/**
 * A target-side series with a `target` label: the label prometheus.yml puts on the target's scrape
 * job when present, else the scrape `instance` (label_replace only on series that lack it).
 */
export function withTargetLabel(aggregate: (matchers: Matchers) => string, matchers: Matchers = {}): string {
  return orInstanceAsTarget(
    aggregate({ ...matchers, target: { op: '!=', value: '' } }),
    aggregate({ ...matchers, target: '' }),
  );
}

/** `labelled`, plus `unlabelled` with its instance copied into `target`. */
function orInstanceAsTarget(labelled: string, unlabelled: string): string {
  return `(${labelled} or label_replace(${unlabelled}, "target", "$1", "instance", "(.*)"))`;
}

function targetJob(matchers: Matchers): Matchers {
  return { job: SCRAPE_JOBS.target, ...matchers };
}

/** Target resident memory (bytes). */
export function targetResidentMemory(matchers: Matchers = {}): string {
  return withTargetLabel(
    (m) => `max by (target, instance) (${selector(TARGET_SERIES.residentMemory, targetJob(m))})`,
    matchers,
  );
}

/** Target CPU as a ratio of one core over a window. */
export function targetCpuRatio(window: string, matchers: Matchers = {}): string {
  return withTargetLabel(
    (m) => `sum by (target, instance) (rate(${selector(TARGET_SERIES.cpuSeconds, targetJob(m))}[${window}]))`,
    matchers,
  );
}

/** A quantile of one of the target's classic (prom-client) histograms over a window. */
export function targetHistogramQuantile(
  series: keyof typeof TARGET_SERIES,
  quantile: number,
  window: string,
  matchers: Matchers = {},
): string {
  return withTargetLabel(
    (m) =>
      `histogram_quantile(${quantile}, sum by (le, target, instance) (rate(${selector(`${TARGET_SERIES[series]}_bucket`, targetJob(m))}[${window}])))`,
    matchers,
  );
}

/** Target session store (Redis) operation latency quantile over a window (seconds). */
export function targetSessionStoreQuantile(
  quantile: number,
  window: string,
  matchers: Matchers = {},
): string {
  return targetHistogramQuantile('redisOperationDuration', quantile, window, matchers);
}

/** A target gauge (sessions, streaming connections) summed per target. */
export function targetGauge(
  series: 'mcpSessionsActive' | 'streamingConnections',
  matchers: Matchers = {},
): string {
  return withTargetLabel(
    (m) => `sum by (target, instance) (${selector(TARGET_SERIES[series], targetJob(m))})`,
    matchers,
  );
}

// Appended by provisioning/ (the generated dashboards): builders the dashboards need beyond the
// ones above, kept here so the planned Grafana app's panels can share them.

/** A constant series at an SLO bound or objective, drawn next to the measured series. */
export function objectiveLine(value: number): string {
  if (!Number.isFinite(value)) {
    throw new Error(`value: an objective line needs a finite number, got ${value}`);
  }
  return `vector(${value})`;
}

/** A k6 Gauge (e.g. open streaming connections) summed per run. */
export function k6GaugeByRun(
  metric: K6MetricKey,
  matchers: Matchers = {},
  by: readonly string[] = RUN_GROUPING,
): string {
  assertK6Type(metric, 'gauge');
  return `sum${byClause(by)} (${selector(k6Series(metric), matchers)})`;
}

/**
 * A k6 built-in Rate per run (cumulative, one ratio per tag set): `max` shows the worst tag set
 * of a failure rate (http_req_failed), `min` the worst of a pass rate (checks).
 */
export function k6BuiltinRatioByRun(
  series: 'httpReqFailed' | 'checks',
  aggregation: 'min' | 'max' | 'avg',
  matchers: Matchers = {},
  by: readonly string[] = RUN_GROUPING,
): string {
  return `${aggregation}${byClause(by)} (${selector(K6_BUILTIN_SERIES[series], matchers)})`;
}

/** A k6 built-in Counter per second over a window (runs longer than two push intervals). */
export function k6BuiltinRate(
  series: 'iterations' | 'droppedIterations' | 'httpReqs',
  window: string,
  matchers: Matchers = {},
  by: readonly string[] = ['target'],
): string {
  return `sum${byClause(by)} (rate(${selector(K6_BUILTIN_SERIES[series], matchers)}[${window}]))`;
}

/** Seconds since each probe last succeeded, looking back over `window` (absent if it never did). */
export function probeSecondsSinceLastSuccess(window: string, matchers: Matchers = {}): string {
  return `(time() - max by (probe, target) (max_over_time(timestamp(${probeSuccess(matchers)} == 1)[${window}:])))`;
}

/** Every scraped target instance with its derived `target` label (see withTargetLabel). */
export function targetInstances(matchers: Matchers = {}): string {
  return withTargetLabel((m) => `group by (target, instance) (${selector('up', targetJob(m))})`, matchers);
}

/**
 * Keeps the series of a target-side query (built with withTargetLabel) whose derived `target`
 * matches `targetRegex` (e.g. Grafana's `$target`): the scrape job's `target` label where it sets
 * one, else the instance. A filter after the fact because withTargetLabel owns the `target` matcher.
 */
export function onlyTargets(expr: string, targetRegex: string): string {
  const labelled = selector('up', targetJob({ target: { op: '=~', value: targetRegex } }));
  const unlabelled = selector('up', targetJob({ target: '', instance: { op: '=~', value: targetRegex } }));
  return `(${expr} and on (target) group by (target) ${orInstanceAsTarget(labelled, unlabelled)})`;
}
