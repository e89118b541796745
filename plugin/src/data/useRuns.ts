/** Run hooks for the Runs, New run and Run detail pages (built on src/api/client.ts like the others). */
import { runnerClient } from '../api/client';
import type { Run, RunCreate, RunListQuery, RunLogsQuery, RunPage } from '../api/types';
import { queryKeys } from './keys';
import { type QueryOptions, useMutation, useQuery } from './query';

/** Runs newest first, without summaries: `{ items, nextCursor }`. */
export function useRuns(query: RunListQuery = {}, options?: QueryOptions<RunPage>) {
  return useQuery(queryKeys.runList(query), () => runnerClient.listRuns(query), options);
}

export function useRun(id: string, options?: QueryOptions<Run>) {
  return useQuery(queryKeys.run(id), () => runnerClient.getRun(id), options);
}

export function useRunEvents(id: string, options?: QueryOptions) {
  return useQuery(queryKeys.runEvents(id), () => runnerClient.runEvents(id), options);
}

export function useRunLogs(id: string, query: RunLogsQuery = {}, options?: QueryOptions) {
  return useQuery(queryKeys.runLogs(id, query), () => runnerClient.runLogs(id, query), options);
}

/** 404 `no_baseline` when the scenario and target have no baseline yet. */
export function useRunComparison(id: string, options?: QueryOptions) {
  return useQuery(queryKeys.runComparison(id), () => runnerClient.compareRun(id), options);
}

/** 400/409/429/503 RunnerErrors carry the runner's code (`limit_exceeded`, `too_many_runs`, `engine_unavailable`…). */
export function useCreateRun() {
  return useMutation((body: RunCreate) => runnerClient.createRun(body), { invalidates: [queryKeys.runs] });
}

export function useStopRun() {
  return useMutation((run: Pick<Run, 'id'>) => runnerClient.stopRun(run.id), { invalidates: [queryKeys.runs] });
}

export function useSetBaseline() {
  return useMutation((run: Pick<Run, 'id'>) => runnerClient.setBaseline(run.id), { invalidates: [queryKeys.runs] });
}
