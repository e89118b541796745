import { runnerClient } from '../api/client';
import type { OffsetPage, Probe, ProbeCreate, ProbePatch, ProbeResultsQuery } from '../api/types';
import { queryKeys } from './keys';
import { type QueryOptions, useMutation, useQuery } from './query';

/** One page of probes with their last result: `{ items, total }`. */
export function useProbes(page: OffsetPage = {}, options?: QueryOptions) {
  return useQuery(queryKeys.probeList(page), () => runnerClient.listProbes(page), options);
}

export function useProbe(id: string, options?: QueryOptions) {
  return useQuery(queryKeys.probe(id), () => runnerClient.getProbe(id), options);
}

/** A probe's results, newest first: `{ items, nextCursor }`. */
export function useProbeResults(id: string, query: ProbeResultsQuery = {}, options?: QueryOptions) {
  return useQuery(queryKeys.probeResults(id, query), () => runnerClient.listProbeResults(id, query), options);
}

export function useCreateProbe() {
  return useMutation((body: ProbeCreate) => runnerClient.createProbe(body), { invalidates: [queryKeys.probes] });
}

export function useUpdateProbe() {
  return useMutation(({ id, patch }: { id: string; patch: ProbePatch }) => runnerClient.updateProbe(id, patch), {
    invalidates: [queryKeys.probes],
  });
}

export function useDeleteProbe() {
  return useMutation((probe: Pick<Probe, 'id'>) => runnerClient.deleteProbe(probe.id), {
    invalidates: [queryKeys.probes],
  });
}

/** One walk now; resolves with `{ result }` when the walk is done (up to the probe's timeout). */
export function useRunProbe() {
  return useMutation((probe: Pick<Probe, 'id'>) => runnerClient.runProbe(probe.id), {
    invalidates: [queryKeys.probes],
  });
}
