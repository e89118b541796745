/** The probe scheduler under a controllable clock: intervals, jitter bounds, no overlap, cap, timeout. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProbeScheduler, type Clock, type ScheduledProbe } from '../src/probes/scheduler.ts';

/** A manual clock: timers fire only when the test advances time. */
class ManualClock implements Clock {
  private current = 0;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  now() {
    return this.current;
  }
  setTimeout(fn: () => void, ms: number) {
    const id = ++this.seq;
    this.timers.set(id, { at: this.current + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown) {
    this.timers.delete(handle as number);
  }
  /** Advances time, firing due timers in order and letting promise callbacks run between them. */
  async advance(ms: number) {
    const end = this.current + ms;
    for (;;) {
      const next = [...this.timers.entries()]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.current = next[1].at;
      next[1].fn();
      await flush();
    }
    this.current = end;
    await flush();
  }
}
const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

const probe = (id: string, intervalSeconds = 10, timeoutSeconds = 5): ScheduledProbe => ({
  id,
  intervalSeconds,
  timeoutSeconds,
});

/** An executor whose runs finish when the test says so (`execute`) or at once (`executeAndFinish`). */
function controllableExecutor(clock: ManualClock) {
  const starts: Array<{ id: string; at: number; signal: AbortSignal; finish: () => void }> = [];
  const execute = (p: ScheduledProbe, signal: AbortSignal) =>
    new Promise<void>((resolve) => starts.push({ id: p.id, at: clock.now(), signal, finish: resolve }));
  const executeAndFinish = async (p: ScheduledProbe, signal: AbortSignal) => {
    const run = execute(p, signal);
    starts.at(-1)!.finish();
    await run;
  };
  return { starts, execute, executeAndFinish };
}

describe('probe scheduler', () => {
  it('runs each probe at its interval (no jitter when random() is 0)', async () => {
    const clock = new ManualClock();
    const { starts, executeAndFinish } = controllableExecutor(clock);
    const s = new ProbeScheduler(executeAndFinish, {
      clock,
      concurrency: 10,
      random: () => 0,
      spreadFirstRun: false,
    });
    s.upsert(probe('a', 10));
    s.upsert(probe('b', 30));
    await clock.advance(60_000);
    expect(starts.filter((x) => x.id === 'a').map((x) => x.at)).toEqual([
      10_000, 20_000, 30_000, 40_000, 50_000, 60_000,
    ]);
    expect(starts.filter((x) => x.id === 'b').map((x) => x.at)).toEqual([30_000, 60_000]);
    s.remove('a');
    await clock.advance(30_000);
    expect(starts.filter((x) => x.id === 'a')).toHaveLength(6);
    s.stop();
  });

  it('keeps jitter within 10% of the interval', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 86_400 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (interval, r) => {
          const s = new ProbeScheduler(async () => undefined, {
            concurrency: 1,
            random: () => r,
            clock: new ManualClock(),
          });
          const delay = s.nextDelayMs(interval);
          expect(delay).toBeGreaterThanOrEqual(interval * 1000);
          expect(delay).toBeLessThanOrEqual(interval * 1000 * 1.1);
        },
      ),
    );
  });

  it('spreads probes with the same interval apart with jitter', async () => {
    const clock = new ManualClock();
    const { starts, execute } = controllableExecutor(clock);
    let i = 0;
    const randoms = [0.1, 0.5, 0.9];
    const s = new ProbeScheduler(execute, {
      clock,
      concurrency: 10,
      random: () => randoms[i++ % 3]!,
      spreadFirstRun: false,
    });
    for (const id of ['a', 'b', 'c']) s.upsert(probe(id, 100, 5));
    await clock.advance(110_000);
    expect(starts.map((x) => x.at)).toEqual([101_000, 105_000, 109_000]);
    s.stop();
  });

