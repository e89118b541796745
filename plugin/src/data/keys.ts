/**
 * Query keys of every query (the runner's, and the alerting datasources'). A key is an array; invalidating a prefix (`queryKeys.targets`)
 * refetches every query under it. Mutations invalidate the prefix of what they change.
 */
import type { NotificationQuery, OffsetPage, ProbeResultsQuery, RunListQuery, RunLogsQuery } from '../api/types';

export const queryKeys = {
  runner: ['runner'] as const,
  readiness: ['runner', 'readiness'] as const,
  scenarios: ['runner', 'scenarios'] as const,

  targets: ['targets'] as const,
  targetList: (page: OffsetPage) => ['targets', 'list', page] as const,
  target: (id: string) => ['targets', 'detail', id] as const,

  probes: ['probes'] as const,
  probeList: (page: OffsetPage) => ['probes', 'list', page] as const,
  probe: (id: string) => ['probes', 'detail', id] as const,
  probeResults: (id: string, query: ProbeResultsQuery) => ['probes', 'results', id, query] as const,

  runs: ['runs'] as const,
  runList: (query: RunListQuery) => ['runs', 'list', query] as const,
  run: (id: string) => ['runs', 'detail', id] as const,
  runEvents: (id: string) => ['runs', 'events', id] as const,
  runLogs: (id: string, query: RunLogsQuery) => ['runs', 'logs', id, query] as const,
  runComparison: (id: string) => ['runs', 'compare', id] as const,

  notifications: (query: NotificationQuery) => ['notifications', query] as const,

  /** Grafana's datasources, not the runner: Alertmanager's alerts and Prometheus' pending ones. */
  alerting: ['alerting'] as const,
  alertmanagerAlerts: (uid: string) => ['alerting', 'alertmanager', uid] as const,
  prometheusAlerts: (uid: string) => ['alerting', 'prometheus', uid] as const,
};
