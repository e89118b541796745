/** `vigil down`: stops a stack `vigil up` started (its supervisor first, then anything left). */
import { layoutOf } from './layout.ts';
import { poll } from './http.ts';
import { readState, removeState, stackStatus } from './state.ts';
import { isAlive, stopAll } from './supervisor.ts';

export interface DownResult {
  was: 'running' | 'orphaned' | 'stopped';
  stopped: string[];
}

export async function down(dataDir: string): Promise<DownResult> {
  const layout = layoutOf(dataDir);
  const state = readState(layout);
  const was = stackStatus(state);
  if (!state || was === 'stopped') {
    removeState(layout);
    return { was: 'stopped', stopped: [] };
  }
  const names = state.components.map((c) => c.name);
  if (was === 'running') {
    // The supervisor stops its components in order and removes stack.json.
    process.kill(state.supervisorPid, 'SIGTERM');
    await poll(
      'vigil up to stop',
      async () => (isAlive(state.supervisorPid) ? undefined : true),
      60_000,
      200,
    ).catch(() => undefined);
  }
  await stopAll(state.components.filter((c) => isAlive(c.pid)));
  removeState(layout);
  return { was, stopped: names };
}
