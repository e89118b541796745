/** Run statuses: which are active, which have a verdict, and how each is shown. */
import type { BadgeColor } from '@grafana/ui';
import { RUN_STATUSES as CATALOG_RUN_STATUSES } from '@vigil/scenarios/catalog/metrics.ts';
import type { Run, RunStatus } from '../../api/types';

/** Every run status, from the catalog the runner uses too (RunStatus.utils.test.ts checks runner/openapi.json). */
export const RUN_STATUSES: readonly RunStatus[] = CATALOG_RUN_STATUSES;

const ACTIVE: ReadonlySet<RunStatus> = new Set(['queued', 'running']);

/** Queued or running: it can be stopped, and its page polls. */
export const isActive = (run: Pick<Run, 'status'>) => ACTIVE.has(run.status);

/** Passed or failed: k6 ran to the end and judged the thresholds (only such a run can be a baseline). */
export const hasVerdict = (run: Pick<Run, 'status'>) => run.status === 'passed' || run.status === 'failed';

export const STATUS_DISPLAY: Record<RunStatus, { color: BadgeColor; description: string }> = {
  queued: { color: 'blue', description: 'waiting for its engine to start it' },
  running: { color: 'blue', description: 'k6 is running' },
  passed: { color: 'green', description: 'every threshold held' },
  failed: { color: 'red', description: 'a threshold was crossed' },
  error: { color: 'red', description: 'the script or the engine failed: see the log' },
  stopped: { color: 'darkgrey', description: 'stopped before its end: no verdict' },
  interrupted: { color: 'orange', description: 'the runner stopped while it ran: no verdict' },
  timeout: { color: 'orange', description: 'took longer than planned and was ended: no verdict' },
};

/** "42%" while running with a known progress; '' otherwise. */
export function formatProgress(run: Pick<Run, 'status' | 'progress'>): string {
  return isActive(run) && typeof run.progress === 'number' ? `${Math.round(run.progress * 100)}%` : '';
}

/** How long the run took (or has been running, until `now`); undefined before it started. */
export function runDurationSeconds(run: Pick<Run, 'startedAt' | 'finishedAt'>, now = Date.now()): number | undefined {
  if (!run.startedAt) {
    return undefined;
  }
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return Math.max(0, Math.round((end - Date.parse(run.startedAt)) / 1000));
}
