import type { Finding } from '@vigil/scenarios/catalog';
import { FINDING_TEXT } from '@vigil/scenarios/catalog/findings-text.ts';
import type { FastifyInstance } from 'fastify';
import { newId } from '../store/store.ts';
import type { ProbeRecord, ProbeResultRecord } from '../store/types.ts';
import { RequestError } from '../errors.ts';
import {
  defaultProbeTimeoutSeconds,
  idParams,
  jsonSchema,
  offsetPageSchema,
  probeCreateSchema,
  probePatchSchema,
  resultsListSchema,
} from './schemas.ts';
import { loaderById, parse, type ApiDeps } from './request.ts';
import { z } from 'zod';
import {
  answers,
  probeListResponse,
  probeResponse,
  probeResultsResponse,
  probeRunResponse,
} from './responses.ts';

/** A finding as the API serves it: what the walk saw, with the title, spec reference and fix. */
function findingView(finding: Finding) {
  return { ...finding, ...FINDING_TEXT[finding.code] };
}

export function resultView(result: ProbeResultRecord) {
  return { ...result, findings: result.findings.map(findingView) };
}

export function registerProbeRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store, probes } = deps;
  const tags = ['probes'];
  const resultOrNull = (result: ProbeResultRecord | undefined) => (result ? resultView(result) : null);
  const view = (probe: ProbeRecord) => ({
    ...probe,
    skippedRuns: probes.scheduler.stats.skippedByProbe.get(probe.id) ?? 0,
    lastResult: resultOrNull(store.lastProbeResult(probe.id)),
  });
  const load = loaderById('probe', (id) => store.getProbe(id));
  const assertTarget = (targetId: string) => {
    if (!store.getTarget(targetId))
      throw new RequestError(400, 'invalid_field', `target ${targetId} does not exist`, 'targetId');
  };
  const assertTimeoutFits = (p: Pick<ProbeRecord, 'timeoutSeconds' | 'intervalSeconds'>) => {
    if (p.timeoutSeconds >= p.intervalSeconds)
      throw new RequestError(
        400,
        'invalid_field',
        `timeoutSeconds (${p.timeoutSeconds}) must be shorter than intervalSeconds (${p.intervalSeconds})`,
        'timeoutSeconds',
      );
  };
  const assertNameFree = (name: string, selfId?: string) => {
    const other = store.probeByName(name);
    if (other && other.id !== selfId)
      throw new RequestError(409, 'conflict', `a probe named ${name} already exists`, 'name');
  };

  app.get(
    '/api/probes',
    {
      schema: {
        tags,
        summary: 'List probes with their last result',
        response: answers({ 200: probeListResponse }),
        querystring: jsonSchema(offsetPageSchema),
      },
    },
    async (req) => {
      const { limit, offset } = parse(offsetPageSchema, req.query, 'query');
      const page = store.listProbes(limit, offset);
      return { items: page.items.map(view), total: page.total };
    },
  );

  app.post(
    '/api/probes',
    {
      schema: {
        tags,
        summary: 'Create a probe',
        body: jsonSchema(probeCreateSchema),
        response: answers({ 201: probeResponse }),
      },
    },
    async (req, reply) => {
      const body = parse(probeCreateSchema, req.body, 'body');
      assertTarget(body.targetId);
      assertNameFree(body.name);
      const timeoutSeconds = body.timeoutSeconds ?? defaultProbeTimeoutSeconds(body.intervalSeconds);
      assertTimeoutFits({ timeoutSeconds, intervalSeconds: body.intervalSeconds });
      const probe = store.insertProbe({ id: newId('prb'), ...body, timeoutSeconds });
      probes.sync(probe);
      return reply.code(201).send(view(probe));
    },
  );

  app.get(
    '/api/probes/:id',
    {
      schema: {
        tags,
        params: idParams,
        summary: 'Get a probe with its last result',
        response: answers({ 200: probeResponse }),
      },
    },
    async (req) => view(load(req.params)),
  );

  app.patch(
    '/api/probes/:id',
    {
      schema: {
        tags,
        params: idParams,
        summary: 'Update a probe',
        body: jsonSchema(probePatchSchema),
        response: answers({ 200: probeResponse }),
      },
    },
    async (req) => {
      const probe = load(req.params);
      const patch = parse(probePatchSchema, req.body, 'body');
      if (patch.targetId !== undefined) assertTarget(patch.targetId);
      if (patch.name !== undefined) assertNameFree(patch.name, probe.id);
      const next = { ...probe, ...patch };
      assertTimeoutFits(next);
      const oldTarget = store.getTarget(probe.targetId);
      if (oldTarget && (next.name !== probe.name || next.targetId !== probe.targetId))
        probes.forget(probe, oldTarget.name);
      const updated = store.updateProbe(next);
      probes.sync(updated);
      return view(updated);
    },
  );

  app.delete(
    '/api/probes/:id',
    {
      schema: {
        tags,
        params: idParams,
        summary: 'Delete a probe and its results',
        response: answers({ 204: z.null() }),
      },
    },
    async (req, reply) => {
      const probe = load(req.params);
      probes.forget(probe, store.getTarget(probe.targetId)?.name ?? '');
      store.deleteProbe(probe.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/probes/:id/run',
    {
      schema: {
        tags,
        params: idParams,
        summary: 'Run the probe once now and return its result',
        response: answers({ 200: probeRunResponse }),
      },
    },
    async (req) => {
      const probe = load(req.params);
      const result = await probes.runOnce(probe.id);
      return { result: resultOrNull(result) };
    },
  );

  app.get(
    '/api/probes/:id/results',
    {
      schema: {
        tags,
        params: idParams,
        summary: 'Probe results, newest first',
        response: answers({ 200: probeResultsResponse }),
        querystring: jsonSchema(resultsListSchema),
      },
    },
    async (req) => {
      const probe = load(req.params);
      const q = parse(resultsListSchema, req.query, 'query');
      const items = store.probeResults(
        probe.id,
        q.limit + 1,
        q.cursor !== undefined ? Number(q.cursor) : undefined,
      );
      const page = items.slice(0, q.limit);
      return {
        items: page.map(resultView),
        nextCursor: items.length > q.limit ? String(page.at(-1)!.id) : null,
      };
    },
  );
}
