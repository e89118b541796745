import {
  PROFILES,
  PROFILE_DESCRIPTIONS,
  SCENARIOS,
  SCENARIO_ENV,
  SLOS,
  WORKLOADS,
} from '@vigil/scenarios/catalog';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './request.ts';
import { answers, healthResponse, readyResponse, scenariosResponse } from './responses.ts';

export function registerMiscRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness',
        tags: ['health'],
        security: [],
        response: answers({ 200: healthResponse }),
      },
    },
    async () => ({
      status: 'ok',
    }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary:
          'Readiness: 503 while starting; 200 `ready`, or `degraded` with the problems that keep runs and probes from starting (k6 missing, secrets this key cannot open)',
        tags: ['health'],
        security: [],
        response: answers({ 200: readyResponse, 503: readyResponse }),
      },
    },
    async (_req, reply) => {
      const ready = deps.isReady() && deps.store.db.open;
      if (!ready) return reply.code(503).send({ status: 'starting', problems: [] });
      const problems = deps.problems();
      return reply.code(200).send({ status: problems.length > 0 ? 'degraded' : 'ready', problems });
    },
  );

  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics (probe gauges, run thresholds)', tags: ['health'] } },
    async (_req, reply) => {
      const body = await deps.metrics.registry.metrics();
      return reply.type(deps.metrics.registry.contentType).send(body);
    },
  );

  app.get(
    '/api/scenarios',
    {
      schema: {
        summary: 'The catalog: scenarios, parameters, profiles, SLOs, limits',
        tags: ['catalog'],
        response: answers({ 200: scenariosResponse }),
      },
    },
    async () => {
      const { limits } = deps.config;
      return {
        scenarios: Object.values(SCENARIOS).map((s) => ({
          ...s,
          workloads: s.workloads.map((id) => ({ id, title: WORKLOADS[id].title, flow: WORKLOADS[id].flow })),
        })),
        profiles: PROFILES.map((id) => ({ id, description: PROFILE_DESCRIPTIONS[id] })),
        slos: SLOS,
        env: SCENARIO_ENV,
        limits: {
          maxVus: limits.maxVus,
          maxRate: limits.maxRate,
          maxDurationSeconds: Math.round(limits.maxDurationMs / 1000),
          maxConcurrentRuns: limits.maxConcurrentRuns,
        },
      };
    },
  );
}
