/**
 * Entry point of the engine worker thread. The script (and its blocking http calls) runs here, not
 * in the caller's thread, so a server started by the same test process keeps answering while the
 * script waits on it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { executeRun, reportUnhandledRejection } from './runner.ts';
import type { AdapterRunOptions } from './types.ts';

interface EngineInput {
  options: AdapterRunOptions;
  source: string;
  httpWorkerFile: string;
}

const input = workerData as EngineInput;
// Without this a script's unhandled rejection would crash the worker instead of ending the iteration.
process.on('unhandledRejection', reportUnhandledRejection);
executeRun(input.options, input.source, input.httpWorkerFile).then(
  (result) => parentPort!.postMessage({ ok: true, result }),
  (error: Error) => parentPort!.postMessage({ ok: false, error: error.stack ?? String(error) }),
);
