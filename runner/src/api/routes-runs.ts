import { existsSync, readFileSync } from 'node:fs';
import {
  parseDuration,
  scenarioById,
  SCENARIO_IDS,
  validateOverrides,
  type Profile,
} from '@vigil/scenarios/catalog';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { compareSummaries } from '../compare.ts';
import { logPath } from '../engine/local.ts';
import { checkLimits, footprint } from '../limits.ts';
import type { RunRequest } from '../runs.ts';
import type { RunRecord } from '../store/types.ts';
import { ApiError } from './errors.ts';
import { parseGrafanaContext } from './grafana-context.ts';
import { idParams, jsonSchema, logTailSchema, runCreateSchema, runListSchema } from './schemas.ts';
import { loaderById, parse, type ApiDeps } from './server.ts';

/** Time a run may take beyond its planned duration (setup, teardown, graceful stop) before `timeout`. */
export const RUN_TIMEOUT_GRACE_MS = 120_000;
const PROBE_RUN_TIMEOUT_MS = parseDuration('2m')!;

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

function tailLines(path: string, n: number): { lines: string[]; truncated: boolean } {
  if (!existsSync(path)) return { lines: [], truncated: false };
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return { lines: lines.slice(-n), truncated: lines.length > n };
}

export function registerRunRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store, runs, config, targets } = deps;
  const tags = ['runs'];
  const load = loaderById('run', (id) => store.getRun(id));

  async function buildRequest(req: FastifyRequest): Promise<RunRequest> {
    const body = parse(runCreateSchema, req.body, 'body');
    const scenario = scenarioById(body.scenario);
    if (!scenario)
      throw new ApiError(
        400,
        'invalid_field',
        `unknown scenario ${body.scenario}; known: ${SCENARIO_IDS.join(', ')}`,
        'scenario',
      );
    const { values, errors } = validateOverrides(scenario.id, body.overrides);
    if (errors[0]) throw new ApiError(400, 'invalid_field', errors[0].message, errors[0].field);
    const print = footprint(scenario, body.profile as Profile, values);
    const limitError = checkLimits(print, config.limits, values)[0];
    if (limitError) throw new ApiError(400, 'limit_exceeded', limitError.message, limitError.field);
    if (body.engine === 'kubernetes' && !deps.runs.hasEngine('kubernetes'))
      throw new ApiError(
        400,
        'invalid_field',
        'the kubernetes engine is not configured on this runner',
        'engine',
      );
    if (scenario.kind === 'load' && store.countActiveLoadRuns() >= config.limits.maxConcurrentRuns)
      throw new ApiError(
        429,
        'too_many_runs',
        `at most ${config.limits.maxConcurrentRuns} load runs may be active at once; stop one or wait`,
      );

    let target: Pick<RunRequest, 'targetId' | 'targetName' | 'mcpUrl' | 'auth' | 'secrets'>;
    if (body.targetId !== undefined) {
      const stored = store.getTarget(body.targetId);
      if (!stored)
        throw new ApiError(400, 'invalid_field', `target ${body.targetId} does not exist`, 'targetId');
      await targets.checkUrl(stored.mcpUrl, 'targetId'); // the allow-list may have changed since
      target = {
        targetId: stored.id,
        targetName: stored.name,
        mcpUrl: stored.mcpUrl,
        auth: stored.auth,
        secrets: targets.secretsOf(stored),
      };
    } else {
      const url = await targets.checkUrl(body.targetUrl!, 'targetUrl');
      target = { targetId: null, targetName: url.host, mcpUrl: url.toString(), auth: {}, secrets: {} };
    }
    const timeoutMs =
      scenario.kind === 'probe'
        ? PROBE_RUN_TIMEOUT_MS
        : Math.min(print.durationMs, config.limits.maxDurationMs) + RUN_TIMEOUT_GRACE_MS;
    return {
      kind: scenario.kind,
      scenario,
      profile: body.profile,
      overrides: values,
      engine: body.engine,
      createdBy: parseGrafanaContext(req.headers['x-grafana-context']),
      probeId: null,
      timeoutMs,
      ...target,
    };
  }

  app.post(
    '/api/runs',
    { schema: { tags, summary: 'Start a run', body: jsonSchema(runCreateSchema) } },
    async (req, reply) => {
      const request = await buildRequest(req);
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
    { schema: { tags, summary: 'List runs, newest first', querystring: jsonSchema(runListSchema) } },
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
    { schema: { tags, params: idParams, summary: 'Get a run with its summary' } },
    async (req) => runView(load(req.params)),
  );

  app.get(
    '/api/runs/:id/events',
    { schema: { tags, params: idParams, summary: 'Lifecycle events of a run' } },
    async (req) => ({ items: store.events(load(req.params).id) }),
  );

  app.post(
    '/api/runs/:id/stop',
    {
      schema: {
        tags,
        params: idParams,
        summary: 'Stop a run (SIGTERM to k6, SIGKILL after the grace period)',
      },
    },
    async (req, reply) => {
      const run = load(req.params);
      if (!runs.stop(run.id))
        throw new ApiError(409, 'not_active', `run ${run.id} is ${run.status}, not active`, 'id');
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
        querystring: jsonSchema(logTailSchema),
      },
    },
    async (req) => {
      const run = load(req.params);
      const { tail } = parse(logTailSchema, req.query, 'query');
      return tailLines(logPath(runs.runDir(run.id)), tail);
    },
  );

  app.post(
    '/api/runs/:id/baseline',
    {
      schema: {
        tags,
        params: idParams,
        summary: 'Mark a finished run as the baseline of its scenario and target',
      },
    },
    async (req) => {
      const run = load(req.params);
      if (!run.summary)
        throw new ApiError(409, 'no_summary', `run ${run.id} has no summary to compare against`, 'id');
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
      },
    },
    async (req) => {
      const run = load(req.params);
      const baseline = store.baselineFor(run.scenario, run.targetName);
      if (!baseline)
        throw new ApiError(
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
