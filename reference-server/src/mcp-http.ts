import { randomUUID } from 'node:crypto';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { Logger } from 'pino';
import { bearerChallenge, withChallengeVariant } from './challenges.ts';
import { MCP_SCOPE, type ResolvedConfig } from './config.ts';
import { INJECTED_TOOL_FAULT_MESSAGE, type FaultRegistry } from './faults.ts';
import { instrumentTransport } from './instrument.ts';
import {
  INVALID_REQUEST,
  PARSE_ERROR,
  SERVER_ERROR,
  SESSION_NOT_FOUND,
  calledTool,
  isInitialize,
  jsonRpcMessages,
  sendJsonRpcError,
  type JsonRpcShape,
} from './jsonrpc.ts';
import type { TargetMetrics } from './metrics.ts';
import type { SessionRegistry } from './sessions.ts';
import { TOOL_SCOPES, createMcpServer, type ToolContext } from './tools.ts';

export interface McpHttpContext {
  config: ResolvedConfig;
  verifier: OAuthTokenVerifier;
  resourceMetadataUrl?: string;
  sessions: SessionRegistry;
  faults: FaultRegistry;
  metrics: TargetMetrics;
  logger: Logger;
  tools: ToolContext;
}

type AuthedRequest = Request & { auth?: AuthInfo };

/** The context plus the SDK bearer middleware, whose 401 is also the answer to a token-less tools/call. */
interface RouterContext extends McpHttpContext {
  bearer: RequestHandler;
}

function authOf(req: AuthedRequest): AuthInfo {
  if (!req.auth) throw new Error('bearer middleware did not run');
  return req.auth;
}

/** What `authRequiredFrom` lets through without a token: discovery of the server, nothing that acts. */
const TOKENLESS_METHODS = new Set(['initialize', 'tools/list', 'ping']);

function servedWithoutToken(message: JsonRpcShape): boolean {
  if (typeof message.method !== 'string') return false; // a response: only a client with a token gets requests
  if (message.id === undefined) return message.method.startsWith('notifications/');
  return TOKENLESS_METHODS.has(message.method);
}

/**
 * The answer to a token-less request that needs a token under `authRequiredFrom`: the SDK
 * middleware's own 401 (it refuses any request without an Authorization header), or a 403
 * insufficient_scope naming the scope a token must carry.
 */
async function demandToken(req: AuthedRequest, res: Response, context: RouterContext) {
  if (context.config.variant.authRequiredFrom === 'tools_call_403')
    return insufficientScope(res, context, [MCP_SCOPE]);
  await context.bearer(req, res, () => sendJsonRpcError(res, 401, SERVER_ERROR, 'Unauthorized'));
}

function insufficientScope(res: Response, context: McpHttpContext, needed: string[]) {
  const { variant } = context.config;
  const challenge = bearerChallenge(variant, 'insufficient_scope', needed, context.resourceMetadataUrl);
  if (challenge) res.set('WWW-Authenticate', challenge);
  sendJsonRpcError(res, 403, SERVER_ERROR, `insufficient_scope: this call needs ${needed.join(' ')}`);
}

/**
 * Checks every POSTed JSON-RPC body before a transport sees it: JSON-RPC shape (-32600), the
 * per-tool scope (403 insufficient_scope, a step-up signal for clients) and injected tool-call
 * faults (HTTP status with a JSON-RPC error body). Returns the body's messages (none when it is
 * not JSON), parsed once for the callers, or null when it has answered.
 */
async function preflight(
  req: AuthedRequest,
  res: Response,
  context: RouterContext,
): Promise<JsonRpcShape[] | null> {
  if (req.body === undefined) return []; // not JSON: the SDK transport answers 415/400 itself
  const messages = jsonRpcMessages(req.body);
  if (!messages) {
    sendJsonRpcError(
      res,
      400,
      INVALID_REQUEST,
      'Invalid Request: body is not a JSON-RPC 2.0 message or batch',
    );
    return null;
  }
  if (!req.auth && !messages.every(servedWithoutToken)) {
    await demandToken(req, res, context);
    return null;
  }
  const scopes = req.auth?.scopes ?? [];
  for (const message of messages) {
    const tool = calledTool(message);
    if (!tool) continue;
    const needed = TOOL_SCOPES[tool];
    if (needed && !scopes.includes(needed)) {
      insufficientScope(res, context, [...new Set([...scopes, needed])]);
      return null;
    }
    const outcome = await context.faults.apply('tool_call');
    if (outcome.failStatus) {
      sendJsonRpcError(
        res,
        outcome.failStatus,
        SERVER_ERROR,
        INJECTED_TOOL_FAULT_MESSAGE,
        message.id ?? null,
      );
      return null;
    }
  }
  return messages;
}

