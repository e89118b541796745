import { runnerClient } from '../api/client';
import { queryKeys } from './keys';
import { type QueryOptions, useQuery } from './query';

/** The catalog as the runner serves it: scenarios, parameters and bounds, profiles, SLOs, limits. */
export function useScenarios(options?: QueryOptions) {
  return useQuery(queryKeys.scenarios, runnerClient.scenarios, options);
}
