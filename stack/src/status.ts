/** `vigil status`: what a `vigil up` runs, each component's pid and whether it answers. */
import { layoutOf } from './layout.ts';
import { request } from './http.ts';
import { readState, stackStatus, type StackState } from './state.ts';
import { isAlive } from './supervisor.ts';

export interface ComponentStatus {
  name: string;
  pid: number;
  url: string;
  state: 'up' | 'not answering' | 'exited';
  logFile: string;
}

export interface Status {
  stack: 'running' | 'orphaned' | 'stopped' | 'starting';
  state?: StackState;
  components: ComponentStatus[];
}

export async function status(dataDir: string): Promise<Status> {
  const state = readState(layoutOf(dataDir));
  const stack = stackStatus(state);
  if (!state || stack === 'stopped') return { stack: 'stopped', components: [] };
  const components = await Promise.all(
    state.components.map(async (c): Promise<ComponentStatus> => {
      if (!isAlive(c.pid)) return { ...c, state: 'exited' };
      if (!c.healthUrl) return { ...c, state: 'up' };
      const answered = await request(c.healthUrl, { timeoutMs: 2_000 }).then(
        (res) => res.status < 300,
        () => false,
      );
      return { ...c, state: answered ? 'up' : 'not answering' };
    }),
  );
  return { stack: stack === 'running' && !state.ready ? 'starting' : stack, state, components };
}
