/**
 * The Runs list's filters as URL search params (so a filtered list can be linked to, e.g. from a
 * target or an alert), and how a run's settings read.
 */
import { RUN_KINDS } from '@vigil/scenarios/catalog/metrics.ts';
import type { Run, RunKind, RunListQuery, RunStatus } from '../../api/types';
import { RUN_STATUSES, STATUS_DISPLAY } from '../../components/RunStatus/RunStatus.utils';

export const KIND_OPTIONS = RUN_KINDS.map((kind) => ({ label: kind, value: kind }));
export const STATUS_OPTIONS = RUN_STATUSES.map((status) => ({
  label: status,
  value: status,
  description: STATUS_DISPLAY[status].description,
}));

/** The list's filters, as the runner's query names them. */
export type RunFilters = Pick<RunListQuery, 'scenario' | 'target' | 'status' | 'kind'>;
export const FILTER_KEYS = ['scenario', 'target', 'status', 'kind'] as const;

const isStatus = (value: string): value is RunStatus => (RUN_STATUSES as readonly string[]).includes(value);
const isKind = (value: string): value is RunKind => (RUN_KINDS as readonly string[]).includes(value);

/** Filters from the page URL; values the runner would refuse (an unknown status) are dropped. */
export function filtersFromSearch(search: URLSearchParams): RunFilters {
  const filters: RunFilters = {};
  const scenario = search.get('scenario');
  const target = search.get('target');
  const status = search.get('status');
  const kind = search.get('kind');
  if (scenario) {
    filters.scenario = scenario.slice(0, 64);
  }
  if (target) {
    filters.target = target.slice(0, 64);
  }
  if (status && isStatus(status)) {
    filters.status = status;
  }
  if (kind && isKind(kind)) {
    filters.kind = kind;
  }
  return filters;
}

/** The search params of a filter change (an empty value removes the filter); other params are kept. */
export function withFilter(search: URLSearchParams, key: keyof RunFilters, value: string | undefined): URLSearchParams {
  const next = new URLSearchParams(search);
  if (value) {
    next.set(key, value);
  } else {
    next.delete(key);
  }
  return next;
}

/** Who started the run, from Grafana's user header ("admin"), or how ('' when started outside Grafana). */
export function createdByText(run: Pick<Run, 'createdBy'>): string {
  return run.createdBy?.login ?? '';
}

/** Overrides as `vus=10 duration=30s`, sorted by key. */
export function overridesText(overrides: Run['overrides']): string {
  return Object.keys(overrides)
    .sort()
    .map((key) => `${key}=${overrides[key]}`)
    .join(' ');
}
