/**
 * Probe service: keeps the scheduler in step with the stored probes, builds each walk as every run
 * is built (buildRunRequest: the target's URL and DNS re-checked, its secrets opened), runs it
 * through the run manager (kind `probe`, one VU, one iteration) and turns the outcome into a stored
 * result and the probe gauges. A walk the runner could not produce (no k6, unreadable secrets, a
 * refused URL) is a runner error: recorded with its reason, exported as probe_runner_error, and
 * never counted as a failure of the target.
 */
import type { ProbeRunnerErrorCode } from '@vigil/scenarios/catalog';
import type { Logger } from 'pino';
import { K6Missing } from '../engine/types.ts';
import { RequestError } from '../errors.ts';
import type { RunnerMetrics } from '../metrics.ts';
import { buildRunRequest, type RunBuilderDeps } from '../run-request.ts';
import type { RunManager } from '../runs.ts';
import type { Store } from '../store/store.ts';
import type { ProbeRecord, ProbeResultRecord, RunRecord, TargetRecord } from '../store/types.ts';
import { ProbeScheduler, type Clock, type ScheduledProbe } from './scheduler.ts';

/** The largest consecutive-failure count exported (see consecutiveFailures). */
const CONSECUTIVE_FAILURES_CAP = 100;

type RunnerError = NonNullable<ProbeResultRecord['runnerError']>;

/** Why a request for a walk was refused before k6 started, as a runner error. */
function refusedBefore(error: unknown): RunnerError {
  const message = (error as Error).message;
  if (error instanceof K6Missing) return { code: 'k6_missing', message };
  if (error instanceof RequestError && error.code === 'shutting_down')
    return { code: 'interrupted', message };
  if (error instanceof RequestError && (error.code === 'url_refused' || error.code === 'secrets_unreadable'))
    return { code: error.code, message };
  return { code: 'engine_error', message };
}

/** A finished run that holds no walk and was not the target's doing (a timeout is: it hung). */
function runnerErrorOfRun(run: RunRecord): RunnerError | null {
  if (run.summary?.probe) return null;
  const codes: Partial<Record<RunRecord['status'], ProbeRunnerErrorCode>> = {
    error: 'engine_error',
    stopped: 'interrupted',
    interrupted: 'interrupted',
  };
  const code = codes[run.status];
  return code ? { code, message: run.error ?? `the run ended ${run.status} without a walk` } : null;
}

export function probeResultFromRun(
  probeId: string,
  run: RunRecord,
  runnerError: RunnerError | null = runnerErrorOfRun(run),
): Omit<ProbeResultRecord, 'id'> {
  const walk = run.summary?.probe;
  const steps = walk?.steps ?? [];
  const durationMs =
    steps.length > 0 ? steps.reduce((sum, s) => sum + s.durationMs, 0) : (run.summary?.durationMs ?? 0);
  return {
    probeId,
    runId: run.id,
    at: run.finishedAt ?? new Date().toISOString(),
    ok: run.status === 'passed' && (walk?.ok ?? false),
    status: run.status,
    durationMs,
    failedStep: walk?.failedStep ?? null,
    steps,
    toolsHash: walk?.toolsHash ?? null,
    tokenExpiresInSeconds: walk?.tokenExpiresInSeconds ?? null,
    runnerError,
    findings: walk?.findings ?? [],
  };
}

function refusedResult(
  probeId: string,
  runnerError: RunnerError,
  run?: RunRecord,
): Omit<ProbeResultRecord, 'id'> {
  return {
    probeId,
    runId: run?.id ?? null,
    at: new Date().toISOString(),
    ok: false,
    status: 'error',
    durationMs: 0,
    failedStep: null,
    steps: [],
    toolsHash: null,
    tokenExpiresInSeconds: null,
    runnerError,
    findings: [],
  };
}

export class ProbeService {
  readonly scheduler: ProbeScheduler;

  constructor(
    private readonly store: Store,
    private readonly runBuilder: RunBuilderDeps,
    private readonly runs: RunManager,
    private readonly metrics: RunnerMetrics,
    private readonly log: Logger,
    options: { concurrency: number; clock?: Clock },
  ) {
    this.scheduler = new ProbeScheduler(
      (probe, signal) => this.runOnce(probe.id, signal).then(() => undefined),
      {
        concurrency: options.concurrency,
        clock: options.clock,
        onTimeout: (probe) => this.log.warn({ probeId: probe.id }, 'probe run passed its hard timeout'),
      },
    );
  }

