/**
 * `runK6Script`, the adapter's public entry: bundles the script (refusing imports k6 cannot load),
 * then runs it in an engine worker thread. The engine is itself bundled with esbuild once per
 * process, because a Node 20 worker cannot load the adapter's TypeScript without a loader.
 */
import * as esbuild from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { bundleScript } from './bundle.ts';
import type { AdapterRunOptions, AdapterRunResult } from './types.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Beyond timeoutMs the run stops itself (exit 105); this margin is for a script stuck in a sync loop. */
const HARD_KILL_MARGIN_MS = 20_000;

let engineSource: Promise<string> | undefined;

function buildEngine(): Promise<string> {
  engineSource ??= esbuild
    .build({
      entryPoints: [path.join(HERE, 'engine-worker.ts')],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'silent',
      // ws loads these optional native helpers in a try/catch.
      external: ['bufferutil', 'utf-8-validate'],
    })
    .then((result) => result.outputFiles[0]!.text);
  return engineSource;
}

function validate(options: AdapterRunOptions): void {
  if (!path.isAbsolute(options.script))
    throw new Error(`runK6Script: options.script must be an absolute path (got "${options.script}")`);
  if (options.k6Version !== undefined && options.k6Version !== '1' && options.k6Version !== '2') {
    throw new Error(`runK6Script: options.k6Version must be '1' or '2' (got "${String(options.k6Version)}")`);
  }
  for (const field of ['maxIterationsPerScenario', 'sleepScale', 'timeoutMs'] as const) {
    const value = options[field];
    if (value !== undefined && (typeof value !== 'number' || value < 0))
      throw new Error(`runK6Script: options.${field} must be a non-negative number`);
  }
}

/**
 * Runs a k6 script like `k6 run` (TEST-ONLY). Rejects with ScriptBundleError when the script
 * imports something k6 cannot load; every k6 outcome (exceptions, thresholds, abort) is a result.
 */
export async function runK6Script(options: AdapterRunOptions): Promise<AdapterRunResult> {
  validate(options);
  const [source, engine] = await Promise.all([bundleScript(options.script), buildEngine()]);
  const worker = new Worker(engine, {
    eval: true,
    workerData: { options, source, httpWorkerFile: path.join(HERE, 'http-worker.mjs') },
  });
  const hardLimit = (options.timeoutMs ?? 60_000) + HARD_KILL_MARGIN_MS;
  try {
    return await new Promise<AdapterRunResult>((resolve, reject) => {
      const killer = setTimeout(
        () =>
          reject(
            new Error(
              `k6 adapter: script still running ${hardLimit} ms after start (stuck in a synchronous loop?)`,
            ),
          ),
        hardLimit,
      );
      worker.once(
        'message',
        (message: { ok: true; result: AdapterRunResult } | { ok: false; error: string }) => {
          clearTimeout(killer);
          if (message.ok) resolve(message.result);
          else reject(new Error(`k6 adapter engine failed: ${message.error}`));
        },
      );
      worker.once('error', (error) => {
        clearTimeout(killer);
        reject(error);
      });
      worker.once('exit', (code) => {
        clearTimeout(killer);
        reject(new Error(`k6 adapter engine exited with code ${code} before reporting`));
      });
    });
  } finally {
    await worker.terminate();
  }
}
