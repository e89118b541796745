/**
 * The vm context a script runs in: ECMAScript intrinsics minus what k6's JS runtime (Sobek) lacks,
 * plus exactly the globals k6 provides (docs/design.md, "k6 as a JavaScript runtime"). Everything Node adds
 * (URL, fetch, Buffer, process, structuredClone, performance, queueMicrotask, ...) is simply never
 * put in, so `typeof URL === 'undefined'` inside a script, as in k6.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TextDecoder, TextEncoder } from 'node:util';
import { webcrypto } from 'node:crypto';
import vm from 'node:vm';
import type { Realm, Runtime } from './runtime.ts';
import { toHostBufferSources } from './modules/bytes.ts';
import type { createTimers } from './modules/timers.ts';

/** V8 intrinsics a fresh vm context has that k6 does not (Sobek implements none of them). */
export const REMOVED_INTRINSICS = [
  'Intl',
  'WeakRef',
  'FinalizationRegistry',
  'WebAssembly',
  'SharedArrayBuffer',
  'Atomics',
] as const;

/** Globals k6 1.x and 2.x define in every script. */
export const K6_GLOBALS = [
  'setTimeout',
  'setInterval',
  'clearTimeout',
  'clearInterval',
  'crypto',
  'console',
  'open',
  'require',
  '__ENV',
  '__VU',
  '__ITER',
] as const;
/** Only in k6 2.x. */
export const K6_2_GLOBALS = ['TextEncoder', 'TextDecoder'] as const;

const SUBTLE_METHODS = [
  'digest',
  'importKey',
  'exportKey',
  'generateKey',
  'sign',
  'verify',
  'encrypt',
  'decrypt',
  'deriveBits',
  'deriveKey',
] as const;

function formatArgument(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Object.prototype.toString.call(value) === '[object Error]') return String(value);
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function scriptConsole(runtime: Runtime) {
  const write =
    (level: 'INFO' | 'WARN' | 'ERRO') =>
    (...args: unknown[]) =>
      runtime.log(level, args.map(formatArgument).join(' '), { source: 'console' });
  // console.debug is only shown with --verbose in k6: dropped, as k6 run does by default.
  return {
    log: write('INFO'),
    info: write('INFO'),
    warn: write('WARN'),
    error: write('ERRO'),
    debug: () => {},
  };
}

/** WebCrypto taking the script's buffers (any realm) and giving results made in its realm (ArrayBuffer, Promise, Error). */
function scriptCrypto(runtime: Runtime) {
  const convert = (value: unknown) =>
    Object.prototype.toString.call(value) === '[object ArrayBuffer]'
      ? runtime.toScriptArrayBuffer(new Uint8Array(value as ArrayBuffer))
      : value;
  const subtle: Record<string, unknown> = {};
  for (const method of SUBTLE_METHODS) {
    const hostMethod = webcrypto.subtle[method] as (...a: unknown[]) => Promise<unknown>;
    subtle[method] = (...args: unknown[]) =>
      new runtime.realm.Promise((resolve, reject) => {
        Promise.resolve()
          .then(() =>
            hostMethod.apply(
              webcrypto.subtle,
              args.map((arg) => toHostBufferSources(arg)),
            ),
          )
          .then(
            (value) => resolve(convert(value)),
            (error: Error) => reject(runtime.error(`${error.name}: ${error.message}`)),
          );
      });
  }
  return {
    getRandomValues: <T extends ArrayBufferView>(array: T) =>
      webcrypto.getRandomValues(array as unknown as Uint8Array) as unknown as T,
    randomUUID: () => webcrypto.randomUUID(),
    subtle,
  };
}

export interface ContextGlobals {
  runtime: Runtime;
  timers: ReturnType<typeof createTimers>;
  requireModule: (name: string) => unknown;
}

export interface ScriptContext {
  context: vm.Context;
  realm: Realm;
  setVuGlobals: (vu: number, iteration: number) => void;
}

export function createScriptContext({ runtime, timers, requireModule }: ContextGlobals): ScriptContext {
  const context = vm.createContext(
    {},
    { name: 'k6 VU (test-only adapter)', codeGeneration: { strings: true, wasm: false } },
  );
  vm.runInContext(
    `for (const name of ${JSON.stringify(['console', ...REMOVED_INTRINSICS])}) delete globalThis[name];`,
    context,
  );
  const realm = vm.runInContext(
    '({ Error, ArrayBuffer, Uint8Array, Promise, JSON, Object, Array })',
    context,
  ) as Realm;
  const open = (file: string, mode?: string) => {
    if (runtime.phase !== 'init') throw runtime.error('open() is only available in the init context');
    const resolved = path.resolve(runtime.settings.scriptDir, String(file));
    try {
      const bytes = readFileSync(resolved);
      return mode === 'b' ? runtime.toScriptArrayBuffer(bytes) : bytes.toString('utf8');
    } catch {
      throw runtime.error(`open ${resolved}: no such file or directory`);
    }
  };
  const globals: Record<string, unknown> = {
    ...timers,
    crypto: scriptCrypto(runtime),
    console: scriptConsole(runtime),
    open,
    require: requireModule,
    __ENV: { ...runtime.settings.env },
    __VU: 0,
    __ITER: 0,
  };
  if (runtime.settings.k6Version === '2') Object.assign(globals, { TextEncoder, TextDecoder });
  for (const [name, value] of Object.entries(globals)) {
    Object.defineProperty(context, name, {
      value,
      writable: name.startsWith('__'),
      configurable: true,
      enumerable: false,
    });
  }
  return {
    context,
    realm,
    setVuGlobals: (vu, iteration) => {
      context.__VU = vu;
      context.__ITER = iteration;
    },
  };
}
