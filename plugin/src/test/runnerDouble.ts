/**
 * The runner double's state (`runner`, reset before each test) and runnerRoute(), which answers one
 * runner operation behind Grafana's plugin proxy (`/api/plugin-proxy/vigil-mcp-app/<runner path>`)
 * and checks the request and the answer against runner/openapi.json (./openapi.ts); a test fails
 * on any mismatch (setupTests.ts). The handlers themselves are in handlers.ts and runHandlers.ts.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { AlertmanagerAlert, PrometheusAlert, SilenceCreate } from '../api/alerting';
import type { Notification, Probe, ProbeResult, Readiness, Run, Target } from '../api/types';
import { PROXY_BASE_URL } from '../constants';
import { READY, makeResult } from './fixtures';
import { type OpenApiMethod, checkRequest, checkResponse, recordViolations } from './openapi';

export interface RunnerAnswer {
  status: number;
  body?: unknown;
}

export interface RecordedRequest {
  method: string;
  template: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export const SECRET_FIELDS = ['clientSecret', 'loginPassword', 'clientPrivateKey'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];
export const HAS: Record<SecretField, 'hasClientSecret' | 'hasLoginPassword' | 'hasClientPrivateKey'> = {
  clientSecret: 'hasClientSecret',
  loginPassword: 'hasLoginPassword',
  clientPrivateKey: 'hasClientPrivateKey',
};

export interface StoredTarget {
  target: Target;
  /** What the app stored as secrets (tests assert on it; answers never carry it). */
  secrets: Partial<Record<SecretField, string>>;
}

/** The runner double's state, reset before each test. */
class RunnerState {
  targets = new Map<string, StoredTarget>();
  probes = new Map<string, Probe>();
  /** Newest first. */
  results = new Map<string, ProbeResult[]>();
  readiness: Readiness = READY;
  requests: RecordedRequest[] = [];
  /** Newest first. */
  runs: Run[] = [];
  runLogs = new Map<string, string[]>();
  /** Newest first. */
  notifications: Notification[] = [];
  /** What Alertmanager (`vigil-alertmanager`) lists, and the silences it was sent. */
  alertmanagerAlerts: AlertmanagerAlert[] = [];
  silences: SilenceCreate[] = [];
  /** What Prometheus' /api/v1/alerts lists. */
  prometheusAlerts: PrometheusAlert[] = [];
  /** What a walk ("Run now") produces. */
  walk: (probe: Probe) => ProbeResult = (probe) => makeResult({ probeId: probe.id, at: new Date().toISOString() });

  reset() {
    this.targets.clear();
    this.probes.clear();
    this.results.clear();
    this.readiness = READY;
    this.requests = [];
    this.runs = [];
    this.runLogs.clear();
    this.notifications = [];
    this.alertmanagerAlerts = [];
    this.silences = [];
    this.prometheusAlerts = [];
    this.walk = (probe) => makeResult({ probeId: probe.id, at: new Date().toISOString() });
  }

  addTarget(target: Target, secrets: StoredTarget['secrets'] = {}): Target {
    this.targets.set(target.id, { target, secrets });
    return target;
  }

  addProbe(probe: Probe, results: ProbeResult[] = probe.lastResult ? [probe.lastResult] : []): Probe {
    this.probes.set(probe.id, { ...probe, lastResult: null });
    this.results.set(
      probe.id,
      results.map((result) => ({ ...result, probeId: probe.id }))
    );
    return probe;
  }

  addRun(run: Run, log: string[] = []): Run {
    this.runs.unshift(run);
    this.runLogs.set(run.id, log);
    return run;
  }

  run(id: string): Run | undefined {
    return this.runs.find((run) => run.id === id);
  }

  /** Changes a stored run (e.g. a running one finishes between two polls). */
  updateRun(id: string, change: Partial<Run>): void {
    this.runs = this.runs.map((run) => (run.id === id ? { ...run, ...change } : run));
  }

  probeView(probe: Probe): Probe {
    return { ...probe, lastResult: this.results.get(probe.id)?.[0] ?? null };
  }

  /** The requests the app made to one operation. */
  requestsTo(method: OpenApiMethod, template: string): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method.toUpperCase() && request.template === template);
  }
}

export const runner = new RunnerState();

/** An error answer in the runner's shape. */
export function runnerError(status: number, code: string, message: string, field?: string): RunnerAnswer {
  return { status, body: { error: { code, message, ...(field ? { field } : {}) } } };
}

const proxyPath = (template: string) => `${PROXY_BASE_URL}${template.replace(/\{(\w+)\}/g, ':$1')}`;

async function readBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

/** A handler for one runner operation, checked against runner/openapi.json both ways. */
export function runnerRoute(
  method: OpenApiMethod,
  template: string,
  resolve: (context: RouteContext) => RunnerAnswer | Promise<RunnerAnswer>
): HttpHandler {
  return http[method](proxyPath(template), async ({ request, params }) => {
    const url = new URL(request.url);
    const body = await readBody(request);
    const stringParams = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, String(value)]));
    const label = `${method.toUpperCase()} ${template}`;
    runner.requests.push({
      method: method.toUpperCase(),
      template,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
    });
    recordViolations(
      `${label} request`,
      checkRequest(template, method, { params: stringParams, query: url.searchParams, body })
    );
    const answer = await resolve({ params: stringParams, query: url.searchParams, body });
    recordViolations(`${label} answered ${answer.status}`, checkResponse(template, method, answer.status, answer.body));
    return answer.body === undefined
      ? new HttpResponse(null, { status: answer.status })
      : HttpResponse.json(answer.body as Record<string, unknown>, { status: answer.status });
  });
}

/** An answer of Grafana's proxy itself (403 route denied, 502 runner unreachable…): `{ message }`. */
export function grafanaAnswer(method: OpenApiMethod, template: string, status: number, message: string): HttpHandler {
  return http[method](proxyPath(template), () => HttpResponse.json({ message }, { status }));
}

/** No answer at all (the browser could not reach Grafana). */
export function networkFailure(method: OpenApiMethod, template: string): HttpHandler {
  return http[method](proxyPath(template), () => HttpResponse.error());
}

export const notFound = (what: string, id: string) => runnerError(404, 'not_found', `${what} ${id} not found`, 'id');
