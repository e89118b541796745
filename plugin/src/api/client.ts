/**
 * The one client for the runner's API. Every call goes through Grafana's plugin proxy
 * (`/api/plugin-proxy/vigil-mcp-app/<runner path>`, routes in src/plugin.json): Grafana adds the
 * runner token server-side, so it never reaches the browser. Request and answer types come from
 * the generated OpenAPI types (./types.ts); every failure is thrown as a RunnerError (./errors.ts).
 *
 * Components do not call this directly: they use the hooks in src/data/, which cache, refetch and
 * invalidate.
 */
import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { PROXY_BASE_URL } from '../constants';
import { toRunnerError } from './errors';
import type {
  OffsetPage,
  Probe,
  ProbeCreate,
  ProbePage,
  ProbePatch,
  ProbeResultPage,
  ProbeResultsQuery,
  ProbeRunAnswer,
  NotificationPage,
  NotificationQuery,
  Readiness,
  Run,
  RunComparison,
  RunCreate,
  RunEvents,
  RunListQuery,
  RunLogs,
  RunLogsQuery,
  RunPage,
  RunnerPath,
  Scenarios,
  Target,
  TargetCreate,
  TargetPage,
  TargetPatch,
} from './types';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Query = Record<string, string | number | boolean | undefined>;

/**
 * Fills the `{id}` placeholders of an OpenAPI path: `runnerPath('/api/targets/{id}', { id })`.
 * The typed template keeps every call on a path the OpenAPI document has.
 */
export function runnerPath(template: RunnerPath, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) {
      throw new Error(`runnerPath: no value for {${name}} in ${template}`);
    }
    return encodeURIComponent(value);
  });
}

/** The browser-side URL of a runner path: through the plugin proxy. */
export function proxyUrl(path: string): string {
  return `${PROXY_BASE_URL}${path}`;
}

interface CallOptions<T> {
  query?: Query;
  body?: unknown;
  /** An error status whose body is still an answer (the runner's 503 `starting` on /readyz). */
  answerOnError?: (status: number, data: unknown) => T | undefined;
}

async function call<T>(method: Method, path: string, options: CallOptions<T> = {}): Promise<T> {
  const params = options.query
    ? Object.fromEntries(Object.entries(options.query).filter(([, value]) => value !== undefined))
    : undefined;
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<T>({
        url: proxyUrl(path),
        method,
        params,
        data: options.body,
        // The pages show errors themselves, with what to do; no Grafana toasts.
        showErrorAlert: false,
        showSuccessAlert: false,
      })
    );
    return response.data;
  } catch (error) {
    const failure = error as { status?: unknown; data?: unknown };
    const answer =
      typeof failure?.status === 'number' ? options.answerOnError?.(failure.status, failure.data) : undefined;
    if (answer !== undefined) {
      return answer;
    }
    throw toRunnerError(error);
  }
}

function isReadiness(data: unknown): data is Readiness {
  return typeof data === 'object' && data !== null && typeof (data as Readiness).status === 'string';
}

const id = (value: string) => ({ id: value });

export const runnerClient = {
  /** `GET /readyz`: `ready`, `degraded` (with the problems) or `starting` (a 503, answered here as data). */
  readiness: () =>
    call<Readiness>('GET', runnerPath('/readyz'), {
      answerOnError: (status, data) => (status === 503 && isReadiness(data) ? data : undefined),
    }),

  /** `GET /api/scenarios`: the catalog as the runner serves it (needs the token). */
  scenarios: () => call<Scenarios>('GET', runnerPath('/api/scenarios')),

  listTargets: (query: OffsetPage = {}) => call<TargetPage>('GET', runnerPath('/api/targets'), { query }),
  getTarget: (targetId: string) => call<Target>('GET', runnerPath('/api/targets/{id}', id(targetId))),
  createTarget: (body: TargetCreate) => call<Target>('POST', runnerPath('/api/targets'), { body }),
  /** Absent fields are kept; `null` clears a field or a stored secret. */
  updateTarget: (targetId: string, patch: TargetPatch) =>
    call<Target>('PATCH', runnerPath('/api/targets/{id}', id(targetId)), { body: patch }),
  /** 409 `in_use` while probes use the target. */
  deleteTarget: (targetId: string) => call<void>('DELETE', runnerPath('/api/targets/{id}', id(targetId))),

  listProbes: (query: OffsetPage = {}) => call<ProbePage>('GET', runnerPath('/api/probes'), { query }),
  getProbe: (probeId: string) => call<Probe>('GET', runnerPath('/api/probes/{id}', id(probeId))),
  createProbe: (body: ProbeCreate) => call<Probe>('POST', runnerPath('/api/probes'), { body }),
  updateProbe: (probeId: string, patch: ProbePatch) =>
    call<Probe>('PATCH', runnerPath('/api/probes/{id}', id(probeId)), { body: patch }),
  deleteProbe: (probeId: string) => call<void>('DELETE', runnerPath('/api/probes/{id}', id(probeId))),
  /** One walk now; answers when it is done (up to the probe's timeout). */
  runProbe: (probeId: string) => call<ProbeRunAnswer>('POST', runnerPath('/api/probes/{id}/run', id(probeId))),
  /** Newest first; `nextCursor` pages on. */
  listProbeResults: (probeId: string, query: ProbeResultsQuery = {}) =>
    call<ProbeResultPage>('GET', runnerPath('/api/probes/{id}/results', id(probeId)), { query }),

  /** Newest first, without summaries; `nextCursor` pages on. */
  listRuns: (query: RunListQuery = {}) => call<RunPage>('GET', runnerPath('/api/runs'), { query }),
  getRun: (runId: string) => call<Run>('GET', runnerPath('/api/runs/{id}', id(runId))),
  createRun: (body: RunCreate) => call<Run>('POST', runnerPath('/api/runs'), { body }),
  stopRun: (runId: string) => call<Run>('POST', runnerPath('/api/runs/{id}/stop', id(runId))),
  runEvents: (runId: string) => call<RunEvents>('GET', runnerPath('/api/runs/{id}/events', id(runId))),
  runLogs: (runId: string, query: RunLogsQuery = {}) =>
    call<RunLogs>('GET', runnerPath('/api/runs/{id}/logs', id(runId)), { query }),
  setBaseline: (runId: string) => call<Run>('POST', runnerPath('/api/runs/{id}/baseline', id(runId))),
  compareRun: (runId: string) => call<RunComparison>('GET', runnerPath('/api/runs/{id}/compare', id(runId))),

  /** What Alertmanager sent to the runner's own receiver, newest first. */
  listNotifications: (query: NotificationQuery = {}) =>
    call<NotificationPage>('GET', runnerPath('/api/notifications'), { query }),
};

export type RunnerClient = typeof runnerClient;
