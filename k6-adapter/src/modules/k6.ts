/** The `k6` module (check, group, sleep, fail, randomSeed) and `k6/execution`. */
import type { Runtime } from '../runtime.ts';
import { TestAbortSignal } from '../runtime.ts';

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** k6's sleep blocks the VU: so does this (scaled by sleepScale so tests do not wait). */
function blockFor(ms: number): void {
  if (ms > 0) Atomics.wait(sleepCell, 0, 0, ms);
}

function isThenable(value: unknown): boolean {
  return !!value && typeof (value as { then?: unknown }).then === 'function';
}

export function createK6Module(runtime: Runtime) {
  const check = (value: unknown, sets: Record<string, unknown>, tags?: Record<string, unknown>): boolean => {
    runtime.requirePhase(['setup', 'vu', 'teardown'], 'check()');
    let all = true;
    for (const [name, predicate] of Object.entries(sets ?? {})) {
      const ok = Boolean(
        typeof predicate === 'function' ? (predicate as (v: unknown) => unknown)(value) : predicate,
      );
      all &&= ok;
      // k6 sets the check system tag first, so a tag the script passes wins.
      runtime.addSample(
        'checks',
        ok ? 1 : 0,
        runtime.sampleTags({ ...runtime.enabledSystemTags({ check: name }), ...(tags ?? {}) }),
      );
      const key = `${runtime.groupPath}::${name}`;
      const tally = runtime.checks.get(key) ?? {
        name,
        path: key,
        groupPath: runtime.groupPath,
        passes: 0,
        fails: 0,
      };
      if (ok) tally.passes++;
      else tally.fails++;
      runtime.checks.set(key, tally);
    }
    return all;
  };

  const group = <T>(name: string, body: () => T): T => {
    if (typeof name !== 'string' || name === '' || name.includes('::')) {
      throw runtime.error(`group and check names may not be empty or contain '::' (got "${String(name)}")`);
    }
    // k6 1.x refuses async group callbacks (their checks would land outside the group).
    if (Object.prototype.toString.call(body) === '[object AsyncFunction]') {
      throw runtime.error('group() does not support async functions as arguments');
    }
    const parent = runtime.groupPath;
    runtime.groupPath = `${parent}::${name}`;
    const started = performance.now();
    try {
      const result = body();
      if (isThenable(result))
        runtime.log('WARN', `group "${name}" returned a promise: k6 does not wait for it inside the group`);
      return result;
    } finally {
      runtime.addSample('group_duration', performance.now() - started, runtime.sampleTags());
      runtime.groupPath = parent;
    }
  };

  return {
    check,
    group,
    sleep: (seconds: number) =>
      blockFor(Math.min(Number(seconds) * 1000 * runtime.settings.sleepScale, runtime.remainingMs())),
    fail: (message?: string): never => {
      throw runtime.error(message ?? '');
    },
    randomSeed: (_seed: number) => {
      runtime.log('WARN', 'randomSeed() is a no-op in the test-only adapter');
    },
  };
}

function insideScenario<T>(runtime: Runtime, read: (scenario: NonNullable<Runtime['scenario']>) => T): T {
  if (!runtime.scenario)
    throw runtime.error('getting scenario information outside of the VU context is not supported');
  return read(runtime.scenario);
}

export function createExecutionModule(runtime: Runtime) {
  const scenario = {
    get name() {
      return insideScenario(runtime, (s) => s.name);
    },
    get executor() {
      return insideScenario(runtime, (s) => s.executor);
    },
    get startTime() {
      return insideScenario(runtime, (s) => s.startTime);
    },
    get progress() {
      return insideScenario(runtime, () => 0);
    },
    get iterationInInstance() {
      return insideScenario(runtime, (s) => s.iterationInScenario);
    },
    get iterationInTest() {
      return insideScenario(runtime, (s) => s.iterationInScenario);
    },
  };
  const vu = {
    get idInInstance() {
      return runtime.vu;
    },
    get idInTest() {
      return runtime.vu;
    },
    get iterationInInstance() {
      return runtime.iteration;
    },
    get iterationInScenario() {
      return insideScenario(runtime, (s) => s.iterationInScenario);
    },
    get tags() {
      return runtime.vuTags;
    },
    metrics: {
      get tags() {
        return runtime.vuTags;
      },
      metadata: {},
    },
  };
  const instance = {
    get iterationsInterrupted() {
      return runtime.iterationErrors.length;
    },
    get iterationsCompleted() {
      return runtime.iterationInTest;
    },
    vusActive: 1,
    vusInitialized: 1,
    get currentTestRunDuration() {
      return runtime.elapsedMs();
    },
  };
  const test = {
    abort: (reason?: string): never => {
      const text = reason ?? 'test aborted';
      runtime.aborted = { reason: text };
      runtime.log('ERRO', `test aborted: ${text}`, { source: 'console' });
      throw new TestAbortSignal(text);
    },
    fail: (message?: string): void => {
      runtime.failedMark = { reason: message ?? 'test marked as failed' };
      runtime.log('ERRO', `test marked as failed${message ? `: ${message}` : ''}`);
    },
    get options() {
      return runtime.options;
    },
  };
  return { scenario, vu, instance, test };
}
