import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import WebSocket from 'ws';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import {
  LoggingMessageNotificationSchema,
  type LoggingMessageNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { startTarget, type RunningTarget, type TargetVariant } from '../src/index.ts';
import {
  INITIALIZE,
  MCP_ACCEPT,
  REDIRECT_URI,
  fullAuthFlow,
  mcpPost,
  readJsonRpc,
  sseMessages,
  MCP_PROTOCOL_VERSION,
} from '../support/oauth-flow.ts';

async function started(variant: Partial<TargetVariant> = {}) {
  const target = await startTarget({ port: 0, logLevel: 'silent', variant });
  const { tokens } = await fullAuthFlow(target.issuer, target.mcpUrl);
  return { target, token: tokens.access_token! };
}

function openSocket(url: string, token?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'mcp', token ? { headers: { authorization: `Bearer ${token}` } } : {});
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, response) =>
      reject(new Error(`upgrade refused: ${response.statusCode}`)),
    );
    socket.once('error', reject);
  });
}

function nextMessage(socket: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
}

/** The frames a socket receives up to and including the answer with the given id. */
function messagesUntilAnswer(socket: WebSocket, id: number): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve) => {
    const received: Array<Record<string, unknown>> = [];
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      received.push(message);
      if (message.id !== id) return;
      socket.off('message', onMessage);
      resolve(received);
    };
    socket.on('message', onMessage);
  });
}

const QUICK_UPSTREAM = {
  name: 'simulate_upstream',
  arguments: { medianMs: 20, p99Ms: 20, errorRate: 0 },
};

function simulateUpstreamCall(id: number) {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: QUICK_UPSTREAM };
}

const isLogMessage = (message: Record<string, unknown>) => message.method === 'notifications/message';

/** The log notifications simulate_upstream sends: one at the start, one when the upstream answered. */
function expectUpstreamLogs(logs: Array<LoggingMessageNotification['params']>, token: string) {
  expect(logs.length).toBeGreaterThanOrEqual(2);
  for (const log of logs) {
    expect(log).toMatchObject({ level: 'info', logger: 'simulate_upstream' });
    expect(JSON.stringify(log)).not.toContain(token);
  }
}

