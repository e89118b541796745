/**
 * Starts the components as child processes, each in its own process group with its output in
 * logs/<name>.log, and stops them: SIGTERM to the group, SIGKILL after a grace period, in the
 * reverse order of their start (the runner before the Prometheus it writes to).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface ComponentSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  logFile: string;
  /** Resolves when the component answers; rejects with what is wrong. */
  ready: () => Promise<void>;
}

export interface Running {
  name: string;
  pid: number;
  logFile: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const STOP_GRACE_MS = 10_000;

/** The last lines of a log, for a failure message. */
export function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Spawns one component; throws if it exits or does not answer before `ready` gives up. */
export async function start(spec: ComponentSpec): Promise<Running> {
  const out = openSync(spec.logFile, 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LANG: process.env.LANG ?? 'C.UTF-8',
      ...spec.env,
    },
    stdio: ['ignore', out, out],
    detached: true,
  });
  closeSync(out);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  if (child.pid === undefined) await spawnError;
  const running: Running = { name: spec.name, pid: child.pid!, logFile: spec.logFile, child, exited };
  const died = exited.then(({ code, signal }) => {
    throw new Error(`${spec.name} exited (${signal ?? `code ${code}`}) before it was ready`);
  });
  try {
    await Promise.race([spec.ready(), died, spawnError]);
  } catch (error) {
    await stop(running);
    const tail = logTail(spec.logFile);
    throw new Error(
      `${(error as Error).message}\n  its log (${spec.logFile}):\n${tail.replace(/^/gm, '    ')}`,
    );
  }
  void died.catch(() => undefined);
  return running;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM to the component's process group, SIGKILL after the grace period. */
export async function stop(running: Pick<Running, 'pid'> & { exited?: Running['exited'] }): Promise<void> {
  signalGroup(running.pid, 'SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS;
  const groupAlive = () => isAlive(-running.pid) || isAlive(running.pid);
  while (groupAlive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive()) signalGroup(running.pid, 'SIGKILL');
  if (running.exited) await running.exited;
  const killedBy = Date.now() + 2_000;
  while (groupAlive() && Date.now() < killedBy) await new Promise((r) => setTimeout(r, 50));
}

/** Stops components last-started first. */
export async function stopAll(
  components: Array<Pick<Running, 'pid'> & { exited?: Running['exited'] }>,
): Promise<void> {
  for (const component of [...components].reverse()) await stop(component);
}
