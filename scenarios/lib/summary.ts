/**
 * handleSummary: the catalog's VigilSummary JSON into the file named by VIGIL_SUMMARY_FILE, and a
 * short text for stdout. Built from k6's summary data field by field: `setup_data` is never
 * copied (it may hold a client secret); only the probe's ProbeResult, which holds no secret.
 * No remote jslib (textSummary): an offline runner cannot fetch it.
 */
import type {
  ErrorCount,
  FailedCheck,
  MetricSummary,
  ProbeResult,
  Profile,
  ScenarioId,
  ThresholdResult,
  VigilSummary,
} from '../catalog/index.ts';
import { K6_METRICS } from '../catalog/metrics.ts';
import {
  FAILED_CHECKS_KEPT,
  SUMMARY_FILE_ENV,
  SUMMARY_STDOUT_ENV,
  SUMMARY_STDOUT_MARKER,
  SUMMARY_VERSION,
} from '../catalog/results.ts';
import {
  errorObserverOf,
  formatMeasured,
  isObserverThreshold,
  parseThresholdExpression,
} from '../catalog/thresholds.ts';
import { PROFILES } from '../catalog/workloads.ts';

interface K6MetricData {
  type?: string;
  values?: Record<string, unknown>;
  thresholds?: Record<string, { ok?: boolean }>;
}

export interface K6SummaryData {
  metrics?: Record<string, K6MetricData>;
  state?: { testRunDurationMs?: number };
  setup_data?: unknown;
  /** k6's (legacy) group tree: `{ checks: [{ name, path, passes, fails }], groups: [...] }`. */
  root_group?: unknown;
}

/** Built-in k6 metrics worth keeping next to the contract's. */
const BUILTIN_METRICS = [
  'checks',
  'http_reqs',
  'http_req_duration',
  'http_req_failed',
  'iterations',
  'iteration_duration',
];
const CONTRACT_METRICS: string[] = Object.values(K6_METRICS).map((m) => m.name);
const METRIC_TYPES = ['trend', 'rate', 'counter', 'gauge'] as const;

function numericValues(values: Record<string, unknown> | undefined): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [key, value] of Object.entries(values ?? {}))
    if (typeof value === 'number' && Number.isFinite(value)) result[key] = value;
  return result;
}

function baseName(metricKey: string): string {
  const brace = metricKey.indexOf('{');
  return brace < 0 ? metricKey : metricKey.slice(0, brace);
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The value of the aggregation the expression reads, from k6's summary values; undefined when the
 * metric had no data (no entry, a trend with count 0, a rate with no passes and no fails).
 */
export function measuredValue(entry: K6MetricData | undefined, expression: string): number | undefined {
  const parsed = parseThresholdExpression(expression);
  if (!entry || !parsed) return undefined;
  const values = numericValues(entry.values);
  if (entry.type === 'trend' && values.count === 0) return undefined;
  if (entry.type === 'rate' && values.passes !== undefined && values.passes + (values.fails ?? 0) === 0)
    return undefined;
  return values[parsed.aggregation];
}

/** The script's thresholds (observers left out), with measured values, by metric and expression. */
export function thresholdResults(data: K6SummaryData): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  for (const [metric, entry] of Object.entries(data.metrics ?? {})) {
    for (const [expression, outcome] of Object.entries(entry.thresholds ?? {})) {
      if (isObserverThreshold(metric, expression)) continue;
      const result: ThresholdResult = { metric, expression, ok: outcome?.ok !== false };
      const value = measuredValue(entry, expression);
      if (value !== undefined) result.value = value;
      results.push(result);
    }
  }
  return results.sort((a, b) => byName(a.metric, b.metric) || byName(a.expression, b.expression));
}

/** A sub-metric that exists only for observer thresholds (not worth a row of its own). */
function isObserverOnly(key: string, entry: K6MetricData): boolean {
  const expressions = Object.keys(entry.thresholds ?? {});
  return (
    errorObserverOf(key) !== undefined &&
    expressions.every((expression) => isObserverThreshold(key, expression))
  );
}

export function metricSummaries(data: K6SummaryData): Record<string, MetricSummary> {
  const result: Record<string, MetricSummary> = {};
  const keep = new Set([...CONTRACT_METRICS, ...BUILTIN_METRICS]);
  const entries = Object.entries(data.metrics ?? {}).sort(([a], [b]) => byName(a, b));
  for (const [key, entry] of entries) {
    const type = METRIC_TYPES.find((t) => t === entry.type);
    if (!type || !keep.has(baseName(key)) || isObserverOnly(key, entry)) continue;
    result[key] = { type, values: numericValues(entry.values) };
  }
  return result;
}

/** Error counts > 0 from the observer sub-metrics, by count descending, then metric, by, value. */
export function errorCounts(data: K6SummaryData): ErrorCount[] {
  const result: ErrorCount[] = [];
  for (const [key, entry] of Object.entries(data.metrics ?? {})) {
    const observer = errorObserverOf(key);
    const count = numericValues(entry.values).count ?? 0;
    if (observer && count > 0)
      result.push({ metric: observer.counter, by: observer.by, value: observer.value, count });
  }
  return result.sort(
    (a, b) =>
      b.count - a.count || byName(a.metric, b.metric) || byName(a.by, b.by) || byName(a.value, b.value),
  );
}

const MAX_GROUP_DEPTH = 32;
const MAX_CHECK_NAME = 200;

function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  // Older k6 JSON exports keyed checks and groups by name.
  return value && typeof value === 'object' ? Object.values(value) : [];
}

/**
 * Checks that failed at least once, from k6's group tree (read defensively: any level may be
 * missing), merged by name, by fails descending then name, at most FAILED_CHECKS_KEPT.
 */