describe('transports of the default server', () => {
  let target: RunningTarget;
  let token: string;
  beforeAll(async () => {
    ({ target, token } = await started());
  });
  afterAll(async () => {
    await target?.close();
  });

  it('WebSocket: bearer on the upgrade, JSON-RPC frames, counted as a streaming connection', async () => {
    const wsUrl = target.mcpUrl.replace('http', 'ws') + '/ws';
    await expect(openSocket(wsUrl)).rejects.toThrow(/401/);
    const socket = await openSocket(wsUrl, token);
    socket.send(JSON.stringify(INITIALIZE));
    expect(await nextMessage(socket)).toMatchObject({
      id: 1,
      result: { serverInfo: { name: 'vigil-reference-server' } },
    });
    socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    socket.send(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'echo', arguments: { text: 'ws' } },
      }),
    );
    expect(await nextMessage(socket)).toMatchObject({
      id: 2,
      result: { content: [{ type: 'text', text: 'ws' }] },
    });
    socket.send('{not json');
    expect(await nextMessage(socket)).toMatchObject({ error: { code: -32700 } });
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: {}, method: 'ping' }));
    expect(await nextMessage(socket)).toMatchObject({ id: null, error: { code: -32600 } });
    socket.send(JSON.stringify(simulateUpstreamCall(3)));
    const frames = await messagesUntilAnswer(socket, 3);
    expect(frames.at(-1)).toMatchObject({ id: 3, result: { content: expect.any(Array) } });
    const logs = frames.filter(isLogMessage);
    expectUpstreamLogs(
      logs.map((frame) => frame.params as LoggingMessageNotification['params']),
      token,
    );
    const metrics = await (await fetch(target.metricsUrl)).text();
    expect(metrics).toContain('vigil_target_streaming_connections{transport="websocket"} 1');
    socket.close();
  });

  it('legacy HTTP+SSE: the SDK SSE client connects to /sse and calls a tool', async () => {
    const authorization = `Bearer ${token}`;
    const transport = new SSEClientTransport(new URL(`${target.origin}/sse`), {
      eventSourceInit: {
        fetch: (url, init) =>
          fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization } }),
      },
      requestInit: { headers: { authorization } },
    });
    const client = new Client({ name: 'legacy', version: '0' });
    const logs: Array<LoggingMessageNotification['params']> = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      logs.push(notification.params);
    });
    await client.connect(transport);
    const result = await client.callTool({ name: 'echo', arguments: { text: 'legacy' } });
    expect(result.content).toEqual([{ type: 'text', text: 'legacy' }]);
    await client.callTool(QUICK_UPSTREAM);
    expectUpstreamLogs(logs, token);
    await client.close();
  });

  it('Streamable HTTP GET opens a server stream for the session', async () => {
    const init = await mcpPost(target.mcpUrl, token, INITIALIZE);
    const sessionId = init.headers.get('mcp-session-id')!;
    const controller = new AbortController();
    const stream = await fetch(target.mcpUrl, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: MCP_ACCEPT,
        'mcp-session-id': sessionId,
        'mcp-protocol-version': MCP_PROTOCOL_VERSION,
      },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    controller.abort();
  });

  describe('MCP logging over Streamable HTTP (SSE answers)', () => {
    let headers: Record<string, string>;
    beforeAll(async () => {
      const init = await mcpPost(target.mcpUrl, token, INITIALIZE);
      expect((await readJsonRpc(init)).result).toMatchObject({ capabilities: { logging: {} } });
      headers = {
        'mcp-session-id': init.headers.get('mcp-session-id')!,
        'mcp-protocol-version': MCP_PROTOCOL_VERSION,
      };
    });

    it('simulate_upstream sends notifications/message on the POST stream before its result', async () => {
      const response = await mcpPost(target.mcpUrl, token, simulateUpstreamCall(2), headers);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const messages = sseMessages(await response.text());
      const resultAt = messages.findIndex((message) => message.id === 2);
      expect(messages[resultAt]).toMatchObject({ result: { content: expect.any(Array) } });
      const logsBefore = messages.slice(0, resultAt).filter(isLogMessage);
      expect(logsBefore.length).toBe(messages.filter(isLogMessage).length);
      expectUpstreamLogs(
        logsBefore.map((message) => message.params as LoggingMessageNotification['params']),
        token,
      );
    });

    it('logging/setLevel answers a result, and a level above info silences the tool logs', async () => {
      const setLevel = { jsonrpc: '2.0', id: 3, method: 'logging/setLevel', params: { level: 'warning' } };
      expect(await readJsonRpc(await mcpPost(target.mcpUrl, token, setLevel, headers))).toEqual({
        jsonrpc: '2.0',
        id: 3,
        result: {},
      });
      const response = await mcpPost(target.mcpUrl, token, simulateUpstreamCall(4), headers);
      const messages = sseMessages(await response.text());
      expect(messages.filter(isLogMessage)).toEqual([]);
      expect(messages.at(-1)).toMatchObject({ id: 4, result: { content: expect.any(Array) } });
    });
  });
});

