/** What the probe tests ask of a walk's result: its steps, compliance checks, findings, a passing run. */
import { expect } from 'vitest';
import type { ProbeResult } from '../../catalog/index.ts';
import { expectValidSummary, failedChecks, runScript, type Stack } from './harness.ts';

export function step(probe: ProbeResult | undefined, name: string) {
  return probe?.steps.find((s) => s.step === name);
}

export function compliance(probe: ProbeResult | undefined): Record<string, boolean> {
  return Object.fromEntries((probe?.compliance ?? []).map((c) => [c.name, c.ok]));
}

export function findingCodes(probe: ProbeResult | undefined): string[] {
  return (probe?.findings ?? []).map((f) => f.code);
}

/** A walk a real client gets through: every step check and the verdict pass (compliance checks may not). */
export async function probeOk(
  stack: Pick<Stack, 'mcpUrl'>,
  env: Record<string, string> = {},
  secrets?: Record<string, string>,
) {
  const run = await runScript(stack, 'probe', env, secrets ? { secrets } : {});
  const failedSteps = failedChecks(run.result).filter((name) => !name.startsWith('compliance: '));
  expect(failedSteps, JSON.stringify(run.summary.probe, null, 1)).toEqual([]);
  expect(run.result.exitCode).toBe(0);
  expectValidSummary(run.summary, 'probe');
  expect(run.summary.probe?.ok).toBe(true);
  return run;
}
