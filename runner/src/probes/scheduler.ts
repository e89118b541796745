/**
 * Probe scheduler: each probe runs at its interval plus a bounded random jitter, never overlaps
 * itself (a due run while the previous one is still going is skipped and counted), waits for a
 * slot under a global concurrency cap, and is abandoned at its hard timeout. Time comes from an
 * injectable clock so tests drive it.
 */

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface ScheduledProbe {
  id: string;
  intervalSeconds: number;
  timeoutSeconds: number;
}

export type ProbeExecutor = (probe: ScheduledProbe, signal: AbortSignal) => Promise<void>;

export interface SchedulerOptions {
  clock?: Clock;
  /** Fraction of the interval used as the jitter bound (≤ 0.1 by default). */
  jitterFraction?: number;
  random?: () => number;
  concurrency: number;
  /**
   * First run of a newly added probe at a random offset within one interval (default), so probes
   * created together (e.g. at start-up) do not all fire in the same jitter window.
   */
  spreadFirstRun?: boolean;
  /** Called when a probe's run passes its hard timeout (the executor is aborted). */
  onTimeout?: (probe: ScheduledProbe) => void;
}

interface Entry {
  probe: ScheduledProbe;
  timer?: unknown;
  running: boolean;
  dueAt: number;
}

export interface SchedulerStats {
  started: number;
  skipped: number;
  timedOut: number;
  /** Start time minus due time of each started run, in ms (most recent 10 000). */
  latenessMs: number[];
  skippedByProbe: Map<string, number>;
}

export class ProbeScheduler {
  private readonly clock: Clock;
  private readonly jitterFraction: number;
  private readonly random: () => number;
  private readonly entries = new Map<string, Entry>();
  private readonly waiting: Array<() => void> = [];
  private running = 0;
  private stopped = false;
  readonly stats: SchedulerStats = {
    started: 0,
    skipped: 0,
    timedOut: 0,
    latenessMs: [],
    skippedByProbe: new Map(),
  };

  constructor(
    private readonly execute: ProbeExecutor,
    private readonly options: SchedulerOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.jitterFraction = options.jitterFraction ?? 0.1;
    this.random = options.random ?? Math.random;
  }

  /** Adds or reschedules a probe (a rescheduled one runs one jittered interval later). */
  upsert(probe: ScheduledProbe): void {
    const existing = this.entries.get(probe.id);
    if (existing) {
      this.clock.clearTimeout(existing.timer);
      existing.probe = probe;
      this.arm(existing);
      return;
    }
    const entry: Entry = { probe, running: false, dueAt: 0 };
    this.entries.set(probe.id, entry);
    const spread = this.options.spreadFirstRun ?? true;
    this.arm(entry, spread ? Math.floor(this.random() * probe.intervalSeconds * 1000) : undefined);
  }

  remove(probeId: string): void {
    const entry = this.entries.get(probeId);
    if (entry) this.clock.clearTimeout(entry.timer);
    this.entries.delete(probeId);
  }

  size(): number {
    return this.entries.size;
  }

  stop(): void {
    this.stopped = true;
    for (const entry of this.entries.values()) this.clock.clearTimeout(entry.timer);
    this.entries.clear();
  }

  /** Bounded jitter spreads probes sharing an interval so they do not fire in lockstep. */
  nextDelayMs(intervalSeconds: number): number {
    const intervalMs = intervalSeconds * 1000;
    return intervalMs + Math.floor(this.random() * this.jitterFraction * intervalMs);
  }

  private arm(entry: Entry, firstDelayMs?: number): void {
    if (this.stopped) return;
    const delay = firstDelayMs ?? this.nextDelayMs(entry.probe.intervalSeconds);
    entry.dueAt = this.clock.now() + delay;
    entry.timer = this.clock.setTimeout(() => this.fire(entry), delay);
  }

  private fire(entry: Entry): void {
    if (this.stopped || this.entries.get(entry.probe.id) !== entry) return;
    const dueAt = entry.dueAt;
    this.arm(entry); // the next run is scheduled from the due time, whatever this one does
    if (entry.running) {
      this.stats.skipped++;
      this.stats.skippedByProbe.set(entry.probe.id, (this.stats.skippedByProbe.get(entry.probe.id) ?? 0) + 1);
      return;
    }
    entry.running = true;
    void this.runWhenSlotFree(entry, dueAt).finally(() => {
      entry.running = false;
    });
  }

  private async acquireSlot(): Promise<void> {
    if (this.running < this.options.concurrency) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  private async runWhenSlotFree(entry: Entry, dueAt: number): Promise<void> {
    await this.acquireSlot();
    if (this.stopped) return this.releaseSlot();
    const lateness = this.clock.now() - dueAt;
    this.stats.latenessMs.push(lateness);
    if (this.stats.latenessMs.length > 10_000) this.stats.latenessMs.shift();
    this.stats.started++;
    const controller = new AbortController();
    let timer: unknown;
    const timedOut = new Promise<void>((resolve) => {
      timer = this.clock.setTimeout(() => {
        this.stats.timedOut++;
        controller.abort(new Error('probe timed out'));
        this.options.onTimeout?.(entry.probe);
        resolve();
      }, entry.probe.timeoutSeconds * 1000);
    });
    try {
      await Promise.race([this.execute(entry.probe, controller.signal).catch(() => undefined), timedOut]);
    } finally {
      this.clock.clearTimeout(timer);
      this.releaseSlot();
    }
  }
}