export function failedChecks(data: K6SummaryData): FailedCheck[] {
  const byCheck = new Map<string, FailedCheck>();
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
  const visit = (group: unknown, depth: number): void => {
    if (!group || typeof group !== 'object' || depth > MAX_GROUP_DEPTH) return;
    const { checks, groups } = group as { checks?: unknown; groups?: unknown };
    for (const raw of listOf(checks)) {
      const c = raw as { name?: unknown; passes?: unknown; fails?: unknown } | null;
      if (!c || typeof c.name !== 'string') continue;
      const name = c.name.slice(0, MAX_CHECK_NAME);
      const known = byCheck.get(name) ?? { name, passes: 0, fails: 0 };
      known.passes += count(c.passes);
      known.fails += count(c.fails);
      byCheck.set(name, known);
    }
    for (const sub of listOf(groups)) visit(sub, depth + 1);
  };
  visit(data.root_group, 0);
  return [...byCheck.values()]
    .filter((c) => c.fails > 0)
    .sort((a, b) => b.fails - a.fails || byName(a.name, b.name))
    .slice(0, FAILED_CHECKS_KEPT);
}

/** Picks the probe result out of setup data by shape; nothing else of setup data is read. */
function probeFrom(setupData: unknown): ProbeResult | undefined {
  const probe = (setupData as { probe?: unknown } | undefined)?.probe as ProbeResult | undefined;
  if (!probe || typeof probe.ok !== 'boolean' || !Array.isArray(probe.steps)) return undefined;
  return {
    ok: probe.ok,
    failedStep: probe.failedStep,
    steps: probe.steps.map((s) => ({
      step: s.step,
      ok: s.ok,
      durationMs: s.durationMs,
      reason: s.reason,
      skipped: s.skipped,
      detail: s.detail,
    })),
    compliance: (probe.compliance ?? []).map((c) => ({ name: c.name, ok: c.ok })),
    findings: (probe.findings ?? []).map((f) => ({
      code: f.code,
      severity: f.severity,
      step: f.step,
      evidence: { ...f.evidence },
    })),
    ...(probe.strict ? { strict: probe.strict } : {}),
    toolsHash: probe.toolsHash,
    toolCount: probe.toolCount,
    tokenExpiresInSeconds: probe.tokenExpiresInSeconds,
  };
}

export function buildSummary(
  scenario: ScenarioId,
  profileName: string | undefined,
  data: K6SummaryData,
): VigilSummary {
  const profile: Profile = (PROFILES as readonly string[]).includes(profileName ?? '')
    ? (profileName as Profile)
    : 'smoke';
  const thresholds = thresholdResults(data);
  const checks = numericValues(data.metrics?.checks?.values);
  const summary: VigilSummary = {
    version: SUMMARY_VERSION,
    scenario,
    profile,
    ok: thresholds.every((t) => t.ok),
    thresholds,
    metrics: metricSummaries(data),
    checks: { passes: checks.passes ?? 0, fails: checks.fails ?? 0 },
    failedChecks: failedChecks(data),
    errors: errorCounts(data),
    durationMs: data.state?.testRunDurationMs ?? 0,
  };
  const probe = scenario === 'probe' ? probeFrom(data.setup_data) : undefined;
  if (probe) summary.probe = probe;
  return summary;
}

function formatMs(ms: number | undefined): string {
  return ms === undefined ? '-' : `${Math.round(ms)}ms`;
}

export function summaryText(summary: VigilSummary): string {
  const lines = [`vigil ${summary.scenario} (${summary.profile}): ${summary.ok ? 'PASS' : 'FAIL'}`];
  for (const t of summary.thresholds)
    lines.push(
      `  ${t.ok ? 'ok  ' : 'FAIL'} ${t.metric} ${t.expression} (${formatMeasured(t.expression, t.value)})`,
    );
  lines.push(`  checks: ${summary.checks.passes} passed, ${summary.checks.fails} failed`);
  for (const c of summary.failedChecks ?? [])
    lines.push(`  FAIL check ${c.name}: ${c.fails} failed, ${c.passes} passed`);
  for (const e of (summary.errors ?? []).slice(0, 15))
    lines.push(`  error ${e.metric} ${e.by}=${e.value}: ${e.count}`);
  if (summary.probe) {
    for (const s of summary.probe.steps) {
      const state = s.skipped ? 'skip' : s.ok ? 'ok  ' : 'FAIL';
      lines.push(
        `  ${state} step ${s.step} ${formatMs(s.durationMs)}${s.reason ? ` ${s.reason}` : ''}${s.detail ? ` (${s.detail})` : ''}`,
      );
    }
    for (const c of summary.probe.compliance) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} compliance: ${c.name}`);
    for (const f of summary.probe.findings ?? [])
      lines.push(`  finding ${f.severity.toUpperCase()} ${f.code} (${f.step})`);
    if (summary.probe.toolsHash)
      lines.push(`  tools/list sha256 ${summary.probe.toolsHash} (${summary.probe.toolCount} tools)`);
  }
  return `${lines.join('\n')}\n`;
}

/** The handleSummary return value: the JSON file (when VIGIL_SUMMARY_FILE is set) and stdout. */
export function summaryOutputs(
  scenario: ScenarioId,
  data: K6SummaryData,
  env: Record<string, string | undefined> = __ENV,
): Record<string, string> {
  const summary = buildSummary(scenario, env.PROFILE, data);
  let stdout = summaryText(summary);
  if (env[SUMMARY_STDOUT_ENV] === '1') stdout += `${SUMMARY_STDOUT_MARKER}${JSON.stringify(summary)}\n`;
  const outputs: Record<string, string> = { stdout };
  const file = env[SUMMARY_FILE_ENV];
  if (file) outputs[file] = JSON.stringify(summary, null, 2);
  return outputs;
}
