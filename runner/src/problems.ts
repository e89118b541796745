/**
 * What keeps the runner from doing its work, found at start (logged as warnings) and on every
 * /readyz: no k6 to run anything, and stored secrets this VIGIL_SECRET_KEY cannot open.
 */
import { locateK6 } from './engine/locate.ts';
import type { TargetService } from './targets.ts';

export interface Problem {
  code: 'k6_missing' | 'secrets_unreadable';
  message: string;
}

export function findProblems(deps: { k6Bin: string; path?: string; targets: TargetService }): Problem[] {
  const found: Problem[] = [];
  try {
    locateK6(deps.k6Bin, deps.path);
  } catch (error) {
    found.push({ code: 'k6_missing', message: `${(error as Error).message}: no run and no probe can start` });
  }
  const unreadable = deps.targets.unreadable();
  if (unreadable.length > 0)
    found.push({
      code: 'secrets_unreadable',
      message: `the stored secrets of ${unreadable.length} target(s) (${unreadable.map((t) => t.name).join(', ')}) cannot be opened with this VIGIL_SECRET_KEY (missing, or not the key they were stored with): their runs and probes are refused until the runner gets that key or the secrets are entered again`,
    });
  return found;
}
