/**
 * MSW handlers answering like the runner behind Grafana's plugin proxy
 * (`/api/plugin-proxy/vigil-mcp-app/<runner path>`), over an in-memory state (`runner`). Every
 * request and every answer goes through runnerRoute(), which checks both against
 * runner/openapi.json (./openapi.ts); a test fails on any mismatch (setupTests.ts).
 *
 * In a test: seed `runner` (runner.addTarget(...)), render, and assert; override one answer with
 * `server.use(runnerRoute('get', '/api/targets', () => runnerError(500, 'internal', '…')))`, or
 * simulate Grafana's proxy itself with grafanaAnswer() / networkFailure(). `runner.requests`
 * records what the app sent.
 */
import { type HttpHandler } from 'msw';
import type { Probe, ProbeCreate, ProbePatch, Target, TargetCreate, TargetPatch } from '../api/types';
import { SCENARIOS, nextId } from './fixtures';
import { datasourceHandlers, runHandlers } from './runHandlers';
import {
  HAS,
  type RunnerAnswer,
  SECRET_FIELDS,
  type SecretField,
  type StoredTarget,
  notFound,
  runner,
  runnerError,
  runnerRoute,
} from './runnerDouble';

export { grafanaAnswer, networkFailure, runner, runnerError, runnerRoute } from './runnerDouble';
export type { RecordedRequest, RunnerAnswer } from './runnerDouble';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

function page<T>(items: T[], query: URLSearchParams) {
  const limit = Number(query.get('limit') ?? 50);
  const offset = Number(query.get('offset') ?? 0);
  return { items: items.slice(offset, offset + limit), total: items.length };
}

function checkMcpUrl(raw: string): RunnerAnswer | undefined {
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      return undefined;
    }
  } catch {
    // refused below
  }
  return runnerError(400, 'url_refused', 'mcpUrl must be an absolute http(s) URL', 'mcpUrl');
}

function applyAuth(stored: StoredTarget, auth: NonNullable<TargetCreate['auth']>) {
  const shown: Record<string, unknown> = { ...stored.target.auth };
  for (const [key, value] of Object.entries(auth)) {
    if ((SECRET_FIELDS as readonly string[]).includes(key)) {
      const field = key as SecretField;
      if (value === null) {
        delete stored.secrets[field];
      } else if (typeof value === 'string') {
        stored.secrets[field] = value;
      }
    } else if (value === null) {
      delete shown[key];
    } else {
      shown[key] = value;
    }
  }
  for (const field of SECRET_FIELDS) {
    shown[HAS[field]] = stored.secrets[field] !== undefined;
  }
  stored.target = { ...stored.target, auth: shown as Target['auth'], updatedAt: new Date().toISOString() };
}

