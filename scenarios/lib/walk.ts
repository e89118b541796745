/**
 * The probe's walk bookkeeping: each step named and timed, its outcome recorded on the metrics
 * and as a check, and the first failure stopping the walk with a classified step and reason.
 */
import { check } from 'k6';
import type { ProbeResult, Step, StepResult } from '../catalog/index.ts';
import { Compliance } from './compliance.ts';
import { classifyThrown, StepUnsupported } from './failures.ts';
import { recordOutcome } from './metrics.ts';

/** Thrown after a failed step to end the walk; the failure is already recorded. */
export class WalkStopped extends Error {
  readonly step: Step;
  constructor(step: Step) {
    super(`walk stopped at ${step}`);
    this.step = step;
    this.name = 'WalkStopped';
  }
}

export class Walk {
  readonly steps: StepResult[] = [];
  readonly compliance = new Compliance();
  failedStep?: Step;
  toolsHash?: string;
  toolCount?: number;
  tokenExpiresInSeconds?: number;

  /** Runs one step; a failure is recorded and ends the walk (WalkStopped). */
  async step<T>(step: Step, action: () => T | Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      const value = await action();
      this.record({ step, ok: true, durationMs: Date.now() - started });
      return value;
    } catch (thrown) {
      if (thrown instanceof StepUnsupported) {
        this.record({
          step,
          ok: true,
          skipped: true,
          durationMs: Date.now() - started,
          detail: thrown.message,
        });
        return undefined as T;
      }
      const failure = classifyThrown(step, thrown);
      this.failedStep = failure.step;
      this.record(
        {
          step: failure.step,
          ok: false,
          durationMs: Date.now() - started,
          reason: failure.reason,
          detail: failure.detail,
        },
        failure.status,
      );
      throw new WalkStopped(failure.step);
    }
  }

  /** Adds a secret-free note to a finished step (how it was done: e.g. which registration). */
  note(step: Step, detail: string): void {
    const result = this.steps.find((s) => s.step === step);
    if (result) result.detail = detail;
  }

  /** A step the walk does not take for this server or grant (not a failure). */
  skip(step: Step, detail: string): void {
    this.record({ step, ok: true, skipped: true, durationMs: 0, detail });
  }

  /** `status`: of the response a failed step failed on (a tag of its error sample only). */
  private record(result: StepResult, status?: number): void {
    this.steps.push(result);
    if (!result.skipped)
      recordOutcome({ step: result.step, flow: 'probe', ok: result.ok, reason: result.reason, status });
    check(result, { [`step ${result.step} ok`]: (r) => r.ok }, { step: result.step });
  }

  /** Compliance observations become checks too, so a non-compliant server fails the probe run. */
  finishCompliance(): void {
    for (const c of this.compliance.checks) check(c, { [`compliance: ${c.name}`]: (x) => x.ok });
  }

  result(completed: boolean): ProbeResult {
    return {
      ok: completed && this.failedStep === undefined && this.compliance.checks.every((c) => c.ok),
      failedStep: this.failedStep,
      steps: this.steps,
      compliance: this.compliance.checks,
      toolsHash: this.toolsHash,
      toolCount: this.toolCount,
      tokenExpiresInSeconds: this.tokenExpiresInSeconds,
    };
  }
}