  it('spreads the first runs of probes added together over one interval', async () => {
    const clock = new ManualClock();
    const { starts, execute } = controllableExecutor(clock);
    let r = 0;
    const s = new ProbeScheduler(execute, { clock, concurrency: 100, random: () => (r++ % 10) / 10 });
    for (let i = 0; i < 10; i++) s.upsert(probe(`p${i}`, 60, 5));
    await clock.advance(59_999);
    const firsts = starts.map((x) => x.at).sort((a, b) => a - b);
    expect(firsts).toEqual([0, 6_000, 12_000, 18_000, 24_000, 30_000, 36_000, 42_000, 48_000, 54_000]);
    s.stop();
  });

  it('never overlaps a probe with itself: a due run while one is going is skipped and counted', async () => {
    const clock = new ManualClock();
    const { starts, execute } = controllableExecutor(clock);
    const s = new ProbeScheduler(execute, { clock, concurrency: 10, random: () => 0, spreadFirstRun: false });
    s.upsert(probe('slow', 10, 25)); // timeout longer than two intervals
    await clock.advance(10_000);
    expect(starts).toHaveLength(1);
    await clock.advance(20_000); // due at 20 s and 30 s while still running
    expect(starts).toHaveLength(1);
    expect(s.stats.skipped).toBe(2);
    expect(s.stats.skippedByProbe.get('slow')).toBe(2);
    starts[0]!.finish();
    await clock.advance(10_000);
    expect(starts).toHaveLength(2);
    expect(starts[1]!.at).toBe(40_000);
    s.stop();
  });

  it('caps global concurrency; waiting runs start when a slot frees and their lateness is measured', async () => {
    const clock = new ManualClock();
    const { starts, execute } = controllableExecutor(clock);
    const s = new ProbeScheduler(execute, { clock, concurrency: 2, random: () => 0, spreadFirstRun: false });
    for (const id of ['a', 'b', 'c', 'd']) s.upsert(probe(id, 60, 30));
    await clock.advance(60_000);
    expect(starts.map((x) => x.id)).toEqual(['a', 'b']);
    await clock.advance(2_000);
    starts[0]!.finish();
    await flush();
    expect(starts.map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(starts[2]!.at).toBe(62_000);
    expect(s.stats.latenessMs).toEqual([0, 0, 2_000]);
    s.stop();
  });

  it('aborts a run at its hard timeout and frees the slot', async () => {
    const clock = new ManualClock();
    const { starts, execute } = controllableExecutor(clock);
    const timedOut: string[] = [];
    const s = new ProbeScheduler(execute, {
      clock,
      concurrency: 1,
      random: () => 0,
      spreadFirstRun: false,
      onTimeout: (p) => timedOut.push(p.id),
    });
    s.upsert(probe('hung', 20, 5));
    s.upsert(probe('next', 22, 5));
    await clock.advance(20_000);
    expect(starts).toHaveLength(1);
    await clock.advance(4_999);
    expect(starts[0]!.signal.aborted).toBe(false);
    await clock.advance(1);
    expect(starts[0]!.signal.aborted).toBe(true);
    expect(timedOut).toEqual(['hung']);
    expect(s.stats.timedOut).toBe(1);
    // 'next' was due at 22 s, waited for the slot until 25 s.
    expect(starts[1]).toMatchObject({ id: 'next', at: 25_000 });
    s.stop();
  });

  it('reschedules on update and stops cleanly', async () => {
    const clock = new ManualClock();
    const { starts, executeAndFinish } = controllableExecutor(clock);
    const s = new ProbeScheduler(executeAndFinish, {
      clock,
      concurrency: 1,
      random: () => 0,
      spreadFirstRun: false,
    });
    s.upsert(probe('a', 100));
    await clock.advance(50_000);
    s.upsert(probe('a', 10));
    await clock.advance(10_000);
    expect(starts.map((x) => x.at)).toEqual([60_000]);
    s.stop();
    await clock.advance(100_000);
    expect(starts).toHaveLength(1);
    expect(s.size()).toBe(0);
  });
});
