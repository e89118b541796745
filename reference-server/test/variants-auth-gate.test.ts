import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTarget, type RunningTarget, type TargetVariant } from '../src/index.ts';
import {
  INITIALIZE,
  MCP_ACCEPT,
  fullAuthFlow,
  readJsonRpc,
  MCP_PROTOCOL_VERSION,
} from '../support/oauth-flow.ts';

/** POST /mcp with a token or, when `token` is undefined, without any Authorization header. */
function post(target: RunningTarget, body: unknown, headers: Record<string, string> = {}, token?: string) {
  return fetch(target.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: MCP_ACCEPT,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

const TOOLS_LIST = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
const PING = { jsonrpc: '2.0', id: 3, method: 'ping' };
const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' };
const echo = (id: number, text: string) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'echo', arguments: { text } },
});

async function accessToken(target: RunningTarget): Promise<string> {
  return (await fullAuthFlow(target.issuer, target.mcpUrl)).tokens.access_token!;
}

/** Opens a session without a token (initialize + initialized); returns its headers. */
async function anonymousSession(target: RunningTarget): Promise<Record<string, string>> {
  const init = await post(target, INITIALIZE);
  expect(init.status).toBe(200);
  expect((await readJsonRpc(init)).result).toMatchObject({ serverInfo: { name: 'vigil-reference-server' } });
  const sessionId = init.headers.get('mcp-session-id');
  expect(sessionId).toBeTruthy();
  const headers = { 'mcp-session-id': sessionId!, 'mcp-protocol-version': MCP_PROTOCOL_VERSION };
  expect((await post(target, INITIALIZED, headers)).status).toBe(202);
  return headers;
}

const targets: RunningTarget[] = [];
afterAll(async () => {
  await Promise.all(targets.map((target) => target.close()));
});
async function started(variant: Partial<TargetVariant>) {
  const target = await startTarget({ port: 0, logLevel: 'silent', variant });
  targets.push(target);
  return target;
}

