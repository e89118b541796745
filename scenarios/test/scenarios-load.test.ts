import { startRedis, type Service } from '@vigil/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SLOS, K6_METRICS, isObserverThreshold, parseThresholdExpression } from '../catalog/index.ts';
import {
  clearFaults,
  expectNoSecrets,
  expectValidSummary,
  failedChecks,
  injectFault,
  runScript,
  startStack,
  type ScriptName,
  type ScriptRun,
  type Stack,
  TEST_TIMEOUT_MS,
} from './support/harness.ts';

let redis: Service;
let stack: Stack;

beforeAll(async () => {
  redis = await startRedis();
  stack = await startStack(redis.url as string);
  // A freshly started server pays its JIT warm-up on the first walk; the SLO runs measure after it.
  await runScript(stack, 'probe');
});
afterAll(async () => {
  await stack?.close();
  await redis?.stop();
});
afterEach(async () => {
  await clearFaults(stack);
});

/** The SLO's p95 bound from the catalog (never restated here). */
function latencyBound(sloId: string): number {
  const slo = SLOS.find((s) => s.id === sloId);
  if (!slo || slo.indicator.kind !== 'latency') throw new Error(`no latency SLO ${sloId}`);
  return slo.indicator.maxMs;
}

function samples(
  result: ScriptRun['result'],
  metric: string,
): ScriptRun['result']['metrics'][string]['samples'] {
  return result.metrics[metric]?.samples ?? [];
}

function sampleCount(result: ScriptRun['result'], metric: string): number {
  return samples(result, metric).length;
}

/** The metrics whose thresholds the run's summary reports as failed. */
function failedThresholdMetrics(summary: ScriptRun['summary']): string[] {
  return summary.thresholds.filter((t) => !t.ok).map((t) => t.metric);
}

const smokeRuns: Array<{ script: ScriptName; measured: string[] }> = [
  {
    script: 'oauth',
    measured: [
      K6_METRICS.oauthAuthFlowDuration.name,
      K6_METRICS.oauthTokenRefreshDuration.name,
      K6_METRICS.oauthSessionValidationDuration.name,
    ],
  },
  {
    script: 'mcp',
    measured: [
      K6_METRICS.mcpToolExecutionDuration.name,
      K6_METRICS.mcpConnectionDuration.name,
      K6_METRICS.mcpOpenConnections.name,
    ],
  },
  {
    script: 'comprehensive',
    measured: [
      K6_METRICS.oauthAuthFlowDuration.name,
      K6_METRICS.oauthTokenRefreshDuration.name,
      K6_METRICS.mcpToolExecutionDuration.name,
    ],
  },
];

describe('load scripts, smoke profile, against the reference target', { timeout: TEST_TIMEOUT_MS }, () => {
  for (const { script, measured } of smokeRuns) {
    it(`${script}.ts passes its checks and thresholds and leaks no secret`, async () => {
      const { result, summary } = await runScript(stack, script);
      expect(failedChecks(result), result.logs.join('\n')).toEqual([]);
      expect(result.iterationErrors).toEqual([]);
      expect(result.exitCode, JSON.stringify(result.thresholds)).toBe(0);
      expectValidSummary(summary, script);
      expect(summary.ok).toBe(true);
      for (const metric of measured) expect(sampleCount(result, metric), metric).toBeGreaterThan(0);
      expect(expectNoSecrets(stack, result)).toBeGreaterThan(4);
    });
  }
});

