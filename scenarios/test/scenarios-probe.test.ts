import { startRedis, type Service } from '@vigil/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { runK6Script } from '@vigil/k6-adapter';
import { STEPS, SUMMARY_STDOUT_ENV, SUMMARY_STDOUT_MARKER } from '../catalog/index.ts';
import {
  SCENARIOS_DIR,
  clearFaults,
  expectNoSecrets,
  expectValidSummary,
  failedChecks,
  injectFault,
  runScript,
  startStack,
  type Stack,
  TEST_TIMEOUT_MS,
} from './support/harness.ts';

let redis: Service;
let stack: Stack;

beforeAll(async () => {
  redis = await startRedis();
  stack = await startStack(redis.url as string);
});
afterAll(async () => {
  await stack?.close();
  await redis?.stop();
});
afterEach(async () => {
  await clearFaults(stack);
});

describe('probe.ts against the reference target', { timeout: TEST_TIMEOUT_MS }, () => {
  it('prints the same summary on one marked stdout line when asked (how a k8s runner pod hands it over)', async () => {
    const { result, summary } = await runScript(stack, 'probe', { [SUMMARY_STDOUT_ENV]: '1' });
    const lines = (result.summaryOutputs.stdout ?? '').split('\n');
    const marked = lines.filter((line) => line.startsWith(SUMMARY_STDOUT_MARKER));
    expect(marked).toHaveLength(1);
    expect(JSON.parse(marked[0]!.slice(SUMMARY_STDOUT_MARKER.length))).toEqual(summary);
    const { result: quiet } = await runScript(stack, 'probe');
    expect(quiet.summaryOutputs.stdout).not.toContain(SUMMARY_STDOUT_MARKER);
  });

  it('walks every step, passes its checks and writes a valid, secret-free summary', async () => {
    const { result, summary } = await runScript(stack, 'probe');
    expect(failedChecks(result), result.logs.join('\n')).toEqual([]);
    expect(result.exitCode).toBe(0);
    expectValidSummary(summary, 'probe');
    const probe = summary.probe!;
    expect(probe.ok).toBe(true);
    expect(probe.failedStep).toBeUndefined();
    const walked = probe.steps.map((s) => s.step);
    expect(walked).toEqual([
      'discovery',
      'registration',
      'authorization',
      'token',
      'initialize',
      'tools_list',
      'tools_call',
      'refresh',
      'stream',
      'session_end',
    ]);
    expect(new Set(walked)).toEqual(new Set(STEPS));
    expect(probe.steps.every((s) => s.ok && !s.skipped)).toBe(true);
    expect(probe.toolsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(probe.toolCount).toBeGreaterThanOrEqual(4);
    expect(probe.tokenExpiresInSeconds).toBeGreaterThan(0);
    const compliance = Object.fromEntries(probe.compliance.map((c) => [c.name, c.ok]));
    expect(compliance).toMatchObject({
      '401 carries resource_metadata': true,
      'S256 advertised': true,
      'refresh token rotates': true,
      'old refresh token rejected': true,
      'token audience = resource': true,
    });
    expect(result.metrics.vigil_walks_completed?.values.count).toBe(1);
    const leakedCandidates = expectNoSecrets(stack, result);
    expect(leakedCandidates).toBeGreaterThan(4);
  });

  it('refuses to start without MCP_URL, naming the variable', async () => {
    const run = await runK6Script({
      script: path.join(SCENARIOS_DIR, 'probe.ts'),
      env: {},
      timeoutMs: 20_000,
    });
    expect(run.exitCode).toBe(107);
    expect(run.logs.join('\n')).toContain('MCP_URL is required');
  });

  it('runs the same under k6 2.x globals (TextEncoder/TextDecoder present)', async () => {
    const { result, summary } = await runScript(stack, 'probe', {}, { k6Version: '2' });
    expect(result.exitCode).toBe(0);
    expect(summary.probe?.ok).toBe(true);
  });

  it('reports step durations that show injected latency, without failing the walk', async () => {
    await injectFault(stack, { path: 'tool_call', latencyMs: 300 });
    const { result, summary } = await runScript(stack, 'probe');
    expect(result.exitCode).toBe(0);
    const toolsCall = summary.probe?.steps.find((s) => s.step === 'tools_call');
    expect(toolsCall?.durationMs).toBeGreaterThanOrEqual(300);
  });

  it('hashes tools/list the same way on every walk (drift only when the schema changes)', async () => {
    const first = await runScript(stack, 'probe');
    const second = await runScript(stack, 'probe');
    expect(second.summary.probe?.toolsHash).toBe(first.summary.probe?.toolsHash);
  });

  const faults = [
    {
      fault: { path: 'authorize', errorRate: 1, status: 503 },
      step: 'authorization',
      reason: 'server_error',
    },
    { fault: { path: 'token', errorRate: 1, status: 503 }, step: 'token', reason: 'server_error' },
    { fault: { path: 'refresh', errorRate: 1, status: 503 }, step: 'refresh', reason: 'server_error' },
    { fault: { path: 'tool_call', errorRate: 1, status: 503 }, step: 'tools_call', reason: 'server_error' },
  ] as const;
  for (const { fault, step, reason } of faults) {
    it(`reports ${step}/${reason} and exits 99 when ${fault.path} fails`, async () => {
      await injectFault(stack, fault);
      const { result, summary } = await runScript(stack, 'probe');
      expect(result.exitCode).toBe(99);
      expectValidSummary(summary, 'probe');
      expect(summary.probe?.ok).toBe(false);
      expect(summary.probe?.failedStep).toBe(step);
      const failed = summary.probe?.steps.find((s) => !s.ok);
      expect(failed).toMatchObject({ step, reason });
      expect(result.metrics.vigil_walks_completed?.values.count ?? 0).toBe(0);
      expect(result.thresholds.find((t) => t.metric === 'vigil_walks_completed')?.ok).toBe(false);
      const errors = result.metrics.oauth_errors?.samples ?? [];
      const mcpErrors = result.metrics.mcp_errors?.samples ?? [];
      expect([...errors, ...mcpErrors].some((s) => s.tags.step === step && s.tags.reason === reason)).toBe(
        true,
      );
      expectNoSecrets(stack, result);
    });
  }

  it('fails the run through the thresholds when the walk dies mid-way, not only through checks', async () => {
    // tools/call fails: the walk stops before refresh, stream and session_end.
    await injectFault(stack, { path: 'tool_call', errorRate: 1, status: 500 });
    const { result, summary } = await runScript(stack, 'probe');
    expect(result.exitCode).toBe(99);
    expect(summary.probe?.steps.map((s) => s.step)).not.toContain('session_end');
    expect(result.thresholds.filter((t) => !t.ok).map((t) => t.metric)).toContain('vigil_walks_completed');
  });
});
