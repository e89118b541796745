/**
 * Timers (global and `k6/timers`) and `k6/secrets`. Timers hold the iteration open like k6's
 * event loop does; secrets resolve from the run's `secrets` map and are redacted from logs.
 */
import type { Runtime } from '../runtime.ts';

type Callback = (...args: unknown[]) => unknown;

export function createTimers(runtime: Runtime) {
  const active = new Map<number, { cancel: () => void }>();
  let nextId = 1;

  const schedule =
    (repeat: boolean) =>
    (callback: unknown, delay?: unknown, ...args: unknown[]): number => {
      if (typeof callback !== 'function')
        throw runtime.error(`${repeat ? 'setInterval' : 'setTimeout'}: callback must be a function`);
      const id = nextId++;
      const loop = runtime.loop;
      const ms = Math.max(0, Number(delay) || 0);
      const release = loop.hold(() => cancel());
      const cancel = () => {
        if (repeat) clearInterval(handle);
        else clearTimeout(handle);
        active.delete(id);
        release();
      };
      const fire = () => {
        if (!repeat) active.delete(id);
        loop.invoke(() => (callback as Callback)(...args));
        if (!repeat) release();
      };
      const handle = repeat ? setInterval(fire, ms) : setTimeout(fire, ms);
      active.set(id, { cancel });
      return id;
    };
  const clear = (id: unknown) => active.get(Number(id))?.cancel();
  return {
    setTimeout: schedule(false),
    setInterval: schedule(true),
    clearTimeout: clear,
    clearInterval: clear,
  };
}

export function createSecretsModule(runtime: Runtime) {
  const get = (name: unknown): Promise<string> =>
    new runtime.realm.Promise<string>((resolve, reject) => {
      const value = typeof name === 'string' ? runtime.settings.secrets[name] : undefined;
      if (value === undefined) {
        reject(
          runtime.error(`no secret with name "${String(name)}" (k6 adapter: pass it in options.secrets)`),
        );
        return;
      }
      runtime.revealSecret(value);
      resolve(value);
    });
  return { get, source: (_sourceName: string) => ({ get }) };
}
