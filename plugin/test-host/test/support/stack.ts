/**
 * The whole local Vigil stack for the browser walk, started as a newcomer starts it and as
 * stack/test/stack.e2e.test.ts does: `vigil up --free-ports --no-grafana --data-dir <tmp>` with the
 * TEST DOUBLE of k6 (runner/test/fixtures/k6-adapter-shim.mjs: the real scenario scripts through
 * the test-only adapter; there is no k6 binary here) and no stack dir from the environment. That
 * is a real `vigil serve`, Redis, the reference OAuth MCP server, Prometheus (remote-write
 * receiver) and Alertmanager, each on a free loopback port. `stop()` runs `vigil down` and makes
 * sure no component process and no port is left.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { secretOf } from '../../../../stack/src/access.ts';
import { layoutOf } from '../../../../stack/src/layout.ts';
import { REPO_DIR } from '../../../../stack/src/paths.ts';
import { isFree } from '../../../../stack/src/ports.ts';
import { type StackState, readState } from '../../../../stack/src/state.ts';
import { isAlive } from '../../../../stack/src/supervisor.ts';

const VIGIL = path.join(REPO_DIR, 'runner', 'bin', 'vigil.js');
/** TEST DOUBLE for k6: the real scenario scripts through the test-only adapter (runner/test/fixtures). */
const K6_DOUBLE = path.join(REPO_DIR, 'runner', 'test', 'fixtures', 'k6-adapter-shim.mjs');

export interface LocalStack {
  state: StackState;
  /** The runner's API token (the stack generated it into its data dir). */
  runnerToken: string;
  /** Everything `vigil up` printed so far. */
  output(): string;
  /** `vigil down`, then SIGTERM / SIGKILL for whatever is left; resolves once no process and no port remains. */
  stop(): Promise<{ leftovers: string[] }>;
}

function stackEnv(): NodeJS.ProcessEnv {
  return { ...process.env, K6_BIN: K6_DOUBLE, VIGIL_STACK_DIR: '' };
}

function run(args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [VIGIL, ...args], { env: stackEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function waitForExit(child: ChildProcess, exited: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(true);
  }
  return Promise.race([
    exited.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs)),
  ]);
}

export async function startLocalStack({ readyTimeoutMs = 120_000 } = {}): Promise<LocalStack> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vigil-walk-'));
  const up = spawn(process.execPath, [VIGIL, 'up', '--free-ports', '--no-grafana', '--data-dir', dataDir], {
    env: stackEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  up.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  up.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => up.once('exit', () => resolve()));
  // The supervisor stops its components on SIGTERM; never leave it running past the test process.
  const killOnExit = () => up.kill('SIGTERM');
  process.once('exit', killOnExit);

  let stopped: Promise<{ leftovers: string[] }> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      const components = readState(layoutOf(dataDir))?.components ?? [];
      if (up.exitCode === null && up.signalCode === null) {
        await run(['down', '--data-dir', dataDir], 30_000);
        if (!(await waitForExit(up, exited, 15_000))) {
          up.kill('SIGTERM');
          if (!(await waitForExit(up, exited, 10_000))) {
            up.kill('SIGKILL');
            await exited;
          }
        }
      }
      process.removeListener('exit', killOnExit);
      const leftovers: string[] = [];
      for (const component of components) {
        if (isAlive(component.pid)) {
          process.kill(component.pid, 'SIGKILL');
          leftovers.push(`${component.name} (pid ${component.pid}) was still running`);
        }
        const port = Number(new URL(component.url.replace(/^redis:/, 'http:')).port);
        if (port && !(await isFree(port))) {
          leftovers.push(`${component.name} port ${port} is still taken`);
        }
      }
      await rm(dataDir, { recursive: true, force: true });
      return { leftovers };
    })());

  const deadline = Date.now() + readyTimeoutMs;
  while (!output.includes('Ready.')) {
    if (up.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`vigil up did not say Ready. within ${readyTimeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const state = readState(layoutOf(dataDir));
  if (!state?.ready || !state.prometheusUrl || !state.alertmanagerUrl) {
    await stop();
    throw new Error(`vigil up said Ready. but its state is incomplete:\n${JSON.stringify(state, null, 2)}`);
  }
  return { state, runnerToken: secretOf(state, 'runner-token'), output: () => output, stop };
}