describe("authRequiredFrom: 'tools_call_401' — a token only from the first tools/call", () => {
  let target: RunningTarget;
  let prmUrl: string;
  beforeAll(async () => {
    target = await started({ authRequiredFrom: 'tools_call_401' });
    prmUrl = `${target.origin}/.well-known/oauth-protected-resource/mcp`;
  });

  it('initialize, notifications, tools/list and ping are served without a token', async () => {
    const headers = await anonymousSession(target);
    const tools = await readJsonRpc(await post(target, TOOLS_LIST, headers));
    expect((tools.result as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name)).toContain(
      'echo',
    );
    expect(await readJsonRpc(await post(target, PING, headers))).toMatchObject({ id: 3, result: {} });
  });

  it('tools/call without a token → 401 with the usual challenge, then the same session works with a token', async () => {
    const headers = await anonymousSession(target);
    const refused = await post(target, echo(4, 'x'), headers);
    expect(refused.status).toBe(401);
    const challenge = refused.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer error="invalid_token"/);
    expect(challenge).toContain('scope="mcp:tools"');
    expect(challenge).toContain(`resource_metadata="${prmUrl}"`);
    // A batch hiding a tools/call among public messages is no way around it.
    expect((await post(target, [PING, echo(5, 'x')], headers)).status).toBe(401);

    const token = await accessToken(target);
    const answer = await readJsonRpc(await post(target, echo(6, 'after auth'), headers, token));
    expect(answer.result).toEqual({ content: [{ type: 'text', text: 'after auth' }] });
  });

  it('the first token binds the session to its client: another client gets 404, no token the challenge', async () => {
    const headers = await anonymousSession(target);
    const first = await accessToken(target);
    expect((await post(target, echo(7, 'bind'), headers, first)).status).toBe(200);
    const second = await accessToken(target);
    expect((await post(target, TOOLS_LIST, headers, second)).status).toBe(404);
    expect((await post(target, echo(8, 'x'), headers, second)).status).toBe(404);
    expect((await post(target, TOOLS_LIST, headers)).status).toBe(401);
    expect((await post(target, TOOLS_LIST, headers, first)).status).toBe(200);
  });

  it('a session opened with a token is bound from the start, as in the default server', async () => {
    const first = await accessToken(target);
    const init = await post(target, INITIALIZE, {}, first);
    const headers = {
      'mcp-session-id': init.headers.get('mcp-session-id')!,
      'mcp-protocol-version': MCP_PROTOCOL_VERSION,
    };
    expect((await post(target, TOOLS_LIST, headers)).status).toBe(401);
    expect((await post(target, TOOLS_LIST, headers, await accessToken(target))).status).toBe(404);
    expect((await post(target, echo(9, 'own'), headers, first)).status).toBe(200);
  });

  it('an invalid token is a 401 even for public methods', async () => {
    const garbage = await post(target, INITIALIZE, {}, 'not-a-jwt');
    expect(garbage.status).toBe(401);
    expect(garbage.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const headers = await anonymousSession(target);
    expect((await post(target, TOOLS_LIST, headers, 'not-a-jwt')).status).toBe(401);
  });

  it('GET and DELETE follow the session: open without a token on an unbound session, the owner’s once bound', async () => {
    const headers = await anonymousSession(target);
    const controller = new AbortController();
    const stream = await fetch(target.mcpUrl, {
      headers: { accept: MCP_ACCEPT, ...headers },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    controller.abort();
    expect((await fetch(target.mcpUrl, { method: 'DELETE', headers })).status).toBe(200);
    expect((await post(target, TOOLS_LIST, headers)).status).toBe(404);

    const bound = await anonymousSession(target);
    const token = await accessToken(target);
    expect((await post(target, echo(10, 'bind'), bound, token)).status).toBe(200);
    expect((await fetch(target.mcpUrl, { method: 'DELETE', headers: bound })).status).toBe(401);
    const owned = await fetch(target.mcpUrl, {
      method: 'DELETE',
      headers: { ...bound, authorization: `Bearer ${token}` },
    });
    expect(owned.status).toBe(200);
  });

  it('WebSocket and legacy SSE keep requiring a token', async () => {
    expect((await fetch(`${target.origin}/sse`)).status).toBe(401);
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${target.mcpUrl.replace('http', 'ws')}/ws`, 'mcp');
      socket.once('unexpected-response', (_req, response) => resolve(response.statusCode ?? 0));
      socket.once('open', () => resolve(101));
      socket.once('error', () => undefined);
    });
    expect(status).toBe(401);
  });
});

describe("authRequiredFrom: 'tools_call_403' — tools/call without a token is a 403 insufficient_scope", () => {
  it('names the scope and the PRM; the same session works once the client has a token', async () => {
    const target = await started({ authRequiredFrom: 'tools_call_403' });
    const headers = await anonymousSession(target);
    expect((await post(target, TOOLS_LIST, headers)).status).toBe(200);
    const refused = await post(target, echo(2, 'x'), headers);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe(
      `Bearer error="insufficient_scope", scope="mcp:tools", resource_metadata="${target.origin}/.well-known/oauth-protected-resource/mcp"`,
    );
    const token = await accessToken(target);
    const answer = await readJsonRpc(await post(target, echo(3, 'stepped up'), headers, token));
    expect(answer.result).toEqual({ content: [{ type: 'text', text: 'stepped up' }] });
  });

  it('stateless: public calls need no token, tools/call does', async () => {
    const target = await started({
      authRequiredFrom: 'tools_call_403',
      stateless: true,
      responseMode: 'json',
    });
    expect((await readJsonRpc(await post(target, TOOLS_LIST))).result).toMatchObject({
      tools: expect.any(Array),
    });
    expect((await post(target, echo(2, 'x'))).status).toBe(403);
    const answer = await readJsonRpc(await post(target, echo(3, 'ok'), {}, await accessToken(target)));
    expect(answer.result).toEqual({ content: [{ type: 'text', text: 'ok' }] });
  });
});

describe("authRequiredFrom: 'initialize' (the default)", () => {
  it('initialize without a token is a 401', async () => {
    const target = await started({});
    expect((await post(target, INITIALIZE)).status).toBe(401);
  });
});
