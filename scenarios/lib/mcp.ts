/**
 * A Streamable HTTP MCP client for k6: initialize (+ notifications/initialized), tools/list,
 * tools/call, ping and DELETE, with the Mcp-Session-Id and MCP-Protocol-Version headers. Answers
 * may be JSON or a (buffered) SSE stream; stateless servers send no session id.
 */
import type { Step } from '../catalog/index.ts';
import { COMPLIANCE, type Compliance } from './compliance.ts';
import { AuthChallenge, describeResponse, fail, reasonForResponse, type AnyResponse } from './failures.ts';
import { header, send } from './http.ts';
import {
  CLIENT_INFO,
  CLIENT_PROTOCOL_VERSION,
  INITIALIZE_REQUEST,
  mcpHeaders,
  messagesFromBody,
  type JsonRpcMessage,
} from './mcp-protocol.ts';
import { parseBearerChallenge } from './www-authenticate.ts';

export interface McpSession {
  url: string;
  token: string;
  /** Absent for stateless servers. */
  sessionId?: string;
  protocolVersion?: string;
  nextId: number;
}

export interface RpcAnswer {
  message: JsonRpcMessage;
  res: AnyResponse;
}

export interface Tool {
  name: string;
  [key: string]: unknown;
}

function headersFor(session: McpSession): Record<string, string> {
  return mcpHeaders({
    token: session.token,
    sessionId: session.sessionId,
    protocolVersion: session.protocolVersion,
  });
}

/**
 * Turns an HTTP error answer of the MCP endpoint into a classified failure. 401 and 403 are the
 * server asking for (more) authorization: an AuthChallenge the walk may answer and retry.
 */
function failForStatus(step: Step, session: McpSession, res: AnyResponse, compliance?: Compliance): never {
  if (res.status === 401 || res.status === 403) {
    const bearer = parseBearerChallenge(header(res, 'WWW-Authenticate'));
    if (res.status === 403)
      compliance?.record(
        COMPLIANCE.insufficientScope,
        bearer?.error === 'insufficient_scope' && !!bearer.scope,
        {
          status: 403,
          error: bearer?.error ?? 'none',
          scopeNamed: Boolean(bearer?.scope),
        },
      );
    throw new AuthChallenge(step, res.status, bearer, `HTTP ${res.status} ${bearer?.error ?? ''}`.trim());
  }
  if (res.status === 404 && session.sessionId)
    fail(step, 'session_expired', 'HTTP 404 for the session (ended by the server)', res.status);
  if (res.status === 400 && !session.sessionId && session.protocolVersion)
    fail(step, 'session_missing', 'HTTP 400 without Mcp-Session-Id', res.status);
  fail(step, reasonForResponse(res), describeResponse(res), res.status);
}

/** Sends one JSON-RPC request and returns the response with the same id. */
export function rpc(
  session: McpSession,
  step: Step,
  method: string,
  params: unknown,
  compliance?: Compliance,
): RpcAnswer {
  const id = session.nextId++;
  const res = send('POST', session.url, JSON.stringify({ jsonrpc: '2.0', id, method, params }), {
    name: `POST {mcp} ${method}`,
    step,
    headers: headersFor(session),
  });
  if (res.status !== 200) failForStatus(step, session, res, compliance);
  const messages = messagesFromBody(
    header(res, 'Content-Type'),
    typeof res.body === 'string' ? res.body : '',
  );
  const message = messages?.find((m) => m.id === id);
  if (!message) fail(step, 'parse_error', `no JSON-RPC response with id ${id} in the ${method} answer`);
  if (message.error) fail(step, 'jsonrpc_error', `${method}: JSON-RPC error ${message.error.code}`);
  return { message, res };
}

/** Sends a JSON-RPC notification; servers answer 202 Accepted. */
export function notify(session: McpSession, step: Step, method: string): AnyResponse {
  const res = send('POST', session.url, JSON.stringify({ jsonrpc: '2.0', method }), {
    name: `POST {mcp} ${method}`,
    step,
    headers: headersFor(session),
    discardBody: true,
  });
  if (res.status !== 202 && res.status !== 200 && res.status !== 204) failForStatus(step, session, res);
  return res;
}

/** Keeps the session id (if any) and protocol version of an initialize answer, then notifies. */
function established(session: McpSession, message: JsonRpcMessage, res: AnyResponse): McpSession {
  const result = (message.result ?? {}) as { protocolVersion?: unknown };
  if (typeof result.protocolVersion !== 'string')
    fail('initialize', 'parse_error', 'initialize result has no protocolVersion');
  session.sessionId = header(res, 'Mcp-Session-Id') || undefined;
  session.protocolVersion = result.protocolVersion;
  notify(session, 'initialize', 'notifications/initialized');
  return session;
}

/** initialize + notifications/initialized. The session id (if any) and protocol version are kept. */
export function initialize(url: string, token: string, compliance?: Compliance): McpSession {
  const session: McpSession = { url, token, nextId: 1 };
  const { message, res } = rpc(
    session,
    'initialize',
    'initialize',
    { protocolVersion: CLIENT_PROTOCOL_VERSION, capabilities: {}, clientInfo: CLIENT_INFO },
    compliance,
  );
  return established(session, message, res);
}

/**
 * The session of an `initialize` the server answered without a token (INITIALIZE_REQUEST, id 0):
 * a server that asks for authorization only later.
 */
export function openedSession(url: string, res: AnyResponse): McpSession {
  const session: McpSession = { url, token: '', nextId: 1 };
  const messages = messagesFromBody(
    header(res, 'Content-Type'),
    typeof res.body === 'string' ? res.body : '',
  );
  const message = messages?.find((m) => m.id === INITIALIZE_REQUEST.id);
  if (!message) fail('initialize', 'parse_error', 'no initialize response in the unauthenticated answer');
  if (message.error) fail('initialize', 'jsonrpc_error', `initialize: JSON-RPC error ${message.error.code}`);
  return established(session, message, res);
}

export function listTools(session: McpSession, compliance?: Compliance): Tool[] {
  const { message } = rpc(session, 'tools_list', 'tools/list', {}, compliance);
  const tools = (message.result as { tools?: unknown } | undefined)?.tools;
  if (!Array.isArray(tools)) fail('tools_list', 'parse_error', 'tools/list result has no tools array');
  return tools as Tool[];
}

export interface ToolCall {
  result: Record<string, unknown>;
  res: AnyResponse;
}

/** tools/call; a result with `isError: true` is a tool failure (reason tool_error). */
export function callTool(
  session: McpSession,
  name: string,
  args: Record<string, unknown>,
  compliance?: Compliance,
): ToolCall {
  const { message, res } = rpc(session, 'tools_call', 'tools/call', { name, arguments: args }, compliance);
  const result = (message.result ?? {}) as Record<string, unknown>;
  if (result.isError === true) fail('tools_call', 'tool_error', `tool ${name} returned isError`);
  return { result, res };
}

export function ping(session: McpSession, step: Step): AnyResponse {
  return rpc(session, step, 'ping', {}).res;
}

export type EndResult = 'ended' | 'not_supported' | 'stateless';

/** DELETE ends the session; 405 means the server does not let clients end sessions. */
export function endSession(session: McpSession): EndResult {
  if (!session.sessionId) return 'stateless';
  const res = send('DELETE', session.url, null, {
    name: 'DELETE {mcp}',
    step: 'session_end',
    headers: headersFor(session),
    discardBody: true,
  });
  if (res.status === 405) return 'not_supported';
  if (res.status !== 200 && res.status !== 204 && res.status !== 202)
    failForStatus('session_end', session, res);
  return 'ended';
}
