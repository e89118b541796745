/**
 * k6's per-VU event loop, reduced to what matters for correctness: an iteration ends only when
 * its returned promise settled AND nothing async it started (timers, WebSockets, async requests)
 * is still pending; an exception thrown in a callback ends the iteration with that error.
 */
export class EventLoop {
  private pending = 0;
  private failure: { error: unknown } | undefined;
  private readonly cleanups = new Set<() => void>();
  private wake: (() => void) | undefined;

  /** Registers pending work; call the returned function once it is done (idempotent). */
  hold(cleanup?: () => void): () => void {
    this.pending++;
    if (cleanup) this.cleanups.add(cleanup);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (cleanup) this.cleanups.delete(cleanup);
      this.pending--;
      if (this.pending === 0) this.wake?.();
    };
  }

  /** An uncaught exception in a callback: the iteration ends with it. */
  fail(error: unknown): void {
    if (!this.failure) this.failure = { error };
    this.wake?.();
  }

  /** Runs a callback coming from outside the script (timer, socket event) and routes its exceptions. */
  invoke(callback: () => unknown): void {
    try {
      const result = callback();
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        const release = this.hold();
        (result as Promise<unknown>).then(release, (error: unknown) => {
          release();
          this.fail(error);
        });
      }
    } catch (error) {
      this.fail(error);
    }
  }

  /** Resolves when no work is pending; rejects with the first callback exception. */
  async drain(): Promise<void> {
    while (this.pending > 0 && !this.failure) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    if (this.failure) throw this.failure.error;
  }

  /** Drops whatever is still pending (end of iteration after an error, or run stop). */
  dispose(): void {
    for (const cleanup of [...this.cleanups]) cleanup();
    this.cleanups.clear();
    this.pending = 0;
  }
}
