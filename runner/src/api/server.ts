/**
 * The HTTP API's composition root (fastify): logging, errors, the token check, the OpenAPI
 * document, and the routes, which import only the leaf `request.ts`. Validation is zod in the
 * handlers (errors name the field); fastify's own validator is switched off so the route schemas
 * serve only the OpenAPI document.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { RunnerConfig } from '../config.ts';
import { RequestError } from '../errors.ts';
import { sendError } from './errors.ts';
import type { ApiDeps } from './request.ts';
import { registerMiscRoutes } from './routes-misc.ts';
import { registerNotificationRoutes } from './routes-notifications.ts';
import { registerProbeRoutes } from './routes-probes.ts';
import { registerRunRoutes } from './routes-runs.ts';
import { registerTargetRoutes } from './routes-targets.ts';

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
  // Response schemas describe the answers in the OpenAPI document; they must not filter them.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
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
  registerNotificationRoutes(app, deps);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
