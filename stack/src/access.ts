/** How commands reach a running stack's runner and reference server (URLs, token files). */
import { readFileSync } from 'node:fs';
import { layoutOf } from './layout.ts';
import { readState, stackStatus, type StackState } from './state.ts';

export class StackNotRunning extends Error {}

export function runningStack(dataDir: string): StackState {
  const layout = layoutOf(dataDir);
  const state = readState(layout);
  if (!state || stackStatus(state) !== 'running')
    throw new StackNotRunning(
      `no stack is running in ${layout.dir}: start one with \`vigil up\` (or \`npm start\`)`,
    );
  return state;
}

export function secretOf(state: StackState, name: keyof StackState['secrets']): string {
  return readFileSync(state.secrets[name], 'utf8').trim();
}
