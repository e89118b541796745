import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import type { RunningTarget } from '../src/index.ts';
import {
  INITIALIZE,
  REDIRECT_URI,
  authorize,
  fullAuthFlow,
  mcpPost,
  pkcePair,
  readJsonRpc,
  register,
  tokenRequest,
  MCP_PROTOCOL_VERSION,
} from '../support/oauth-flow.ts';
import { leakedSecrets, startCapturedTarget } from './support/captured-server.ts';

const MAX_BODY = 8 * 1024;
/**
 * Long enough for the shared token to outlive the tests before the expiry test (a JWT `exp` is in
 * whole seconds, so a 2 s token could be dead after 1.1 s), short enough to wait for its expiry.
 */
const TOKEN_TTL_SECONDS = 5;

describe('bad input gets a spec-shaped error, never a crash', () => {
  let target: RunningTarget;
  let logs: () => string;
  let token: string;
  let sessionHeaders: Record<string, string>;
  const secrets: Array<string | undefined> = [];

  beforeAll(async () => {
    ({ target, logs } = await startCapturedTarget({
      maxBodyBytes: MAX_BODY,
      accessTokenTtlSeconds: TOKEN_TTL_SECONDS,
    }));
    const flow = await fullAuthFlow(target.issuer, target.mcpUrl);
    token = flow.tokens.access_token!;
    secrets.push(token, flow.tokens.refresh_token, flow.code, flow.verifier);
    const init = await mcpPost(target.mcpUrl, token, INITIALIZE);
    sessionHeaders = {
      'mcp-session-id': init.headers.get('mcp-session-id')!,
      'mcp-protocol-version': MCP_PROTOCOL_VERSION,
    };
  });
  afterAll(async () => {
    await target?.close();
  });

  it('malformed JSON → 400 with JSON-RPC -32700', async () => {
    const response = await mcpPost(target.mcpUrl, token, '{"jsonrpc": "2.0", "id": 1,', sessionHeaders);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: number } }).error.code).toBe(-32700);
  });

  it('JSON that is not JSON-RPC → 400 with -32600', async () => {
    const response = await mcpPost(target.mcpUrl, token, { hello: 'world' }, sessionHeaders);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: number } }).error.code).toBe(-32600);
  });

  // JSON-RPC 2.0 keeps -32700 for text that is not JSON; valid JSON that is not a Request object
  // is -32600 with a null id. Each body carries a marker that must not come back in the answer.
  it.each([
    ['a number', '42'],
    ['a string', '"not-a-request-marker"'],
    ['null', 'null'],
    ['a boolean', 'true'],
    ['an empty batch', '[]'],
    ['a request with an object id', '{"jsonrpc":"2.0","id":{"not-a-request-marker":1},"method":"ping"}'],
    ['a request with an array id', '{"jsonrpc":"2.0","id":["not-a-request-marker"],"method":"ping"}'],
    ['a request with a boolean id', '{"jsonrpc":"2.0","id":true,"method":"ping"}'],
    [
      'a batch with one such request',
      '[{"jsonrpc":"2.0","id":3,"method":"ping"},{"jsonrpc":"2.0","id":{},"method":"ping"}]',
    ],
  ])(
    'valid JSON that is not a JSON-RPC request (%s) → 400 -32600, id null, input not echoed',
    async (_, body) => {
      const response = await mcpPost(target.mcpUrl, token, body, sessionHeaders);
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text).not.toContain('not-a-request-marker');
      const answer = JSON.parse(text) as { jsonrpc: string; id: unknown; error: Record<string, unknown> };
      expect(answer).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
      expect(answer.error.data).toBeUndefined();
    },
  );

  it('unknown method → JSON-RPC -32601', async () => {
    const answer = await readJsonRpc(
      await mcpPost(
        target.mcpUrl,
        token,
        { jsonrpc: '2.0', id: 9, method: 'no/such/method' },
        sessionHeaders,
      ),
    );
    expect((answer.error as { code: number }).code).toBe(-32601);
  });

  it('oversized body → 413', async () => {
    const big = {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'x'.repeat(MAX_BODY) } },
    };
    const response = await mcpPost(target.mcpUrl, token, big, sessionHeaders);
    expect(response.status).toBe(413);
  });

  it('missing session id → 400; unknown session → 404', async () => {
    const missing = await mcpPost(target.mcpUrl, token, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(missing.status).toBe(400);
    const unknown = await mcpPost(
      target.mcpUrl,
      token,
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { ...sessionHeaders, 'mcp-session-id': 'not-a-session' },
    );
    expect(unknown.status).toBe(404);
  });

  it('a request id already in flight on the session → 400 -32600, instead of a request never answered', async () => {
    const slowCall = {
      jsonrpc: '2.0',
      id: 77,
      method: 'tools/call',
      params: { name: 'simulate_upstream', arguments: { medianMs: 800, p99Ms: 800, errorRate: 0 } },
    };
    const slow = mcpPost(target.mcpUrl, token, slowCall, sessionHeaders);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const reused = await mcpPost(
      target.mcpUrl,
      token,
      { jsonrpc: '2.0', id: 77, method: 'ping' },
      sessionHeaders,
    );
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: { code: -32600 }, id: 77 });
    // The first request is still answered, and the id is free again once it has been.
    expect(await readJsonRpc(await slow)).toMatchObject({ id: 77, result: { content: expect.any(Array) } });
    const again = await readJsonRpc(
      await mcpPost(target.mcpUrl, token, { jsonrpc: '2.0', id: 77, method: 'ping' }, sessionHeaders),
    );
    expect(again).toMatchObject({ id: 77, result: {} });
    // A batch that repeats an id within itself is refused the same way.
    const batch = await mcpPost(
      target.mcpUrl,
      token,
      [
        { jsonrpc: '2.0', id: 78, method: 'ping' },
        { jsonrpc: '2.0', id: 78, method: 'ping' },
      ],
      sessionHeaders,
    );
    expect(batch.status).toBe(400);
  });

  it('unsupported MCP-Protocol-Version → 400', async () => {
    const response = await mcpPost(
      target.mcpUrl,
      token,
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { ...sessionHeaders, 'mcp-protocol-version': '1999-01-01' },
    );
    expect(response.status).toBe(400);
  });

  it('Host or Origin outside the allowed set → 403', async () => {
    const port = new URL(target.origin).port;
    // fetch may not set Host; node:http can.
    const hostStatus = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/mcp',
          method: 'POST',
          headers: {
            host: `evil.example:${port}`,
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.end(JSON.stringify(INITIALIZE));
    });
    expect(hostStatus).toBe(403);
    const origin = await mcpPost(target.mcpUrl, token, INITIALIZE, { origin: 'http://evil.example' });
    expect(origin.status).toBe(403);
    const allowed = await mcpPost(
      target.mcpUrl,
      token,
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { ...sessionHeaders, origin: target.origin },
    );
    expect(allowed.status).toBe(200);
  });

  it('PKCE: a wrong verifier → invalid_grant; plain and missing challenges are refused', async () => {
    const client = await register(target.issuer);
    const { challenge } = pkcePair();
    const redirect = await authorize({
      issuer: target.issuer,
      clientId: client.client_id,
      resource: target.mcpUrl,
      challenge,
    });
    const code = redirect.searchParams.get('code')!;
    secrets.push(code);
    const exchanged = await tokenRequest(target.issuer, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: pkcePair().verifier,
      client_id: client.client_id,
    });
    expect(exchanged.status).toBe(400);
    expect(exchanged.body.error).toBe('invalid_grant');

    const plain = await authorize({
      issuer: target.issuer,
      clientId: client.client_id,
      resource: target.mcpUrl,
      challenge: 'a'.repeat(43),
      challengeMethod: 'plain',
    });
    expect(plain.searchParams.get('error')).toBe('invalid_request');
    const missing = await authorize({
      issuer: target.issuer,
      clientId: client.client_id,
      resource: target.mcpUrl,
      challenge: '',
    });
    expect(missing.searchParams.get('error')).toBe('invalid_request');
    expect(missing.searchParams.get('code')).toBeNull();
  });

  it('a wrong resource → invalid_target at authorize and at the token endpoint', async () => {
    const client = await register(target.issuer);
    const wrong = await authorize({
      issuer: target.issuer,
      clientId: client.client_id,
      resource: 'https://elsewhere.example/mcp',
      challenge: pkcePair().challenge,
    });
    expect(wrong.searchParams.get('error')).toBe('invalid_target');
    const machine = await tokenRequest(
      target.issuer,
      { grant_type: 'client_credentials', resource: 'https://elsewhere.example/mcp' },
      {
        authorization: `Basic ${Buffer.from('vigil-probe:vigil-probe-secret-change-me').toString('base64')}`,
      },
    );
    expect(machine.body.error).toBe('invalid_target');
  });

  it('open registration accepts loopback redirect URIs only', async () => {
    await expect(register(target.issuer, { redirect_uris: ['https://evil.example/cb'] })).rejects.toThrow(
      /400.*invalid_redirect_uri/,
    );
  });

  it('a token without mcp:admin → 403 insufficient_scope on admin_echo, naming the scope and the PRM', async () => {
    const response = await mcpPost(
      target.mcpUrl,
      token,
      {
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'admin_echo', arguments: { text: 'x' } },
      },
      sessionHeaders,
    );
    expect(response.status).toBe(403);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="mcp:tools mcp:admin"');
    expect(challenge).toContain(
      `resource_metadata="${target.origin}/.well-known/oauth-protected-resource/mcp"`,
    );

    const stepped = await fullAuthFlow(target.issuer, target.mcpUrl, { scope: 'mcp:tools mcp:admin' });
    secrets.push(stepped.tokens.access_token, stepped.tokens.refresh_token);
    const init = await mcpPost(target.mcpUrl, stepped.tokens.access_token!, INITIALIZE);
    const headers = {
      'mcp-session-id': init.headers.get('mcp-session-id')!,
      'mcp-protocol-version': MCP_PROTOCOL_VERSION,
    };
    const ok = await readJsonRpc(
      await mcpPost(
        target.mcpUrl,
        stepped.tokens.access_token!,
        {
          jsonrpc: '2.0',
          id: 8,
          method: 'tools/call',
          params: { name: 'admin_echo', arguments: { text: 'root' } },
        },
        headers,
      ),
    );
    expect(ok.result).toEqual({ content: [{ type: 'text', text: 'root' }] });
  });

  it('another client cannot use a session it does not own (404)', async () => {
    const other = await fullAuthFlow(target.issuer, target.mcpUrl);
    secrets.push(other.tokens.access_token);
    const response = await mcpPost(
      target.mcpUrl,
      other.tokens.access_token!,
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      sessionHeaders,
    );
    expect(response.status).toBe(404);
  });

  it('garbage and expired tokens → 401 with a resource_metadata challenge', async () => {
    const garbage = await mcpPost(target.mcpUrl, 'not-a-jwt', INITIALIZE);
    expect(garbage.status).toBe(401);
    const expiresAtMs = decodeJwt(token).exp! * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAtMs - Date.now()) + 100));
    const expired = await mcpPost(
      target.mcpUrl,
      token,
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      sessionHeaders,
    );
    expect(expired.status).toBe(401);
    const challenge = expired.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('error="invalid_token"');
    expect(challenge).toContain('expired');
    expect(challenge).toContain('resource_metadata=');
  });

  it('keeps secrets out of the log even when requests fail', () => {
    expect(leakedSecrets(logs(), secrets)).toEqual([]);
  });
});