  /** Restores each probe's series from its last verdict (they survive a restart), then schedules. */
  start(): void {
    for (const probe of this.store.listProbes(100_000).items) {
      const target = this.store.getTarget(probe.targetId);
      const last = this.store.probeVerdicts(probe.id, 1)[0];
      if (target && last) this.recordVerdict(probe, target, last, { restored: true });
      this.sync(probe);
    }
  }

  stop(): void {
    this.scheduler.stop();
  }

  /** Call after every create/update: enabled probes are (re)scheduled, disabled ones dropped. */
  sync(probe: ProbeRecord): void {
    if (!probe.enabled) return this.scheduler.remove(probe.id);
    const scheduled: ScheduledProbe = {
      id: probe.id,
      intervalSeconds: probe.intervalSeconds,
      timeoutSeconds: probe.timeoutSeconds,
    };
    this.scheduler.upsert(scheduled);
  }

  forget(probe: ProbeRecord, targetName: string): void {
    this.scheduler.remove(probe.id);
    this.metrics.forgetProbe(probe.name, targetName);
  }

  /**
   * Failed verdicts in a row, newest first, from the store rather than memory so a restarted
   * runner keeps counting; runner errors are neither. Capped: beyond the cap the alert has long
   * fired and the exact count is noise.
   */
  private consecutiveFailures(probeId: string): number {
    const recent = this.store.probeVerdicts(probeId, CONSECUTIVE_FAILURES_CAP);
    const firstSuccess = recent.findIndex((result) => result.ok);
    return firstSuccess === -1 ? recent.length : firstSuccess;
  }

  /** Builds and runs one walk; a walk the runner cannot produce comes back as a refused result. */
  private async walk(
    probe: ProbeRecord,
    target: TargetRecord,
    signal?: AbortSignal,
  ): Promise<Omit<ProbeResultRecord, 'id'>> {
    let started: Awaited<ReturnType<RunManager['start']>>;
    try {
      const request = await buildRunRequest(
        {
          scenario: 'probe',
          target: { stored: target },
          // The probe's strict mode is the probe scenario's `strict` parameter (STRICT for the script).
          overrides: probe.strict === 'off' ? {} : { strict: probe.strict },
          probeId: probe.id,
          timeoutMs: probe.timeoutSeconds * 1000,
        },
        this.runBuilder,
      );
      started = await this.runs.start(request);
    } catch (error) {
      return refusedResult(probe.id, refusedBefore(error), (error as { run?: RunRecord }).run);
    }
    signal?.addEventListener('abort', () => this.runs.stop(started.run.id, 'timeout'), { once: true });
    return probeResultFromRun(probe.id, await started.done);
  }

  /** One walk now (also the scheduler's executor). */
  async runOnce(probeId: string, signal?: AbortSignal): Promise<ProbeResultRecord | undefined> {
    const probe = this.store.getProbe(probeId);
    const target = probe && this.store.getTarget(probe.targetId);
    if (!probe || !target) return undefined;
    const result = this.store.insertProbeResult(await this.walk(probe, target, signal));
    if (result.runnerError) {
      this.log.warn(
        {
          probeId: probe.id,
          target: target.name,
          reason: result.runnerError.code,
          error: result.runnerError.message,
        },
        'the runner could not run the probe',
      );
      this.metrics.recordProbeRunnerError(probe.name, target.name, result.runnerError.code);
    } else this.recordVerdict(probe, target, result);
    return result;
  }

  private recordVerdict(
    probe: ProbeRecord,
    target: TargetRecord,
    result: ProbeResultRecord,
    options: { restored?: boolean } = {},
  ): void {
    this.metrics.recordProbe({
      probe: probe.name,
      target: target.name,
      intervalSeconds: probe.intervalSeconds,
      ok: result.ok,
      consecutiveFailures: this.consecutiveFailures(probe.id),
      durationMs: result.durationMs,
      atMs: Date.parse(result.at),
      steps: result.steps,
      toolsHash: result.toolsHash,
      tokenExpiresInSeconds: result.tokenExpiresInSeconds,
      findings: result.findings,
      restored: options.restored,
    });
  }
}
