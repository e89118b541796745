import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface Service {
  /** Base URL (http://127.0.0.1:port) or redis:// URL. */
  url: string;
  port: number;
  /** Scratch directory owned by the service, removed on stop. */
  dir: string;
  process: ChildProcess;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function scratchDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `vigil-${prefix}-`));
}

/** Spawns a real binary, keeps its output, and stops it (SIGTERM, then SIGKILL) on demand. */
export function spawnService(
  binary: string,
  args: string[],
  opts: { url: string; port: number; dir: string; env?: NodeJS.ProcessEnv },
): Service {
  const child = spawn(binary, args, {
    cwd: opts.dir,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (error) => {
    output += `\nspawn error: ${error.message}`;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));
  return {
    url: opts.url,
    port: opts.port,
    dir: opts.dir,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(opts.dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits for a just-spawned service to become ready; if it does not, stops it and throws with
 * everything it wrote, so a failed start explains itself.
 */
export async function whenReady(service: Service, ready: () => Promise<unknown>): Promise<Service> {
  try {
    await ready();
  } catch (error) {
    await service.stop();
    throw new Error(`${(error as Error).message}\n${service.output()}`);
  }
  return service;
}