export const handlers: HttpHandler[] = [
  runnerRoute('get', '/readyz', () => ({
    status: runner.readiness.status === 'starting' ? 503 : 200,
    body: runner.readiness,
  })),
  runnerRoute('get', '/api/scenarios', () => ({ status: 200, body: SCENARIOS })),

  runnerRoute('get', '/api/targets', ({ query }) => ({
    status: 200,
    body: page(
      [...runner.targets.values()].map((stored) => stored.target),
      query
    ),
  })),
  runnerRoute('post', '/api/targets', ({ body }) => {
    const input = body as TargetCreate;
    if (!NAME.test(input.name)) {
      return runnerError(400, 'invalid_field', 'name must start with a letter or digit', 'name');
    }
    if ([...runner.targets.values()].some((stored) => stored.target.name === input.name)) {
      return runnerError(409, 'conflict', `a target named ${input.name} already exists`, 'name');
    }
    const refused = checkMcpUrl(input.mcpUrl);
    if (refused) {
      return refused;
    }
    const now = new Date().toISOString();
    const stored: StoredTarget = {
      target: {
        id: nextId('tgt'),
        name: input.name,
        mcpUrl: input.mcpUrl,
        auth: { hasClientSecret: false, hasLoginPassword: false, hasClientPrivateKey: false },
        createdAt: now,
        updatedAt: now,
      },
      secrets: {},
    };
    applyAuth(stored, input.auth ?? {});
    runner.targets.set(stored.target.id, stored);
    return { status: 201, body: stored.target };
  }),
  runnerRoute('get', '/api/targets/{id}', ({ params }) => {
    const stored = runner.targets.get(params.id);
    return stored ? { status: 200, body: stored.target } : notFound('target', params.id);
  }),
  runnerRoute('patch', '/api/targets/{id}', ({ params, body }) => {
    const stored = runner.targets.get(params.id);
    if (!stored) {
      return notFound('target', params.id);
    }
    const patch = body as TargetPatch;
    if (patch.mcpUrl !== undefined) {
      const refused = checkMcpUrl(patch.mcpUrl);
      if (refused) {
        return refused;
      }
    }
    stored.target = {
      ...stored.target,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.mcpUrl !== undefined ? { mcpUrl: patch.mcpUrl } : {}),
    };
    applyAuth(stored, patch.auth ?? {});
    return { status: 200, body: stored.target };
  }),
  runnerRoute('delete', '/api/targets/{id}', ({ params }) => {
    if (!runner.targets.has(params.id)) {
      return notFound('target', params.id);
    }
    const users = [...runner.probes.values()].filter((probe) => probe.targetId === params.id);
    if (users.length > 0) {
      return runnerError(
        409,
        'in_use',
        `target is used by probes: ${users.map((probe) => probe.name).join(', ')}`,
        'id'
      );
    }
    runner.targets.delete(params.id);
    return { status: 204 };
  }),

  runnerRoute('get', '/api/probes', ({ query }) => ({
    status: 200,
    body: page(
      [...runner.probes.values()].map((probe) => runner.probeView(probe)),
      query
    ),
  })),
  runnerRoute('post', '/api/probes', ({ body }) => {
    const input = body as ProbeCreate;
    if (!runner.targets.has(input.targetId)) {
      return runnerError(400, 'invalid_field', `target ${input.targetId} does not exist`, 'targetId');
    }
    if ([...runner.probes.values()].some((probe) => probe.name === input.name)) {
      return runnerError(409, 'conflict', `a probe named ${input.name} already exists`, 'name');
    }
    // the runner's default (runner/src/api/schemas.ts defaultProbeTimeoutSeconds)
    const timeoutSeconds = input.timeoutSeconds ?? Math.min(30, input.intervalSeconds - 1);
    if (timeoutSeconds >= input.intervalSeconds) {
      return runnerError(
        400,
        'invalid_field',
        `timeoutSeconds (${timeoutSeconds}) must be shorter than intervalSeconds (${input.intervalSeconds})`,
        'timeoutSeconds'
      );
    }
    const now = new Date().toISOString();
    const probe: Probe = {
      id: nextId('prb'),
      name: input.name,
      targetId: input.targetId,
      intervalSeconds: input.intervalSeconds,
      timeoutSeconds,
      enabled: input.enabled ?? true,
      strict: input.strict ?? 'off',
      skippedRuns: 0,
      lastResult: null,
      createdAt: now,
      updatedAt: now,
    };
    runner.addProbe(probe);
    return { status: 201, body: runner.probeView(probe) };
  }),
  runnerRoute('get', '/api/probes/{id}', ({ params }) => {
    const probe = runner.probes.get(params.id);
    return probe ? { status: 200, body: runner.probeView(probe) } : notFound('probe', params.id);
  }),
  runnerRoute('patch', '/api/probes/{id}', ({ params, body }) => {
    const probe = runner.probes.get(params.id);
    if (!probe) {
      return notFound('probe', params.id);
    }
    const next: Probe = { ...probe, ...(body as ProbePatch), updatedAt: new Date().toISOString() };
    if (next.timeoutSeconds >= next.intervalSeconds) {
      return runnerError(400, 'invalid_field', 'timeoutSeconds must be shorter than intervalSeconds', 'timeoutSeconds');
    }
    runner.probes.set(probe.id, next);
    return { status: 200, body: runner.probeView(next) };
  }),
  runnerRoute('delete', '/api/probes/{id}', ({ params }) => {
    if (!runner.probes.delete(params.id)) {
      return notFound('probe', params.id);
    }
    runner.results.delete(params.id);
    return { status: 204 };
  }),
  runnerRoute('post', '/api/probes/{id}/run', ({ params }) => {
    const probe = runner.probes.get(params.id);
    if (!probe) {
      return notFound('probe', params.id);
    }
    const result = { ...runner.walk(probe), probeId: probe.id };
    runner.results.set(probe.id, [result, ...(runner.results.get(probe.id) ?? [])]);
    return { status: 200, body: { result } };
  }),
  runnerRoute('get', '/api/probes/{id}/results', ({ params, query }) => {
    if (!runner.probes.has(params.id)) {
      return notFound('probe', params.id);
    }
    const limit = Number(query.get('limit') ?? 50);
    return { status: 200, body: { items: (runner.results.get(params.id) ?? []).slice(0, limit), nextCursor: null } };
  }),

  ...runHandlers(),
  runnerRoute('get', '/api/notifications', ({ query }) => {
    const limit = Number(query.get('limit') ?? 50);
    const afterId = Number(query.get('afterId') ?? 0);
    const items = runner.notifications.filter((notification) => notification.id > afterId).slice(0, limit);
    return { status: 200, body: { items, latestId: runner.notifications[0]?.id ?? 0 } };
  }),
  ...datasourceHandlers(),
];
