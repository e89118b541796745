/**
 * Probe service: keeps the scheduler in step with the stored probes, runs each walk through the
 * run manager (kind `probe`, one VU, one iteration) and turns the outcome into a stored result and
 * the probe gauges.
 */
import { SCENARIOS } from '@vigil/scenarios/catalog';
import type { Logger } from 'pino';
import type { RunnerMetrics } from '../metrics.ts';
import type { RunManager } from '../runs.ts';
import type { Store } from '../store/store.ts';
import type { ProbeRecord, ProbeResultRecord, RunRecord } from '../store/types.ts';
import type { TargetService } from '../targets.ts';
import { ProbeScheduler, type Clock, type ScheduledProbe } from './scheduler.ts';

/** The largest consecutive-failure count exported (see consecutiveFailures). */
const CONSECUTIVE_FAILURES_CAP = 100;

export function probeResultFromRun(probeId: string, run: RunRecord): Omit<ProbeResultRecord, 'id'> {
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
  };
}

export class ProbeService {
  readonly scheduler: ProbeScheduler;

  constructor(
    private readonly store: Store,
    private readonly targets: TargetService,
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

  start(): void {
    for (const probe of this.store.listProbes(100_000).items) this.sync(probe);
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
   * Failed results in a row, newest first, from the store rather than memory so a restarted runner
   * keeps counting. Capped: beyond the cap the alert has long fired and the exact count is noise.
   */
  private consecutiveFailures(probeId: string): number {
    const recent = this.store.probeResults(probeId, CONSECUTIVE_FAILURES_CAP);
    const firstSuccess = recent.findIndex((result) => result.ok);
    return firstSuccess === -1 ? recent.length : firstSuccess;
  }

  /** One walk now (also the scheduler's executor). */
  async runOnce(probeId: string, signal?: AbortSignal): Promise<ProbeResultRecord | undefined> {
    const probe = this.store.getProbe(probeId);
    const target = probe && this.store.getTarget(probe.targetId);
    if (!probe || !target) return undefined;
    let run: RunRecord;
    try {
      const started = await this.runs.start({
        kind: 'probe',
        scenario: SCENARIOS.probe,
        profile: 'smoke',
        overrides: {},
        targetId: target.id,
        targetName: target.name,
        mcpUrl: target.mcpUrl,
        auth: target.auth,
        secrets: this.targets.secretsOf(target),
        engine: 'local',
        createdBy: null,
        probeId: probe.id,
        timeoutMs: probe.timeoutSeconds * 1000,
      });
      signal?.addEventListener('abort', () => this.runs.stop(started.run.id, 'timeout'), { once: true });
      run = await started.done;
    } catch (error) {
      const failed = (error as { run?: RunRecord }).run;
      if (!failed) throw error;
      run = failed;
    }
    const result = this.store.insertProbeResult(probeResultFromRun(probe.id, run));
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
    });
    return result;
  }
}
