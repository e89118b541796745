import { runnerClient } from '../api/client';
import type { OffsetPage, Target, TargetCreate, TargetPatch } from '../api/types';
import { queryKeys } from './keys';
import { type QueryOptions, useMutation, useQuery } from './query';

/** The most a page may hold (the runner's `limit` maximum). */
export const MAX_PAGE_SIZE = 500;

/** One page of targets: `{ items, total }`. */
export function useTargets(page: OffsetPage = {}, options?: QueryOptions) {
  return useQuery(queryKeys.targetList(page), () => runnerClient.listTargets(page), options);
}

/** Every target (up to 500), e.g. for a picker or to name a probe's target. */
export function useAllTargets(options?: QueryOptions) {
  return useTargets({ limit: MAX_PAGE_SIZE, offset: 0 }, options);
}

export function useTarget(id: string, options?: QueryOptions) {
  return useQuery(queryKeys.target(id), () => runnerClient.getTarget(id), options);
}

export function useCreateTarget() {
  return useMutation((body: TargetCreate) => runnerClient.createTarget(body), { invalidates: [queryKeys.targets] });
}

export function useUpdateTarget() {
  return useMutation(({ id, patch }: { id: string; patch: TargetPatch }) => runnerClient.updateTarget(id, patch), {
    invalidates: [queryKeys.targets],
  });
}

/** Rejects with a RunnerError `in_use` (409) while probes use the target. */
export function useDeleteTarget() {
  return useMutation((target: Pick<Target, 'id'>) => runnerClient.deleteTarget(target.id), {
    invalidates: [queryKeys.targets],
  });
}