function countStream(res: Response, context: McpHttpContext, transport: string) {
  context.metrics.streamingConnections.inc({ transport });
  res.once('close', () => context.metrics.streamingConnections.dec({ transport }));
}

export function mcpRouter(mcpContext: McpHttpContext): Router {
  const { config } = mcpContext;
  const router = express.Router();
  // Every 401 of /mcp, /sse and /messages (also authRequiredFrom's, via demandToken) comes from here.
  const bearer = withChallengeVariant(
    requireBearerAuth({
      verifier: mcpContext.verifier,
      requiredScopes: [MCP_SCOPE],
      resourceMetadataUrl: mcpContext.resourceMetadataUrl,
    }),
    config.variant,
  );
  const context: RouterContext = { ...mcpContext, bearer };
  // authRequiredFrom: a request without an Authorization header goes on unauthenticated and the
  // handlers decide (per message on POST, per session on GET/DELETE); any token sent is checked
  // as always, so an invalid one is still a 401. WebSocket and legacy SSE always need a token.
  const tokenOptional = config.variant.authRequiredFrom !== 'initialize';
  const mcpBearer: RequestHandler = (req, res, next) =>
    tokenOptional && !req.headers.authorization ? next() : bearer(req, res, next);
  // Not strict: body-parser's strict mode refuses JSON scalars (`42`, `null`) as parse errors, but
  // they are valid JSON, and JSON-RPC wants -32600 for them (from preflight), -32700 only for bad JSON.
  const json = express.json({ limit: config.maxBodyBytes, strict: false });

  router.post('/mcp', mcpBearer, json, (req, res, next) => handlePost(req, res, context).catch(next));
  router.get('/mcp', mcpBearer, (req, res, next) => handleStreamOrDelete(req, res, context).catch(next));
  router.delete('/mcp', mcpBearer, (req, res, next) => handleStreamOrDelete(req, res, context).catch(next));

  if (config.variant.legacySse) {
    router.get('/sse', bearer, (req, res, next) => openLegacyStream(req, res, context).catch(next));
    router.post('/messages', bearer, json, (req, res, next) =>
      postLegacyMessage(req, res, context).catch(next),
    );
  }
  router.use(['/mcp', '/messages'], jsonBodyErrors);
  return router;
}

/** body-parser failures as JSON-RPC errors: 413 for oversized bodies, -32700 for bad JSON. */
function jsonBodyErrors(
  error: { type?: string; status?: number },
  _req: Request,
  res: Response,
  next: NextFunction,
) {
  if (error.type === 'entity.too.large')
    return sendJsonRpcError(res, 413, INVALID_REQUEST, 'Request body too large');
  if (error.type === 'entity.parse.failed')
    return sendJsonRpcError(res, 400, PARSE_ERROR, 'Parse error: body is not valid JSON');
  next(error);
}

/**
 * Request ids in flight per session. The SDK transport routes an answer by its request id, so a
 * second request reusing an id still in flight would never be answered (the client hangs); such a
 * request is refused with -32600 instead, and the ids are released when the response ends.
 */
const inFlightIds = new WeakMap<object, Set<string>>();

function claimRequestIds(transport: object, messages: JsonRpcShape[], res: Response): boolean {
  const ids = messages
    .filter(
      (message) => typeof message.method === 'string' && message.id !== undefined && message.id !== null,
    )
    .map((message) => ({ id: message.id, key: `${typeof message.id}:${String(message.id)}` }));
  if (ids.length === 0) return true;
  const inFlight = inFlightIds.get(transport) ?? new Set<string>();
  inFlightIds.set(transport, inFlight);
  const keys = ids.map(({ key }) => key);
  const reused = ids.find(({ key }, index) => inFlight.has(key) || keys.indexOf(key) !== index);
  if (reused) {
    sendJsonRpcError(
      res,
      400,
      INVALID_REQUEST,
      `Request id ${JSON.stringify(reused.id)} is already in use on this session`,
      reused.id,
    );
    return false;
  }
  for (const key of keys) inFlight.add(key);
  res.once('close', () => {
    for (const key of keys) inFlight.delete(key);
  });
  return true;
}

