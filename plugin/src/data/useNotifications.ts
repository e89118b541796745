import { runnerClient } from '../api/client';
import type { NotificationQuery } from '../api/types';
import { queryKeys } from './keys';
import { type QueryOptions, useQuery } from './query';

/** What Alertmanager sent to the runner's own receiver, newest first: `{ items, latestId }`. */
export function useNotifications(query: NotificationQuery = {}, options?: QueryOptions) {
  return useQuery(queryKeys.notifications(query), () => runnerClient.listNotifications(query), options);
}
