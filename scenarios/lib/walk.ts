/**
 * The probe's walk bookkeeping: each step named and timed, its outcome recorded on the metrics
 * and as a check, the first failure stopping the walk with a classified step and reason, and the
 * compliance observations and findings (compliance.ts). In strict mode a step that saw a blocking
 * finding fails with reason `strict_finding`.
 */
import { check } from 'k6';
import type { FindingSeverity, ProbeResult, Step, StepResult } from '../catalog/index.ts';
import { Compliance } from './compliance.ts';
import { AuthChallenge, classifyThrown, StepFailure, StepUnsupported } from './failures.ts';
import { MAX_STEP_UPS } from './flows.ts';
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
  readonly compliance: Compliance;
  failedStep?: Step;
  toolsHash?: string;
  toolCount?: number;
  tokenExpiresInSeconds?: number;
  /** Authorizations made to answer a refused call (the first one on an open server, step-ups). */
  authorizations = 0;

  constructor(strict?: FindingSeverity) {
    this.compliance = new Compliance(strict);
  }

  /** Runs one step; a failure is recorded and ends the walk (WalkStopped). */
  async step<T>(step: Step, action: () => T | Promise<T>): Promise<T> {
    const started = Date.now();
    const findingsBefore = this.compliance.findings.length;
    try {
      const value = await action();
      this.failOnBlocking(step, findingsBefore);
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
      return this.stop(step, thrown, started);
    }
  }

  /**
   * Part of a step done before the step itself (the walk's first request belongs to discovery): a
   * failure is that step's failure; success records nothing yet.
   */
  async attempt<T>(step: Step, action: () => T | Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await action();
    } catch (thrown) {
      return this.stop(step, thrown, started);
    }
  }

  /**
   * A step the server may answer with 401 or 403 insufficient_scope: `authorize` answers the
   * challenge (the first authorization, or a step-up) and the action is tried again, as real
   * clients do; after MAX_STEP_UPS the challenge is the step's failure.
   */
  async authorizedStep<T>(
    step: Step,
    action: () => T | Promise<T>,
    authorize: (challenge: AuthChallenge) => Promise<void>,
  ): Promise<T> {
    for (;;) {
      const started = Date.now();
      const findingsBefore = this.compliance.findings.length;
      try {
        const value = await action();
        this.failOnBlocking(step, findingsBefore);
        this.record({ step, ok: true, durationMs: Date.now() - started });
        return value;
      } catch (thrown) {
        if (!(thrown instanceof AuthChallenge) || this.authorizations >= MAX_STEP_UPS)
          return this.stop(step, thrown, started);
        try {
          await authorize(thrown);
        } catch (refused) {
          // The authorization steps recorded their own failure; a challenge that cannot be
          // answered (nothing more to ask for) is this step's.
          if (refused instanceof WalkStopped) throw refused;
          return this.stop(step, refused, started);
        }
      }
    }
  }

  private failOnBlocking(step: Step, findingsBefore: number): void {
    const blocking = this.compliance.blockingSince(findingsBefore)[0];
    if (blocking)
      throw new StepFailure(step, 'strict_finding', `strict: ${blocking.code} (${blocking.severity})`);
  }

  private stop(step: Step, thrown: unknown, started: number): never {
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

  /** Compliance observations stay k6 checks; the probe's verdict threshold does not count them. */
  finishCompliance(): void {
    for (const c of this.compliance.checks) check(c, { [`compliance: ${c.name}`]: (x) => x.ok });
  }

  result(completed: boolean): ProbeResult {
    const blocking = this.compliance.findings.some((f) => this.compliance.isBlocking(f));
    return {
      ok: completed && this.failedStep === undefined && !blocking,
      failedStep: this.failedStep,
      steps: this.steps,
      compliance: this.compliance.checks,
      findings: this.compliance.findings,
      ...(this.compliance.strict ? { strict: this.compliance.strict } : {}),
      toolsHash: this.toolsHash,
      toolCount: this.toolCount,
      tokenExpiresInSeconds: this.tokenExpiresInSeconds,
    };
  }
}
