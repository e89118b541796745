/**
 * What every route module shares, kept in a leaf so the routes never import the server that
 * composes them: the dependencies a route gets, and the request helpers (zod parsing that names
 * the field, a `:id` loader).
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { RunnerConfig } from '../config.ts';
import type { RunnerMetrics } from '../metrics.ts';
import type { NotificationStore } from '../notifications.ts';
import type { Problem } from '../problems.ts';
import type { ProbeService } from '../probes/service.ts';
import type { RunBuilderDeps } from '../run-request.ts';
import type { RunManager } from '../runs.ts';
import type { Store } from '../store/store.ts';
import type { TargetService } from '../targets.ts';
import { fromZod, notFound } from './errors.ts';
import { idParamSchema } from './schemas.ts';

export interface ApiDeps {
  config: RunnerConfig;
  store: Store;
  targets: TargetService;
  runs: RunManager;
  /** What buildRunRequest checks a run against (one instance, shared with the probe service). */
  runBuilder: RunBuilderDeps;
  probes: ProbeService;
  /** Alertmanager's notifications, as the runner's webhook received them. */
  notifications: NotificationStore;
  metrics: RunnerMetrics;
  logger: Logger;
  isReady: () => boolean;
  /** What keeps the runner from running probes and runs (k6 missing, unreadable secrets). */
  problems: () => Problem[];
}

export function parse<T extends z.ZodType>(schema: T, value: unknown, prefix = ''): z.output<T> {
  const result = schema.safeParse(value ?? (prefix === 'body' ? undefined : {}));
  if (!result.success) throw fromZod(result.error, prefix === 'body' ? '' : prefix);
  return result.data;
}

/** Reads a route's `:id` param and returns a loader of that record: 400 on a bad id, 404 naming `what` when absent. */
export function loaderById<T>(what: string, get: (id: string) => T | undefined): (params: unknown) => T {
  return (params) => {
    const { id } = parse(idParamSchema, params, 'id');
    const record = get(id);
    if (!record) throw notFound(what, id);
    return record;
  };
}
