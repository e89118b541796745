import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { accessTokenAudience, resolveConfig, type ResolvedConfig, type TargetOptions } from './config.ts';
import { createProvider } from './auth-server.ts';
import { FaultRegistry, faultAdminRouter } from './faults.ts';
import { HostGuard, defaultAllowedHosts } from './guards.ts';
import { createLogger, pathOnly } from './logger.ts';
import { metadataRouter, resourceMetadataUrl } from './metadata.ts';
import { mcpRouter } from './mcp-http.ts';
import { createMetrics, routeTemplate, statusClass, type TargetMetrics } from './metrics.ts';
import { oauthRouter } from './oauth-routes.ts';
import { SessionRegistry } from './sessions.ts';
import { openStore, type KeyValueStore } from './store.ts';
import { createSigningKeys, createTokenVerifier } from './tokens.ts';
import { attachWebSocket } from './websocket.ts';

export {
  DEFAULT_MACHINE_CLIENT,
  DEFAULT_SCOPES,
  DEFAULT_USERS,
  DEFAULT_VARIANT,
  MCP_SCOPE,
  ADMIN_SCOPE,
  OTHER_TOKEN_AUDIENCE,
  type PreRegisteredClient,
  type TargetOptions,
  type TargetVariant,
} from './config.ts';
export { FAULT_PATHS, type Fault, type FaultPath } from './faults.ts';
export { WEBSOCKET_PATH } from './websocket.ts';

export interface RunningTarget {
  origin: string;
  mcpUrl: string;
  issuer: string;
  adminToken: string;
  metricsUrl: string;
  close(): Promise<void>;
}

export interface StartHooks {
  /** Where pino writes (tests capture logs to check that no secret reaches them). */
  logDestination?: NodeJS.WritableStream;
}

const LISTEN_BACKLOG = 4096;

function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // Node's default accept backlog (511) overflows when a load test opens 1000 connections at
    // once; the kernel then drops SYNs and clients retry after 1, 3, 7, 15 s. The kernel caps
    // this at net.core.somaxconn.
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Request log (path template only: queries carry codes and state) and the HTTP histogram. */
function observeRequests(metrics: TargetMetrics, logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    res.once('finish', () => {
      const route = routeTemplate(pathOnly(req.originalUrl));
      const seconds = (performance.now() - started) / 1000;
      metrics.httpDuration.observe(
        { route, method: req.method, status: statusClass(res.statusCode) },
        seconds,
      );
      logger.debug(
        { method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) },
        'request',
      );
    });
    next();
  };
}

function healthRoutes(app: express.Express, store: KeyValueStore, metrics: TargetMetrics) {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const storeReachable = await store.ping();
    res
      .status(storeReachable ? 200 : 503)
      .json({ status: storeReachable ? 'ready' : 'not_ready', store: store.kind, storeReachable });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

function finalErrorHandler(logger: Logger) {
  return (
    error: Error & { status?: number; statusCode?: number; expose?: boolean },
    _req: Request,
    res: Response,
    next: NextFunction,
  ) => {
    if (res.headersSent) return next(error);
    const status = error.status ?? error.statusCode ?? 500;
    if (status >= 500)
      logger.error({ err: { message: error.message, stack: error.stack } }, 'request failed');
    res.status(status).json({
      error: status >= 500 ? 'server_error' : 'invalid_request',
      error_description: status >= 500 ? 'internal error' : error.message,
    });
  };
}

export async function startTarget(
  options: TargetOptions = {},
  hooks: StartHooks = {},
): Promise<RunningTarget> {
  const config: ResolvedConfig = resolveConfig(options);
  const logger = createLogger(config.logLevel, hooks.logDestination);
  const metrics = createMetrics();
  const store = await openStore(config.redisUrl, metrics, logger);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const server = http.createServer(app);
  const port = await listen(server, config.host, config.port);

  const origin = config.publicUrl ?? `http://${urlHost(config.host)}:${port}`;
  const issuer = `${origin}${config.variant.issuerPath}`;
  const mcpUrl = `${origin}/mcp`;
  const keys = await createSigningKeys();
  const provider = createProvider({ config, issuer, mcpResource: mcpUrl, keys, store, metrics, logger });
  provider.on('server_error', (_ctx, error: Error) =>
    logger.error({ err: { message: error.message, stack: error.stack } }, 'authorization server error'),
  );
  const audience = accessTokenAudience(config.variant, mcpUrl);
  const verifier = createTokenVerifier(keys, issuer, mcpUrl, [...new Set([mcpUrl, audience])]);
  const faults = new FaultRegistry();
  const sessions = new SessionRegistry(store, config.sessionTtlSeconds, metrics, logger);
  const tools = { config, storeKind: store.kind, startedAt: Date.now() };
  const guard = new HostGuard(config.allowedHosts ?? defaultAllowedHosts(port, origin));
  const prmUrl = resourceMetadataUrl({ config, origin });

  app.use(observeRequests(metrics, logger));
  app.use(guard.middleware());
  healthRoutes(app, store, metrics);
  app.use(faultAdminRouter(faults, config.adminToken));
  app.use(metadataRouter({ config, provider, origin, mcpResource: mcpUrl, issuer }));
  app.use(oauthRouter({ config, provider, mcpResource: mcpUrl, faults, metrics, logger, store }));
  app.use(
    mcpRouter({ config, verifier, resourceMetadataUrl: prmUrl, sessions, faults, metrics, logger, tools }),
  );
  app.use(config.variant.issuerPath || '/', provider.callback());
  app.use(finalErrorHandler(logger));
  const wss = config.variant.websocket
    ? attachWebSocket(server, {
        verifier,
        resourceMetadataUrl: prmUrl,
        variant: config.variant,
        guard,
        sessions,
        faults,
        metrics,
        logger,
        tools,
        maxBodyBytes: config.maxBodyBytes,
      })
    : undefined;

  logger.info(
    { origin, mcpUrl, issuer, store: store.kind, loginMode: config.loginMode, variant: config.variant },
    'vigil target listening',
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      for (const client of wss?.clients ?? []) client.terminate();
      wss?.close();
      await sessions.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      logger.info('vigil target stopped');
    })();
    return closing;
  };
  return { origin, mcpUrl, issuer, adminToken: config.adminToken, metricsUrl: `${origin}/metrics`, close };
}
