import { runnerClient } from '../api/client';
import { RunnerError } from '../api/errors';
import type { Readiness, Scenarios } from '../api/types';
import { queryKeys } from './keys';
import { type QueryOptions, useMutation, useQuery } from './query';

/** The runner's `/readyz`: `ready`, `degraded` with its problems, or `starting`. */
export function useRunnerHealth(options?: QueryOptions) {
  return useQuery(queryKeys.readiness, runnerClient.readiness, options);
}

export interface ConnectionTestResult {
  readiness: Readiness;
  /** The catalog, when the token was accepted. */
  scenarios?: Scenarios;
  /** Why `/api/scenarios` failed (`/readyz` needs no token, so a wrong token shows up only here). */
  scenariosError?: RunnerError;
}

/**
 * The configuration page's "Test connection": `/readyz` (is the runner there and able to run?) then
 * `/api/scenarios` (does it accept the token?), both through the plugin proxy, i.e. with the
 * *saved* settings. Rejects with the `/readyz` error when the runner cannot be reached at all.
 */
export function useRunnerConnectionTest() {
  return useMutation<void, ConnectionTestResult>(async () => {
    const readiness = await runnerClient.readiness();
    try {
      const scenarios = await runnerClient.scenarios();
      return { readiness, scenarios };
    } catch (error) {
      if (error instanceof RunnerError) {
        return { readiness, scenariosError: error };
      }
      throw error;
    }
  });
}
