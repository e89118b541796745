/**
 * The local engine: spawns k6 in its own process group, streams its output (secrets scrubbed) to
 * the run's log, follows progress, and maps the exit code and summary file to a run outcome.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { VigilSummary } from '@vigil/scenarios/catalog';
import { scrub } from '../secrets.ts';
import { k6Args, k6ChildEnv, summaryPath } from './k6-args.ts';
import { locateK6, scenarioScript } from './locate.ts';
import { logPath, tailLogFile, type LogTail } from './logs.ts';
import { parseSummary } from './summary.ts';
import {
  statusFromExitCode,
  type Engine,
  type EngineOutcome,
  type LeftoverRun,
  type RunHandle,
  type RunHooks,
  type RunSpec,
} from './types.ts';

export interface LocalEngineOptions {
  k6Bin: string;
  remoteWriteUrl?: string;
  stopGraceMs: number;
  scenariosDir?: string;
  /** Where K6_* settings and PATH come from (process.env by default). */
  parentEnv?: NodeJS.ProcessEnv;
}

/** Sends a signal to a whole process group; false when the group is gone. */
function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

const PROGRESS = /\[\s*(\d{1,3}(?:\.\d+)?)%\s*\]/;
// k6 logs a failed push as level=error with the output's name; it has no retry (docs/design.md).
const REMOTE_WRITE_ERROR = /level=error.*(remote write|time series|prometheus)/i;

/** Any HTTP answer means the endpoint is reachable; a connection error or timeout does not. */
export async function reachable(url: string, timeoutMs = 2000): Promise<boolean> {
  try {
    await fetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

function readSummary(path: string): VigilSummary | null {
  try {
    return parseSummary(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** Ends a leftover k6 process group, unless its pid now belongs to an unrelated process. */
function endLeftoverGroup(pgid: number, runId: string): boolean {
  const cmdline = `/proc/${pgid}/cmdline`;
  if (existsSync(cmdline)) {
    let text = '';
    try {
      text = readFileSync(cmdline, 'utf8');
    } catch {
      return false;
    }
    if (!text.includes(`testid=${runId}`)) return false; // pid reused by something else
  }
  return signalGroup(pgid, 'SIGKILL');
}

export class LocalEngine implements Engine {
  readonly name = 'local' as const;
  constructor(private readonly options: LocalEngineOptions) {}

  /** k6's output is streamed to the run folder's k6.log as it comes (scrubbed line by line). */
  async logs(_runId: string, runDir: string, tail: number): Promise<LogTail> {
    return tailLogFile(runDir, tail);
  }

  async abandon(run: LeftoverRun): Promise<boolean> {
    return run.pgid !== null && endLeftoverGroup(run.pgid, run.id);
  }

  async start(spec: RunSpec, hooks: RunHooks = {}): Promise<RunHandle> {
    const bin = locateK6(this.options.k6Bin, (this.options.parentEnv ?? process.env).PATH);
    const script = scenarioScript(spec.scenario, this.options.scenariosDir).path;
    const remoteWriteUrl = this.options.remoteWriteUrl;
    mkdirSync(spec.runDir, { recursive: true, mode: 0o700 });
    const reachableBefore = remoteWriteUrl ? await reachable(remoteWriteUrl) : true;
    const secrets = Object.values(spec.secretEnv);
    const log = createWriteStream(logPath(spec.runDir), { flags: 'a', mode: 0o600 });

    const child = spawn(bin, k6Args(spec, script, { remoteWrite: Boolean(remoteWriteUrl) }), {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: k6ChildEnv(spec, this.options.parentEnv ?? process.env, remoteWriteUrl),
      cwd: spec.runDir,
    });
    const pgid = child.pid ?? null;
    let stopRequested = false;
    let timedOut = false;
    let pushFailed = false;
    let killTimer: NodeJS.Timeout | undefined;

    const onLine = (line: string) => {
      log.write(`${scrub(line, secrets)}\n`);
      const progress = PROGRESS.exec(line);
      if (progress) hooks.onProgress?.(Math.min(1, Number(progress[1]) / 100));
      if (REMOTE_WRITE_ERROR.test(line)) pushFailed = true;
    };
    const stdoutDone = new Promise((r) =>
      createInterface({ input: child.stdout! }).on('line', onLine).on('close', r),
    );
    const stderrDone = new Promise((r) =>
      createInterface({ input: child.stderr! }).on('line', onLine).on('close', r),
    );

    const terminate = () => {
      if (pgid === null) return;
      signalGroup(pgid, 'SIGTERM');
      killTimer ??= setTimeout(() => signalGroup(pgid, 'SIGKILL'), this.options.stopGraceMs);
    };
    const timeout = setTimeout(() => {
      timedOut = true;
      terminate();
    }, spec.timeoutMs);

    const exited = new Promise<{ code: number | null; spawnError?: Error }>((resolve) => {
      child.once('error', (spawnError) => resolve({ code: null, spawnError }));
      child.once('exit', (code) => resolve({ code }));
    });

    const done = (async (): Promise<EngineOutcome> => {
      const { code, spawnError } = await exited;
      clearTimeout(timeout);
      if (killTimer) clearTimeout(killTimer);
      if (pgid !== null) signalGroup(pgid, 'SIGKILL'); // children the script may have left behind
      if (!spawnError) await Promise.all([stdoutDone, stderrDone]);
      await new Promise((r) => log.end(r));
      const summary = readSummary(summaryPath(spec.runDir));
      const mapped = statusFromExitCode(code);
      let status = mapped.status;
      let error = spawnError ? `could not start k6: ${spawnError.message}` : mapped.error;
      if (timedOut)
        [status, error] = ['timeout', `run exceeded its limit of ${Math.round(spec.timeoutMs / 1000)} s`];
      else if (stopRequested) [status, error] = ['stopped', null];
      else if (status === 'passed' && summary && !summary.ok) status = 'failed';
      const reachableAfter = remoteWriteUrl ? await reachable(remoteWriteUrl) : true;
      const metricsDelivered = remoteWriteUrl ? reachableBefore && reachableAfter && !pushFailed : null;
      return { status, exitCode: code, summary, error: error && scrub(error, secrets), metricsDelivered };
    })();

    hooks.onStarted?.({ pgid });
    return {
      pgid,
      done,
      stop: (reason = 'user') => {
        if (reason === 'timeout') timedOut = true;
        else stopRequested = true;
        terminate();
      },
    };
  }
}
