import type { FastifyInstance } from 'fastify';
import { compareSummaries } from '../compare.ts';
import { RequestError } from '../errors.ts';
import { buildRunRequest, type RunTarget } from '../run-request.ts';
import { hasVerdict } from '../runs.ts';
import type { RunRecord } from '../store/types.ts';
import { parseGrafanaContext } from './grafana-context.ts';
import { idParams, jsonSchema, logTailSchema, runCreateSchema, runListSchema } from './schemas.ts';
import { loaderById, parse, type ApiDeps } from './request.ts';
import {
  answers,
  runCompareResponse,
  runEventsResponse,
  runListResponse,
  runLogsResponse,
  runResponse,
} from './responses.ts';

export function runView(run: RunRecord, detail = true) {
  return {
    id: run.id,
    kind: run.kind,
    scenario: run.scenario,
    targetId: run.targetId,
    targetName: run.targetName,
    targetUrl: run.targetUrl,
    profile: run.profile,
    overrides: run.overrides,
    engine: run.engine,
    status: run.status,
    progress: run.progress,
    exitCode: run.exitCode,
    thresholds: run.thresholds,
    steps: run.summary?.probe?.steps ?? null,
    ...(detail ? { summary: run.summary } : {}),
    metricsDelivered: run.metricsDelivered,
    error: run.error,
    createdBy: run.createdBy,
    baseline: run.baseline,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
}

export function registerRunRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store, runs } = deps;
  const tags = ['runs'];
  const load = loaderById('run', (id) => store.getRun(id));

  const targetOf = (body: { targetId?: string; targetUrl?: string }): RunTarget => {
    if (body.targetUrl !== undefined) return { url: body.targetUrl, field: 'targetUrl' };
    const stored = store.getTarget(body.targetId!);
    if (!stored)
      throw new RequestError(400, 'invalid_field', `target ${body.targetId} does not exist`, 'targetId');
    return { stored };
  };

  app.post(
    '/api/runs',
    {
      schema: {
        tags,
        summary: 'Start a run',
        body: jsonSchema(runCreateSchema),
        response: answers({ 201: runResponse }),
      },
    },
    async (req, reply) => {
      const body = parse(runCreateSchema, req.body, 'body');
      const request = await buildRunRequest(
        {
          ...body,
          target: targetOf(body),
          createdBy: parseGrafanaContext(req.headers['x-grafana-context']),
        },
        deps.runBuilder,
      );
      try {
        const { run } = await runs.start(request);
        return reply.code(201).send(runView(run));
      } catch (error) {
        const failed = (error as { run?: RunRecord }).run;
        if (!failed) throw error;
        return reply.code(503).send({
          error: {
            code: 'engine_unavailable',
            message: failed.error ?? 'engine unavailable',
            runId: failed.id,
          },
        });
      }
    },
  );

  app.get(
    '/api/runs',
    {
      schema: {
        tags,
        summary: 'List runs, newest first',
        querystring: jsonSchema(runListSchema),
        response: answers({ 200: runListResponse }),
      },
    },
    async (req) => {
      const q = parse(runListSchema, req.query, 'query');
      const items = store.listRuns({
        scenario: q.scenario,
        targetId: q.target,
        status: q.status,
        kind: q.kind,
        beforeSeq: q.cursor !== undefined ? Number(q.cursor) : undefined,
        limit: q.limit + 1,
      });
      const page = items.slice(0, q.limit);
      const nextCursor = items.length > q.limit ? String(page.at(-1)!.seq) : null;
      return { items: page.map((r) => runView(r, false)), nextCursor };
    },
  );

  app.get(
    '/api/runs/:id',
    {
      schema: {
        tags,
        params: idParams,
        summary: 'Get a run with its summary',
        response: answers({ 200: runResponse }),
      },
    },
    async (req) => runView(load(req.params)),
  );

  app.get(
    '/api/runs/:id/events',
    {
      schema: {
        tags,
        params: idParams,
        summary: 'Lifecycle events of a run',
        response: answers({ 200: runEventsResponse }),
      },
    },
    async (req) => ({ items: store.events(load(req.params).id) }),
  );

  app.post(
    '/api/runs/:id/stop',
    {
      schema: {
        tags,
        params: idParams,
        summary: 'Stop a run (SIGTERM to k6, SIGKILL after the grace period)',
        response: answers({ 202: runResponse }),
      },
    },
    async (req, reply) => {
      const run = load(req.params);
      if (!runs.stop(run.id))
        throw new RequestError(409, 'not_active', `run ${run.id} is ${run.status}, not active`, 'id');
      return reply.code(202).send(runView(store.getRun(run.id)!));
    },
  );

  app.get(
    '/api/runs/:id/logs',
    {
      schema: {
        tags,
        params: idParams,
        summary: 'Tail of the k6 output (secrets scrubbed)',
        response: answers({ 200: runLogsResponse }),
        querystring: jsonSchema(logTailSchema),
      },
    },
    async (req) => {
      const run = load(req.params);
      const { tail } = parse(logTailSchema, req.query, 'query');
      return runs.logs(run, tail);
    },
  );

  app.post(
    '/api/runs/:id/baseline',
    {
      schema: {
        tags,
        params: idParams,
        summary: 'Mark a finished run as the baseline of its scenario and target',
        response: answers({ 200: runResponse }),
      },
    },
    async (req) => {
      const run = load(req.params);
      if (!hasVerdict(run.status))
        throw new RequestError(
          409,
          'no_verdict',
          `run ${run.id} is ${run.status}: only a run that ran to its end (passed or failed) can be a baseline`,
          'id',
        );
      if (!run.summary)
        throw new RequestError(409, 'no_summary', `run ${run.id} has no summary to compare against`, 'id');
      store.setBaseline(run);
      return runView(store.getRun(run.id)!);
    },
  );

  app.get(
    '/api/runs/:id/compare',
    {
      schema: {
        tags,
        params: idParams,
        summary: 'Compare a run with the baseline of its scenario and target',
        response: answers({ 200: runCompareResponse }),
      },
    },
    async (req) => {
      const run = load(req.params);
      const baseline = store.baselineFor(run.scenario, run.targetName);
      if (!baseline)
        throw new RequestError(
          404,
          'no_baseline',
          `no baseline for scenario ${run.scenario} on target ${run.targetName}`,
          'id',
        );
      return {
        runId: run.id,
        baselineId: baseline.id,
        items: compareSummaries(run.summary, baseline.summary),
      };
    },
  );
}
