import {
  PROFILES,
  PROFILE_DESCRIPTIONS,
  SCENARIOS,
  SCENARIO_ENV,
  SLOS,
  WORKLOADS,
} from '@vigil/scenarios/catalog';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './server.ts';

export function registerMiscRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/healthz', { schema: { summary: 'Liveness', tags: ['health'], security: [] } }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/readyz',
    { schema: { summary: 'Readiness (store open, scheduler started)', tags: ['health'], security: [] } },
    async (_req, reply) => {
      const ready = deps.isReady() && deps.store.db.open;
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'starting' });
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
    { schema: { summary: 'The catalog: scenarios, parameters, profiles, SLOs, limits', tags: ['catalog'] } },
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
