import type { ScenarioDef, VigilSummary } from '@vigil/scenarios/catalog';
import type { K6Blocklist } from '../hosts.ts';
import type { RunStatus } from '../store/types.ts';
import type { LogTail } from './logs.ts';

/** Everything an engine needs to start one k6 run. */
export interface RunSpec {
  runId: string;
  kind: 'load' | 'probe';
  scenario: ScenarioDef;
  profile: string;
  /** Bounded label value: the target's name (never a URL). */
  targetName: string;
  /** Non-secret script environment (MCP_URL, PROFILE, auth settings, overrides). */
  env: Record<string, string>;
  /** CLIENT_SECRET, LOGIN_PASSWORD, CLIENT_PRIVATE_KEY: never on a command line or in a manifest. */
  secretEnv: Record<string, string>;
  /** Directory for this run's summary and log. */
  runDir: string;
  /** Hard limit: the run is killed and marked `timeout` after this. */
  timeoutMs: number;
  /** Addresses and names k6 must refuse to connect to (on every run, whatever the script does). */
  blocklist: K6Blocklist;
}

export interface EngineOutcome {
  status: RunStatus;
  exitCode: number | null;
  summary: VigilSummary | null;
  error: string | null;
  /** null when no remote-write URL is configured. */
  metricsDelivered: boolean | null;
}

export interface RunHooks {
  onProgress?: (fraction: number) => void;
  onStarted?: (info: { pgid: number | null }) => void;
}

export interface RunHandle {
  /** Process group of the local k6 (null for other engines). */
  pgid: number | null;
  done: Promise<EngineOutcome>;
  /** `timeout`: a caller's hard limit passed (the run is recorded as `timeout`, not `stopped`). */
  stop(reason?: StopReason): void;
}

export type StopReason = 'user' | 'timeout';

/** A run a previous runner left active (crash): what an engine needs to end what it left behind. */
export interface LeftoverRun {
  id: string;
  /** Process group of a local k6 (null for other engines). */
  pgid: number | null;
}

export interface Engine {
  readonly name: 'local' | 'kubernetes';
  start(spec: RunSpec, hooks?: RunHooks): Promise<RunHandle>;
  /** The tail of a run's k6 output, secrets scrubbed: from its run folder, or live while it runs. */
  logs(runId: string, runDir: string, tail: number): Promise<LogTail>;
  /** Ends what a run left behind after a runner crash; true when something was still there. */
  abandon(run: LeftoverRun): Promise<boolean>;
}

export class EngineUnavailable extends Error {}

/** No k6 executable where the runner looks (K6_BIN, PATH): nothing can run until it is installed. */
export class K6Missing extends EngineUnavailable {}

export const K6_INSTALL_URL = 'https://grafana.com/docs/k6/latest/set-up/install-k6/';

/** k6 exit codes (docs/design.md) to a run status and a short, secret-free explanation. */
export function statusFromExitCode(code: number | null): { status: RunStatus; error: string | null } {
  switch (code) {
    case 0:
      return { status: 'passed', error: null };
    case 99:
      return { status: 'failed', error: null };
    case 105:
      return { status: 'stopped', error: 'k6 was interrupted (SIGINT/SIGTERM)' };
    case 103:
      return { status: 'stopped', error: 'k6 was stopped through its REST API' };
    case 107:
      return { status: 'error', error: 'the script threw an exception (k6 exit 107)' };
    case 108:
      return { status: 'failed', error: 'the script aborted the test (test.abort(), k6 exit 108)' };
    case 110:
      return { status: 'failed', error: 'the script failed the test (test.fail(), k6 exit 110)' };
    case 100:
    case 101:
      return { status: 'error', error: `setup or teardown timed out (k6 exit ${code})` };
    case 104:
      return { status: 'error', error: 'k6 refused the configuration (exit 104)' };
    case null:
      return { status: 'error', error: 'k6 was killed by a signal' };
    default:
      return { status: 'error', error: `k6 exited with code ${code}` };
  }
}
