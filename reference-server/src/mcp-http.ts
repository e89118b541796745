import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { Logger } from 'pino';
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

function authOf(req: AuthedRequest): AuthInfo {
  if (!req.auth) throw new Error('bearer middleware did not run');
  return req.auth;
}

function insufficientScope(res: Response, context: McpHttpContext, needed: string[]) {
  let challenge = `Bearer error="insufficient_scope", scope="${needed.join(' ')}"`;
  if (context.resourceMetadataUrl) challenge += `, resource_metadata="${context.resourceMetadataUrl}"`;
  res.set('WWW-Authenticate', challenge);
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
  context: McpHttpContext,
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
  const scopes = authOf(req).scopes;
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

export function mcpRouter(context: McpHttpContext): Router {
  const { config } = context;
  const router = express.Router();
  const bearer = requireBearerAuth({
    verifier: context.verifier,
    requiredScopes: [MCP_SCOPE],
    resourceMetadataUrl: context.resourceMetadataUrl,
  });
  // Not strict: body-parser's strict mode refuses JSON scalars (`42`, `null`) as parse errors, but
  // they are valid JSON, and JSON-RPC wants -32600 for them (from preflight), -32700 only for bad JSON.
  const json = express.json({ limit: config.maxBodyBytes, strict: false });

  router.post('/mcp', bearer, json, (req, res, next) => handlePost(req, res, context).catch(next));
  router.get('/mcp', bearer, (req, res, next) => handleStreamOrDelete(req, res, context).catch(next));
  router.delete('/mcp', bearer, (req, res, next) => handleStreamOrDelete(req, res, context).catch(next));

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

async function handlePost(req: AuthedRequest, res: Response, context: McpHttpContext) {
  const messages = await preflight(req, res, context);
  if (!messages) return;
  const auth = authOf(req);
  if (context.config.variant.stateless) return serveStateless(req, res, context);
  const sessionId = req.header('mcp-session-id');
  if (sessionId) {
    const session = await context.sessions.use<StreamableHTTPServerTransport>(sessionId, auth.clientId);
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
      context.sessions.add(id, { transport, server, clientId: auth.clientId, label: 'streamable_http' }),
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

async function handleStreamOrDelete(req: AuthedRequest, res: Response, context: McpHttpContext) {
  if (context.config.variant.stateless) {
    res.set('Allow', 'POST');
    return sendJsonRpcError(res, 405, SERVER_ERROR, 'Method not allowed: this server is stateless');
  }
  const sessionId = req.header('mcp-session-id');
  if (!sessionId)
    return sendJsonRpcError(res, 400, SERVER_ERROR, 'Bad Request: Mcp-Session-Id header is required');
  const session = await context.sessions.use<StreamableHTTPServerTransport>(sessionId, authOf(req).clientId);
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

async function postLegacyMessage(req: AuthedRequest, res: Response, context: McpHttpContext) {
  const sessionId = typeof req.query.sessionId === 'string' ? req.query.sessionId : undefined;
  if (!sessionId)
    return sendJsonRpcError(res, 400, SERVER_ERROR, 'Bad Request: sessionId query parameter is required');
  const session = await context.sessions.use<SSEServerTransport>(sessionId, authOf(req).clientId);
  if (!session) return sendJsonRpcError(res, 404, SESSION_NOT_FOUND, 'Session not found: reconnect to /sse');
  if (!(await preflight(req, res, context))) return;
  await session.transport.handlePostMessage(req, res, req.body);
}
