/**
 * Shared test harness for the scenario tests: the real reference target behind the recording
 * proxy, the test-only k6 adapter, fault injection through the target's admin API, and the
 * assertions every run gets (summary shape, no secret anywhere the run writes).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTarget, type RunningTarget, type TargetOptions } from '@vigil/reference-server';
import { freePort } from '@vigil/testkit';
import { expect } from 'vitest';
import { runK6Script } from '@vigil/k6-adapter';
import type { AdapterRunOptions, AdapterRunResult } from '@vigil/k6-adapter';
import {
  REASONS,
  STEPS,
  SUMMARY_VERSION,
  SCENARIO_IDS,
  PROFILES,
  type VigilSummary,
} from '../../catalog/index.ts';
import { secretsSeen, startRecordingProxy, type RecordingProxy } from './recording-proxy.ts';

export const SCENARIOS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SUMMARY_FILE = '/tmp/vigil-summary.json';
/** Above the adapter's own run limit (45 s), so a stuck run reports exit 105 with its logs. */
export const TEST_TIMEOUT_MS = 90_000;

export type ScriptName = 'probe' | 'oauth' | 'mcp' | 'comprehensive';

export interface Stack {
  proxy: RecordingProxy;
  target: RunningTarget;
  /** The MCP URL as clients see it (through the proxy). */
  mcpUrl: string;
  origin: string;
  close(): Promise<void>;
}

/** The target at the proxy's public URL: every URL it advertises routes through the proxy. */
export async function startStack(redisUrl: string, options: TargetOptions = {}): Promise<Stack> {
  const proxy = await startRecordingProxy();
  // The target advertises the proxy's URL, so its own port is chosen here to forward to.
  const port = await freePort();
  proxy.forwardTo(port);
  const target = await startTarget({
    port,
    redisUrl,
    logLevel: 'silent',
    publicUrl: proxy.origin,
    allowedHosts: [`127.0.0.1:${proxy.port}`],
    ...options,
  });
  return {
    proxy,
    target,
    mcpUrl: `${proxy.origin}/mcp`,
    origin: proxy.origin,
    close: async () => {
      await target.close();
      await proxy.close();
    },
  };
}

/** Runs `run` against a fresh stack with these target options, and closes the stack after. */
export async function withStackAt<T>(
  redisUrl: string,
  options: TargetOptions,
  run: (stack: Stack) => Promise<T>,
): Promise<T> {
  const stack = await startStack(redisUrl, options);
  try {
    return await run(stack);
  } finally {
    await stack.close();
  }
}

export interface ScriptRun {
  result: AdapterRunResult;
  summary: VigilSummary;
}

export async function runScript(
  stack: Pick<Stack, 'mcpUrl'>,
  name: ScriptName,
  env: Record<string, string> = {},
  options: Partial<AdapterRunOptions> = {},
): Promise<ScriptRun> {
  const result = await runK6Script({
    script: path.join(SCENARIOS_DIR, `${name}.ts`),
    env: {
      MCP_URL: stack.mcpUrl,
      PROFILE: 'smoke',
      VIGIL_SUMMARY_FILE: SUMMARY_FILE,
      STREAM_HOLD_SECONDS: '1',
      ...env,
    },
    maxIterationsPerScenario: 2,
    timeoutMs: 45_000,
    ...options,
  });
  const text = result.summaryOutputs[SUMMARY_FILE];
  if (!text) throw new Error(`no summary file written; exit ${result.exitCode}\n${result.logs.join('\n')}`);
  return { result, summary: JSON.parse(text) as VigilSummary };
}

export async function injectFault(stack: Stack, fault: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${stack.origin}/admin/faults`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${stack.target.adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(res.status, await res.text()).toBeLessThan(300);
}

export async function clearFaults(stack: Stack): Promise<void> {
  await fetch(`${stack.origin}/admin/faults`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${stack.target.adminToken}` },
  });
}

/** Checks a summary against the catalog's VigilSummary contract (bounded steps and reasons). */
export function expectValidSummary(summary: VigilSummary, scenario: ScriptName): void {
  expect(summary.version).toBe(SUMMARY_VERSION);
  expect(SCENARIO_IDS).toContain(summary.scenario);
  expect(summary.scenario).toBe(scenario);
  expect(PROFILES).toContain(summary.profile);
  expect(typeof summary.ok).toBe('boolean');
  expect(summary.thresholds.length).toBeGreaterThan(0);
  for (const t of summary.thresholds) {
    expect(typeof t.metric).toBe('string');
    expect(typeof t.expression).toBe('string');
    expect(typeof t.ok).toBe('boolean');
  }
  for (const m of Object.values(summary.metrics)) {
    expect(['trend', 'rate', 'counter', 'gauge']).toContain(m.type);
    for (const v of Object.values(m.values)) expect(Number.isFinite(v)).toBe(true);
  }
  expect(summary.checks.passes + summary.checks.fails).toBeGreaterThan(0);
  expect(summary.durationMs).toBeGreaterThanOrEqual(0);
  expect(summary).not.toHaveProperty('setup_data');
  if (scenario !== 'probe') return;
  const probe = summary.probe;
  expect(probe).toBeDefined();
  for (const step of probe?.steps ?? []) {
    expect(STEPS).toContain(step.step);
    if (step.reason) expect(REASONS).toContain(step.reason);
    expect(step.durationMs).toBeGreaterThanOrEqual(0);
  }
}

/** Every place a run writes: logs, every request's tags, metric sample tags, summary outputs. */
function runOutputs(result: AdapterRunResult): string[] {
  const out: string[] = [...result.logs, ...result.iterationErrors, ...Object.values(result.summaryOutputs)];
  // Tags as the adapter emits them, `url` included if a script enabled it (options.systemTags is honoured).
  for (const r of result.requests) out.push(JSON.stringify(r.tags));
  for (const metric of Object.values(result.metrics))
    for (const s of metric.samples) out.push(JSON.stringify(s.tags));
  out.push(JSON.stringify(result.thresholds), JSON.stringify(result.checks));
  return out;
}

/**
 * Asserts no secret of the run (collected from the real traffic, plus the ones the test passed)
 * appears in anything the run wrote, and that request `name` tags are templates.
 */
export function expectNoSecrets(stack: Stack, result: AdapterRunResult, extra: string[] = []): number {
  const secrets = [...secretsSeen(stack.proxy.exchanges), ...extra.filter((s) => s.length >= 6)];
  const outputs = runOutputs(result);
  for (const secret of secrets) {
    for (const text of outputs)
      expect(text.includes(secret), `a secret leaked into: ${text.slice(0, 200)}`).toBe(false);
  }
  for (const r of result.requests) {
    expect(r.tags.name, `request ${r.method} without a name tag`).toBeTruthy();
    expect(r.tags.name).not.toMatch(/[?=]|https?:\/\//);
  }
  return secrets.length;
}

export function failedChecks(result: AdapterRunResult): string[] {
  return result.checks.filter((c) => c.fails > 0).map((c) => c.name);
}