describe('variants', () => {
  const targets: RunningTarget[] = [];
  afterAll(async () => {
    await Promise.all(targets.map((target) => target.close()));
  });
  async function variant(value: Partial<TargetVariant>) {
    const result = await started(value);
    targets.push(result.target);
    return result;
  }

  it('json + stateless: plain JSON answers and no Mcp-Session-Id', async () => {
    const { target, token } = await variant({ responseMode: 'json', stateless: true });
    const init = await mcpPost(target.mcpUrl, token, INITIALIZE);
    expect(init.headers.get('content-type')).toContain('application/json');
    expect(init.headers.get('mcp-session-id')).toBeNull();
    const call = await mcpPost(target.mcpUrl, token, {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'x' } },
    });
    expect((await readJsonRpc(call)).result).toEqual({ content: [{ type: 'text', text: 'x' }] });
    // Log notifications have no place in a JSON answer: the result alone comes back.
    const slow = await mcpPost(target.mcpUrl, token, simulateUpstreamCall(3));
    expect(slow.headers.get('content-type')).toContain('application/json');
    expect(await slow.json()).toMatchObject({ id: 3, result: { content: expect.any(Array) } });
    const get = await fetch(target.mcpUrl, {
      headers: { authorization: `Bearer ${token}`, accept: MCP_ACCEPT },
    });
    expect(get.status).toBe(405);
  });

  it('prm root / custom / none name the matching URL (or none) in the 401', async () => {
    const challenge = async (target: RunningTarget) =>
      (await fetch(target.mcpUrl, { method: 'POST' })).headers.get('www-authenticate') ?? '';
    const root = (await variant({ prm: 'root' })).target;
    expect(await challenge(root)).toContain(
      `resource_metadata="${root.origin}/.well-known/oauth-protected-resource"`,
    );
    expect((await fetch(`${root.origin}/.well-known/oauth-protected-resource/mcp`)).status).toBe(404);
    const custom = (await variant({ prm: 'custom' })).target;
    expect(await challenge(custom)).toContain(`resource_metadata="${custom.origin}/prm-custom"`);
    expect((await fetch(`${custom.origin}/.well-known/oauth-protected-resource`)).status).toBe(404);
    const none = (await variant({ prm: 'none' })).target;
    expect(await challenge(none)).not.toContain('resource_metadata');
    expect((await fetch(`${none.origin}/.well-known/oauth-authorization-server`)).status).toBe(200);
  });

  it('issuer with a path: path-aware metadata URLs; only the OpenID document when asked', async () => {
    const { target } = await variant({ issuerPath: '/auth', asMetadata: 'openid' });
    expect(target.issuer).toBe(`${target.origin}/auth`);
    expect((await fetch(`${target.origin}/.well-known/oauth-authorization-server/auth`)).status).toBe(404);
    const openid = await (await fetch(`${target.origin}/auth/.well-known/openid-configuration`)).json();
    expect(openid.issuer).toBe(target.issuer);
    expect(openid.token_endpoint).toBe(`${target.issuer}/token`);
    expect((await fetch(`${target.origin}/.well-known/openid-configuration/auth`)).status).toBe(200);
  });

  it('oauth-only metadata, a wrong PRM resource, no refresh tokens, no WebSocket', async () => {
    const { target, token } = await variant({
      asMetadata: 'oauth',
      prmResource: 'https://wrong.example/mcp',
      refreshTokens: false,
      websocket: false,
    });
    expect((await fetch(`${target.origin}/.well-known/openid-configuration`)).status).toBe(404);
    expect((await fetch(`${target.origin}/.well-known/oauth-authorization-server`)).status).toBe(200);
    const prm = await (await fetch(`${target.origin}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(prm.resource).toBe('https://wrong.example/mcp');
    const { tokens } = await fullAuthFlow(target.issuer, target.mcpUrl);
    expect(tokens.refresh_token).toBeUndefined();
    await expect(openSocket(target.mcpUrl.replace('http', 'ws') + '/ws', token)).rejects.toThrow();
  });
});

describe('Client ID Metadata Documents (loopback http, for tests and demos)', () => {
  let target: RunningTarget;
  let documentServer: http.Server;
  let clientId: string;
  let documentBody: Record<string, unknown>;

  beforeAll(async () => {
    target = await startTarget({ port: 0, logLevel: 'silent' });
    documentServer = http.createServer((_req, res) =>
      res.setHeader('content-type', 'application/json').end(JSON.stringify(documentBody)),
    );
    await new Promise<void>((resolve) => documentServer.listen(0, '127.0.0.1', resolve));
    clientId = `http://127.0.0.1:${(documentServer.address() as AddressInfo).port}/client.json`;
  });
  afterAll(async () => {
    await target?.close();
    documentServer?.close();
  });

  it('advertises support and accepts the document URL as client_id without registration', async () => {
    const metadata = await (await fetch(`${target.origin}/.well-known/oauth-authorization-server`)).json();
    expect(metadata.client_id_metadata_document_supported).toBe(true);
    documentBody = {
      client_id: clientId,
      client_name: 'cimd test',
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'none',
    };
    const { tokens } = await fullAuthFlow(target.issuer, target.mcpUrl, { client: { client_id: clientId } });
    expect(decodeJwt(tokens.access_token!).client_id).toBe(clientId);
  });

  it('refuses a document whose client_id is not its own URL', async () => {
    const otherId = clientId.replace('client.json', 'other.json');
    documentBody = { client_id: 'http://127.0.0.1/not-me', redirect_uris: [REDIRECT_URI] };
    const response = await fetch(
      `${target.issuer}/authorize?client_id=${encodeURIComponent(otherId)}&response_type=code`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });
});
