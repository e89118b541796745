/**
 * stack.json: what a running `vigil up` started. `vigil down`, `vigil status`, `vigil alerts` and
 * `vigil drill` read it; it names secret files, never their contents.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Layout, SecretName } from './layout.ts';
import { isAlive } from './supervisor.ts';

export interface ComponentState {
  name: string;
  pid: number;
  /** What a person opens or a client connects to. */
  url: string;
  /** Answers 2xx when the component is up (redis: none, checked by its pid). */
  healthUrl?: string;
  logFile: string;
}

export interface StackState {
  version: 1;
  /** The `vigil up` process supervising the components. */
  supervisorPid: number;
  startedAt: string;
  /** False while starting; true once every component answered and the probe exists. */
  ready: boolean;
  dataDir: string;
  components: ComponentState[];
  runnerUrl: string;
  referenceUrl: string;
  mcpUrl: string;
  prometheusUrl?: string;
  alertmanagerUrl?: string;
  grafanaUrl?: string;
  secrets: Record<SecretName, string>;
}

export function readState(layout: Layout): StackState | undefined {
  try {
    return JSON.parse(readFileSync(layout.stateFile, 'utf8')) as StackState;
  } catch {
    return undefined;
  }
}

export function writeState(layout: Layout, state: StackState): void {
  const temp = `${layout.stateFile}.tmp`;
  writeFileSync(temp, JSON.stringify(state, null, 2), { mode: 0o600 });
  renameSync(temp, layout.stateFile);
}

export function removeState(layout: Layout): void {
  rmSync(layout.stateFile, { force: true });
}

/** running: the supervisor lives; orphaned: it died and left components behind; stopped: nothing. */
export function stackStatus(state: StackState | undefined): 'running' | 'orphaned' | 'stopped' {
  if (!state) return 'stopped';
  if (isAlive(state.supervisorPid)) return 'running';
  return state.components.some((c) => isAlive(c.pid)) ? 'orphaned' : 'stopped';
}
