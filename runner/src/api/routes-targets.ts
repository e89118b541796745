import type { FastifyInstance } from 'fastify';
import { publicTarget } from '../targets.ts';
import { RequestError } from '../errors.ts';
import { idParams, jsonSchema, offsetPageSchema, targetCreateSchema, targetPatchSchema } from './schemas.ts';
import { loaderById, parse, type ApiDeps } from './request.ts';
import { z } from 'zod';
import { answers, targetListResponse, targetResponse } from './responses.ts';

export function registerTargetRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store, targets } = deps;
  const tags = ['targets'];
  const load = loaderById('target', (id) => store.getTarget(id));

  app.get(
    '/api/targets',
    {
      schema: {
        tags,
        summary: 'List targets',
        querystring: jsonSchema(offsetPageSchema),
        response: answers({ 200: targetListResponse }),
      },
    },
    async (req) => {
      const { limit, offset } = parse(offsetPageSchema, req.query, 'query');
      const page = store.listTargets(limit, offset);
      return { items: page.items.map(publicTarget), total: page.total };
    },
  );

  app.post(
    '/api/targets',
    {
      schema: {
        tags,
        summary: 'Create a target (secrets are write-only)',
        response: answers({ 201: targetResponse }),
        body: jsonSchema(targetCreateSchema),
      },
    },
    async (req, reply) => {
      const body = parse(targetCreateSchema, req.body, 'body');
      const target = await targets.create(body as Parameters<typeof targets.create>[0]);
      return reply.code(201).send(publicTarget(target));
    },
  );

  app.get(
    '/api/targets/:id',
    {
      schema: { tags, params: idParams, summary: 'Get a target', response: answers({ 200: targetResponse }) },
    },
    async (req) => publicTarget(load(req.params)),
  );

  app.patch(
    '/api/targets/:id',
    {
      schema: {
        tags,
        params: idParams,
        summary: 'Update a target (absent fields kept; null clears)',
        response: answers({ 200: targetResponse }),
        body: jsonSchema(targetPatchSchema),
      },
    },
    async (req) => {
      const target = load(req.params);
      const body = parse(targetPatchSchema, req.body, 'body');
      return publicTarget(await targets.update(target, body as Parameters<typeof targets.update>[1]));
    },
  );

  app.delete(
    '/api/targets/:id',
    {
      schema: {
        tags,
        params: idParams,
        summary: 'Delete a target (refused while probes use it)',
        response: answers({ 204: z.null() }),
      },
    },
    async (req, reply) => {
      const target = load(req.params);
      const probes = store.probesOfTarget(target.id);
      if (probes.length > 0)
        throw new RequestError(
          409,
          'in_use',
          `target is used by probes: ${probes.map((p) => p.name).join(', ')}`,
          'id',
        );
      store.deleteTarget(target.id);
      return reply.code(204).send();
    },
  );
}
