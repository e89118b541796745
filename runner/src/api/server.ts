/**
 * The HTTP API (fastify). Validation is zod in the handlers (errors name the field); fastify's
 * own validator is switched off so the route schemas serve only the OpenAPI document.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Problem } from '../app.ts';
import type { RunnerConfig } from '../config.ts';
import type { RunnerMetrics } from '../metrics.ts';
import type { ProbeService } from '../probes/service.ts';
import type { RunBuilderDeps } from '../run-request.ts';
import type { RunManager } from '../runs.ts';
import type { Store } from '../store/store.ts';
import type { TargetService } from '../targets.ts';
import { RequestError } from '../errors.ts';
import { fromZod, notFound, sendError } from './errors.ts';
import { registerMiscRoutes } from './routes-misc.ts';
import { registerProbeRoutes } from './routes-probes.ts';
import { registerRunRoutes } from './routes-runs.ts';
import { registerTargetRoutes } from './routes-targets.ts';
import { idParamSchema } from './schemas.ts';

export interface ApiDeps {
  config: RunnerConfig;
  store: Store;
  targets: TargetService;
  runs: RunManager;
  /** What buildRunRequest checks a run against (one instance, shared with the probe service). */
  runBuilder: RunBuilderDeps;
  probes: ProbeService;
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

const PUBLIC_PATHS = new Set(['/healthz', '/readyz']);

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Constant-time comparison (hashing first makes the lengths equal). */
export function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header || !token) return false;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  const given = match?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

function needsToken(request: FastifyRequest, config: RunnerConfig): boolean {
  const path = request.url.split('?')[0] ?? '';
  if (PUBLIC_PATHS.has(path)) return false;
  if (path === '/metrics' && config.metricsPublic) return false;
  return true;
}

/**
 * The request as logged: method, path and route, never the query string. A client that puts the
 * token (or anything else) in the query must not get it written to the log.
 */
export function requestForLog(req: FastifyRequest) {
  return {
    method: req.method,
    path: (req.url ?? '').split('?')[0],
    route: req.routeOptions?.url,
    remoteAddress: req.ip,
  };
}

export async function buildServer(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Fastify merges the instance's serializers over its own: ours replaces its `req`, which logs the full URL.
    loggerInstance: deps.logger.child({}, { serializers: { req: requestForLog } }) as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    ajv: { customOptions: { strict: false } },
    // Router errors (bad percent-encoding, over-long ids) bypass the error handler.
    frameworkErrors: (error, _request, reply) => void sendError(reply, error),
  });
  app.setValidatorCompiler(() => () => true);
  app.setErrorHandler((error, _request, reply) => sendError(reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new RequestError(
        404,
        'not_found',
        `no ${request.method} route at this path; the API is described at /api/openapi.json`,
      ),
    ),
  );

  app.addHook('onRequest', async (request, reply) => {
    if (!needsToken(request, deps.config)) return;
    if (!tokenMatches(request.headers.authorization, deps.config.token)) {
      reply.header('www-authenticate', 'Bearer realm="vigil"');
      return sendError(
        reply,
        new RequestError(401, 'unauthorized', 'missing or invalid bearer token', 'authorization'),
      );
    }
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vigil runner API',
        version: '1.0.0',
        description: 'Runs k6 load tests and probes against OAuth-protected MCP servers.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });

  registerMiscRoutes(app, deps);
  registerTargetRoutes(app, deps);
  registerRunRoutes(app, deps);
  registerProbeRoutes(app, deps);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