async function handlePost(req: AuthedRequest, res: Response, context: RouterContext) {
  const messages = await preflight(req, res, context);
  if (!messages) return;
  const clientId = req.auth?.clientId;
  if (context.config.variant.stateless) return serveStateless(req, res, context);
  const sessionId = req.header('mcp-session-id');
  if (sessionId) {
    if (!req.auth && context.sessions.isBound(sessionId)) return demandToken(req, res, context);
    const session = await context.sessions.use<StreamableHTTPServerTransport>(sessionId, clientId);
    if (!session) return sendJsonRpcError(res, 404, SESSION_NOT_FOUND, 'Session not found: re-initialize');
    if (!claimRequestIds(session.transport, messages, res)) return;
    return session.transport.handleRequest(req, res, req.body);
  }
  if (!isInitialize(messages)) {
    return sendJsonRpcError(res, 400, SERVER_ERROR, 'Bad Request: Mcp-Session-Id header is required');
  }
  const server = createMcpServer(context.tools);
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    enableJsonResponse: context.config.variant.responseMode === 'json',
    onsessioninitialized: (id) =>
      context.sessions.add(id, { transport, server, clientId, label: 'streamable_http' }),
  });
  transport.onclose = () => {
    if (transport.sessionId) void context.sessions.end(transport.sessionId);
  };
  await server.connect(transport);
  instrumentTransport(transport, 'streamable_http', context.metrics);
  await transport.handleRequest(req, res, req.body);
}

async function serveStateless(req: AuthedRequest, res: Response, context: McpHttpContext) {
  const server = createMcpServer(context.tools);
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: context.config.variant.responseMode === 'json',
  });
  res.once('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  instrumentTransport(transport, 'streamable_http', context.metrics);
  await transport.handleRequest(req, res, req.body);
}

async function handleStreamOrDelete(req: AuthedRequest, res: Response, context: RouterContext) {
  const { stateless, streamGet } = context.config.variant;
  // After the token check, like any other /mcp request: these servers protect the whole endpoint.
  if (req.method === 'GET' && streamGet === '404')
    return sendJsonRpcError(res, 404, SERVER_ERROR, 'Not Found');
  if (req.method === 'GET' && streamGet === '405') {
    res.set('Allow', stateless ? 'POST' : 'POST, DELETE');
    return sendJsonRpcError(res, 405, SERVER_ERROR, 'Method not allowed: this server offers no stream');
  }
  if (stateless) {
    res.set('Allow', 'POST');
    return sendJsonRpcError(res, 405, SERVER_ERROR, 'Method not allowed: this server is stateless');
  }
  const sessionId = req.header('mcp-session-id');
  if (!sessionId)
    return sendJsonRpcError(res, 400, SERVER_ERROR, 'Bad Request: Mcp-Session-Id header is required');
  if (!req.auth && context.sessions.isBound(sessionId)) return demandToken(req, res, context);
  const session = await context.sessions.use<StreamableHTTPServerTransport>(sessionId, req.auth?.clientId);
  if (!session) return sendJsonRpcError(res, 404, SESSION_NOT_FOUND, 'Session not found: re-initialize');
  if (req.method === 'GET') countStream(res, context, 'streamable_http');
  await session.transport.handleRequest(req, res);
}

async function openLegacyStream(req: AuthedRequest, res: Response, context: McpHttpContext) {
  const server = createMcpServer(context.tools);
  const transport = new SSEServerTransport('/messages', res);
  const sessionId = transport.sessionId;
  transport.onclose = () => void context.sessions.end(sessionId);
  countStream(res, context, 'sse');
  res.once('close', () => void context.sessions.end(sessionId));
  await context.sessions.add(sessionId, { transport, server, clientId: authOf(req).clientId, label: 'sse' });
  await server.connect(transport);
  instrumentTransport(transport, 'sse', context.metrics);
}

async function postLegacyMessage(req: AuthedRequest, res: Response, context: RouterContext) {
  const sessionId = typeof req.query.sessionId === 'string' ? req.query.sessionId : undefined;
  if (!sessionId)
    return sendJsonRpcError(res, 400, SERVER_ERROR, 'Bad Request: sessionId query parameter is required');
  const session = await context.sessions.use<SSEServerTransport>(sessionId, authOf(req).clientId);
  if (!session) return sendJsonRpcError(res, 404, SESSION_NOT_FOUND, 'Session not found: reconnect to /sse');
  if (!(await preflight(req, res, context))) return;
  await session.transport.handlePostMessage(req, res, req.body);
}
