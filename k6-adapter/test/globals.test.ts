import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { K6_2_GLOBALS, K6_GLOBALS, ScriptBundleError, runK6Script, type K6Version } from '../src/index.ts';

const fixture = (name: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name);

/** docs/design.md: absent in real k6 1.6 and 2.2 — plus what Sobek lacks and Node's own globals. */
const ABSENT = [
  'URL',
  'URLSearchParams',
  'fetch',
  'Headers',
  'AbortController',
  'atob',
  'btoa',
  'Buffer',
  'process',
  'structuredClone',
  'performance',
  'queueMicrotask',
  'WeakRef',
  'Intl',
  'global',
  'setImmediate',
  'FinalizationRegistry',
  'WebAssembly',
  'module',
  'exports',
  '__dirname',
  'Request',
  'Response',
];

async function globalTypes(k6Version: K6Version): Promise<Record<string, Record<string, string>>> {
  const names = [...ABSENT, ...K6_GLOBALS, ...K6_2_GLOBALS, 'Promise', 'globalThis'];
  const result = await runK6Script({
    script: fixture('globals.ts'),
    env: { NAMES: names.join(',') },
    k6Version,
  });
  const seen: Record<string, Record<string, string>> = {};
  for (const line of result.logs) {
    const match = /^INFO\[\d+\] (init|iteration) (\{.*\})/.exec(line);
    if (match) seen[match[1]!] = JSON.parse(match[2]!) as Record<string, string>;
  }
  return seen;
}

describe.each(['1', '2'] as const)('globals in a script (k6 %s)', (k6Version) => {
  it('hides every global k6 lacks and provides every one it has', async () => {
    const seen = await globalTypes(k6Version);
    for (const where of ['init', 'iteration']) {
      const types = seen[where]!;
      for (const name of ABSENT) expect(types[name], `${where}: ${name}`).toBe('undefined');
      for (const name of [
        'setTimeout',
        'setInterval',
        'clearTimeout',
        'clearInterval',
        'open',
        'require',
        'Promise',
      ]) {
        expect(types[name], `${where}: ${name}`).toBe('function');
      }
      for (const name of ['crypto', 'console', '__ENV', 'globalThis'])
        expect(types[name], `${where}: ${name}`).toBe('object');
      for (const name of ['__VU', '__ITER']) expect(types[name], `${where}: ${name}`).toBe('number');
      for (const name of K6_2_GLOBALS)
        expect(types[name], `${where}: ${name}`).toBe(k6Version === '2' ? 'function' : 'undefined');
    }
  });
});

describe('a script leaning on Node fails as it would in k6', () => {
  it('new URL() throws inside the iteration (logged, exit 0 — as k6)', async () => {
    const result = await runK6Script({
      script: fixture('uses-url.ts'),
      env: { BASE_URL: 'http://127.0.0.1:1' },
    });
    expect(result.iterationErrors).toEqual(['ReferenceError: URL is not defined']);
    expect(result.exitCode).toBe(0);
  });

  it.each(['fetch', 'atob', 'structuredClone'])('calling %s throws', async (name) => {
    const result = await runK6Script({ script: fixture('globals.ts'), env: { NAMES: name, USE: name } });
    expect(result.iterationErrors).toHaveLength(1);
    expect(result.iterationErrors[0]).toMatch(/TypeError/);
  });

  it('refuses Node builtin imports and remote modules at bundling, naming the import', async () => {
    await expect(runK6Script({ script: fixture('node-import.ts') })).rejects.toThrow(ScriptBundleError);
    await expect(runK6Script({ script: fixture('node-import.ts') })).rejects.toThrow(
      /"node:fs" is neither a k6 module nor a relative path/,
    );
    await expect(runK6Script({ script: fixture('remote-import.ts') })).rejects.toThrow(
      /remote module "https:\/\/jslib\.k6\.io/,
    );
  });
});
