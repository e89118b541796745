/**
 * handleSummary: the catalog's VigilSummary JSON into the file named by VIGIL_SUMMARY_FILE, and a
 * short text for stdout. Built from k6's summary data field by field: `setup_data` is never
 * copied (it may hold a client secret); only the probe's ProbeResult, which holds no secret.
 * No remote jslib (textSummary): an offline runner cannot fetch it.
 */
import {
  K6_METRICS,
  PROFILES,
  SUMMARY_FILE_ENV,
  SUMMARY_STDOUT_ENV,
  SUMMARY_STDOUT_MARKER,
  SUMMARY_VERSION,
  type MetricSummary,
  type ProbeResult,
  type Profile,
  type ScenarioId,
  type ThresholdResult,
  type VigilSummary,
} from '../catalog/index.ts';

interface K6MetricData {
  type?: string;
  values?: Record<string, unknown>;
  thresholds?: Record<string, { ok?: boolean }>;
}

export interface K6SummaryData {
  metrics?: Record<string, K6MetricData>;
  state?: { testRunDurationMs?: number };
  setup_data?: unknown;
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

export function thresholdResults(data: K6SummaryData): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  for (const [metric, entry] of Object.entries(data.metrics ?? {})) {
    for (const [expression, outcome] of Object.entries(entry.thresholds ?? {})) {
      results.push({ metric, expression, ok: outcome?.ok !== false });
    }
  }
  return results;
}

export function metricSummaries(data: K6SummaryData): Record<string, MetricSummary> {
  const result: Record<string, MetricSummary> = {};
  const keep = new Set([...CONTRACT_METRICS, ...BUILTIN_METRICS]);
  for (const [key, entry] of Object.entries(data.metrics ?? {})) {
    const type = METRIC_TYPES.find((t) => t === entry.type);
    if (!type || !keep.has(baseName(key))) continue;
    result[key] = { type, values: numericValues(entry.values) };
  }
  return result;
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
  for (const t of summary.thresholds) lines.push(`  ${t.ok ? 'ok  ' : 'FAIL'} ${t.metric} ${t.expression}`);
  lines.push(`  checks: ${summary.checks.passes} passed, ${summary.checks.fails} failed`);
  if (summary.probe) {
    for (const s of summary.probe.steps) {
      const state = s.skipped ? 'skip' : s.ok ? 'ok  ' : 'FAIL';
      lines.push(
        `  ${state} step ${s.step} ${formatMs(s.durationMs)}${s.reason ? ` ${s.reason}` : ''}${s.detail ? ` (${s.detail})` : ''}`,
      );
    }
    for (const c of summary.probe.compliance) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} compliance: ${c.name}`);
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