describe('load scripts fail the right threshold under injected faults', { timeout: TEST_TIMEOUT_MS }, () => {
  it('authorize errors fail oauth_success (step authorization, reason server_error)', async () => {
    await injectFault(stack, { path: 'authorize', errorRate: 1, status: 503 });
    const { result, summary } = await runScript(stack, 'oauth', { WORKLOADS: 'authorization_flow' });
    expect(result.exitCode).toBe(99);
    expect(failedThresholdMetrics(summary)).toEqual([K6_METRICS.oauthSuccess.name]);
    const errors = samples(result, K6_METRICS.oauthErrors.name);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((s) => s.tags.step === 'authorization' && s.tags.reason === 'server_error')).toBe(
      true,
    );
  });

  it('token endpoint latency breaches the auth-flow p95 SLO', async () => {
    await injectFault(stack, { path: 'token', latencyMs: latencyBound('auth_flow_p95') + 100 });
    const { result, summary } = await runScript(stack, 'oauth', { WORKLOADS: 'authorization_flow' });
    expect(result.exitCode).toBe(99);
    expect(failedThresholdMetrics(summary)).toEqual([K6_METRICS.oauthAuthFlowDuration.name]);
  });

  it('refresh errors fail oauth_success with step refresh', async () => {
    await injectFault(stack, { path: 'refresh', errorRate: 1, status: 503 });
    const { result, summary } = await runScript(stack, 'oauth', { WORKLOADS: 'token_refresh' });
    expect(result.exitCode).toBe(99);
    expect(failedThresholdMetrics(summary)).toContain(K6_METRICS.oauthSuccess.name);
    const errors = samples(result, K6_METRICS.oauthErrors.name);
    expect(errors.some((s) => s.tags.step === 'refresh' && s.tags.reason === 'server_error')).toBe(true);
  });

  it('tool call errors fail mcp_success with step tools_call', async () => {
    await injectFault(stack, { path: 'tool_call', errorRate: 1, status: 500 });
    const { result, summary } = await runScript(stack, 'mcp', { WORKLOADS: 'tool_execution' });
    expect(result.exitCode).toBe(99);
    expect(failedThresholdMetrics(summary)).toContain(K6_METRICS.mcpSuccess.name);
    const errors = samples(result, K6_METRICS.mcpErrors.name);
    expect(errors.some((s) => s.tags.step === 'tools_call' && s.tags.reason === 'server_error')).toBe(true);
  });

  it('the summary says what failed: measured rate under its bound, errors by step/reason/status, failed check', async () => {
    await injectFault(stack, { path: 'tool_call', errorRate: 1, status: 503 });
    const { result, summary } = await runScript(stack, 'mcp', { WORKLOADS: 'tool_execution' });
    expect(result.exitCode).toBe(99);
    const success = summary.thresholds.find((t) => t.metric === K6_METRICS.mcpSuccess.name);
    const bound = parseThresholdExpression(success?.expression ?? '')?.bound;
    expect(success?.ok).toBe(false);
    expect(success?.value).toBeTypeOf('number');
    expect(success!.value!).toBeLessThan(bound!);
    const latency = summary.thresholds.find((t) => t.metric === K6_METRICS.mcpToolExecutionDuration.name);
    // No tool call succeeded: the latency threshold had no sample, so it has no measured value.
    expect(latency?.ok).toBe(true);
    expect(latency).not.toHaveProperty('value');
    // Observers are not thresholds of the run (they went to k6 and came back as errors).
    expect(result.thresholds.some((t) => isObserverThreshold(t.metric, t.expression))).toBe(true);
    expect(summary.thresholds.some((t) => isObserverThreshold(t.metric, t.expression))).toBe(false);
    const errors = summary.errors ?? [];
    const count = (by: string, value: string) =>
      errors.find((e) => e.metric === K6_METRICS.mcpErrors.name && e.by === by && e.value === value)?.count;
    const failed = samples(result, K6_METRICS.mcpErrors.name).length;
    expect(failed).toBeGreaterThan(0);
    expect(count('step', 'tools_call')).toBe(failed);
    expect(count('reason', 'server_error')).toBe(failed);
    expect(count('status', '503')).toBe(failed);
    expect(errors.every((e) => e.count > 0)).toBe(true);
    expect(summary.failedChecks?.[0]).toMatchObject({ name: 'tool call succeeds', fails: failed });
    expectNoSecrets(stack, result);
  });

  it('tool call latency breaches the tool-execution p95 SLO', async () => {
    await injectFault(stack, { path: 'tool_call', latencyMs: latencyBound('tool_execution_p95') + 100 });
    const { result, summary } = await runScript(stack, 'mcp', { WORKLOADS: 'tool_execution' });
    expect(result.exitCode).toBe(99);
    expect(failedThresholdMetrics(summary)).toEqual([K6_METRICS.mcpToolExecutionDuration.name]);
  });
});
