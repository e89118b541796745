/**
 * Run lifecycle: record → engine → outcome. Owns the active runs, stop, crash recovery (runs
 * left active by a dead runner become `interrupted` and their k6 process groups are ended) and
 * a clean shutdown.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RunnerMetrics } from './metrics.ts';
import { tailLogFile, type LogTail } from './engine/logs.ts';
import type { Engine, EngineOutcome, RunHandle, StopReason } from './engine/types.ts';
import { RequestError } from './errors.ts';
import { runSpecFor, type RunRequest } from './run-request.ts';
import { newId, type Store } from './store/store.ts';
import type { EngineName, RunRecord } from './store/types.ts';

/**
 * Only a run that ran to its end has a threshold verdict: a stopped, interrupted, timed-out or
 * errored run saw part of its load, so its thresholds say nothing (and it cannot be a baseline).
 */
export function hasVerdict(status: RunRecord['status']): boolean {
  return status === 'passed' || status === 'failed';
}

type FinishListener = (run: RunRecord, outcome: EngineOutcome) => void;

export class RunManager {
  private readonly active = new Map<string, { handle?: RunHandle; done: Promise<RunRecord> }>();
  private readonly finishListeners: FinishListener[] = [];
  private closing = false;

  constructor(
    private readonly store: Store,
    private readonly engines: Partial<Record<EngineName, Engine>>,
    private readonly metrics: RunnerMetrics,
    private readonly dataDir: string,
    private readonly log: Logger,
    /** Load runs allowed at once (probes are not counted); unlimited when absent. */
    private readonly maxConcurrentLoadRuns?: number,
  ) {}

  runDir(runId: string): string {
    return join(this.dataDir, 'runs', runId);
  }

  onFinish(listener: FinishListener): void {
    this.finishListeners.push(listener);
  }

  hasEngine(name: EngineName): boolean {
    return this.engines[name] !== undefined;
  }

  activeCount(): number {
    return this.active.size;
  }

  /** Creates the record and starts the engine; resolves once k6 is spawned (or failed to). */
  async start(req: RunRequest): Promise<{ run: RunRecord; done: Promise<RunRecord> }> {
    if (this.closing) throw new RequestError(503, 'shutting_down', 'the runner is shutting down');
    const max = this.maxConcurrentLoadRuns;
    if (req.kind === 'load' && max !== undefined && this.store.countActiveLoadRuns() >= max)
      throw new RequestError(
        429,
        'too_many_runs',
        `at most ${max} load runs may be active at once; stop one or wait`,
      );
    const engine = this.engines[req.engine];
    const run = this.store.insertRun({
      id: newId('run'),
      kind: req.kind,
      scenario: req.scenario.id,
      targetId: req.targetId,
      targetName: req.targetName,
      targetUrl: req.mcpUrl,
      profile: req.profile,
      overrides: req.overrides,
      engine: req.engine,
      createdBy: req.createdBy,
      probeId: req.probeId,
    });
    this.updateActiveGauge(1);
    let handle: RunHandle;
    try {
      if (!engine) throw new Error(`engine ${req.engine} is not configured on this runner`);
      handle = await engine.start(runSpecFor(req, run.id, this.runDir(run.id)), {
        onProgress: (progress) => this.store.updateRun(run.id, { progress }),
      });
    } catch (error) {
      const message = (error as Error).message;
      const failed = this.store.updateRun(run.id, {
        status: 'error',
        error: message,
        finishedAt: new Date().toISOString(),
      })!;
      this.store.addEvent(run.id, 'error', message);
      this.updateActiveGauge(-1);
      throw Object.assign(error as Error, { run: failed });
    }
    const started = this.store.updateRun(run.id, {
      status: 'running',
      pgid: handle.pgid,
      startedAt: new Date().toISOString(),
    })!;
    this.store.addEvent(run.id, 'started', `${req.engine} engine started the run`);
    const done = handle.done.then(
      (outcome) => this.finish(run.id, outcome),
      (error: Error) =>
        this.finish(run.id, {
          status: 'error',
          exitCode: null,
          summary: null,
          error: error.message,
          metricsDelivered: null,
        }),
    );
    this.active.set(run.id, { handle, done });
    return { run: started, done };
  }

  private finish(runId: string, outcome: EngineOutcome): RunRecord {
    const run = this.store.updateRun(runId, {
      status: outcome.status,
      exitCode: outcome.exitCode,
      summary: outcome.summary,
      thresholds: hasVerdict(outcome.status) ? (outcome.summary?.thresholds ?? null) : null,
      metricsDelivered: outcome.metricsDelivered,
      error: outcome.error,
      progress: outcome.status === 'passed' || outcome.status === 'failed' ? 1 : undefined,
      finishedAt: new Date().toISOString(),
    })!;
    this.store.addEvent(
      runId,
      'finished',
      `status ${outcome.status}${outcome.exitCode !== null ? `, k6 exit ${outcome.exitCode}` : ''}`,
    );
    if (outcome.metricsDelivered === false)
      this.store.addEvent(runId, 'metrics', 'metrics were not delivered to the remote-write endpoint');
    this.active.delete(runId);
    this.updateActiveGauge(-1);
    this.metrics.recordRunThresholds(run);
    this.log.info({ runId, status: run.status, exitCode: run.exitCode, kind: run.kind }, 'run finished');
    for (const listener of this.finishListeners) listener(run, outcome);
    return run;
  }

  stop(runId: string, reason: StopReason = 'user'): boolean {
    const entry = this.active.get(runId);
    if (!entry?.handle) return false;
    this.store.addEvent(runId, 'stop', reason === 'timeout' ? 'hard timeout reached' : 'stop requested');
    entry.handle.stop(reason);
    return true;
  }

  /** The tail of a run's k6 output, through the engine that ran it (the log file when it is gone). */
  async logs(run: RunRecord, tail: number): Promise<LogTail> {
    const engine = this.engines[run.engine];
    return engine ? engine.logs(run.id, this.runDir(run.id), tail) : tailLogFile(this.runDir(run.id), tail);
  }

  /** On start: runs a dead runner left active become `interrupted`; their engines end what they left. */
  async recoverInterrupted(): Promise<RunRecord[]> {
    const leftovers = this.store
      .runsWithStatus(['queued', 'running'])
      .filter((run) => !this.active.has(run.id));
    const recovered: RunRecord[] = [];
    for (const run of leftovers) {
      const ended = await (this.engines[run.engine]?.abandon(run) ?? Promise.resolve(false)).catch(
        (error: Error) => {
          this.log.warn(
            { runId: run.id, err: { message: error.message } },
            'could not clean up an interrupted run',
          );
          return false;
        },
      );
      this.store.addEvent(
        run.id,
        'interrupted',
        `the runner stopped while the run was active${ended ? '; what it left running was ended' : ''}`,
      );
      recovered.push(
        this.store.updateRun(run.id, {
          status: 'interrupted',
          error: 'the runner stopped while this run was active',
          finishedAt: new Date().toISOString(),
        })!,
      );
    }
    return recovered;
  }

  /** Stops every active run and waits for their outcomes to be recorded. */
  async shutdown(): Promise<void> {
    this.closing = true;
    const entries = [...this.active.values()];
    for (const entry of entries) entry.handle?.stop();
    await Promise.allSettled(entries.map((e) => e.done));
  }

  private updateActiveGauge(delta: number): void {
    this.metrics.runsActive.inc(delta);
  }
}
