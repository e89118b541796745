import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, decodeJwt, exportJWK, generateKeyPair } from 'jose';
import { randomUUID } from 'node:crypto';
import { DEFAULT_MACHINE_CLIENT, type RunningTarget } from '../src/index.ts';
import {
  INITIALIZE,
  fullAuthFlow,
  mcpPost,
  readJsonRpc,
  register,
  tokenRequest,
  MCP_PROTOCOL_VERSION,
} from '../support/oauth-flow.ts';
import { leakedSecrets, startCapturedTarget } from './support/captured-server.ts';

const POST_CLIENT = {
  client_id: 'probe-post',
  client_secret: 'probe-post-secret-123',
  grant_types: ['client_credentials'],
  redirect_uris: [],
  response_types: [],
  token_endpoint_auth_method: 'client_secret_post' as const,
};

describe('machine clients (client_credentials) and fault injection', () => {
  let target: RunningTarget;
  let logs: () => string;
  const keys = generateKeyPair('ES256', { extractable: true });

  beforeAll(async () => {
    const { publicKey } = await keys;
    const jwtClient = {
      client_id: 'probe-jwt',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'private_key_jwt' as const,
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'probe-key', alg: 'ES256', use: 'sig' }] },
    };
    ({ target, logs } = await startCapturedTarget({
      clients: [DEFAULT_MACHINE_CLIENT, POST_CLIENT, jwtClient],
      adminToken: 'admin-token-for-tests',
    }));
  });
  afterAll(async () => {
    await target?.close();
  });

  const admin = (method: string, path = '', body?: unknown, token = 'admin-token-for-tests') =>
    fetch(`${target.origin}/admin/faults${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('client_secret_basic, client_secret_post and private_key_jwt each get a resource-bound JWT', async () => {
    const basic = await tokenRequest(
      target.issuer,
      { grant_type: 'client_credentials', resource: target.mcpUrl },
      {
        authorization: `Basic ${Buffer.from(`${DEFAULT_MACHINE_CLIENT.client_id}:${DEFAULT_MACHINE_CLIENT.client_secret}`).toString('base64')}`,
      },
    );
    expect(basic.status).toBe(200);
    expect(decodeJwt(basic.body.access_token!).aud).toBe(target.mcpUrl);
    expect(basic.body.refresh_token).toBeUndefined();

    const post = await tokenRequest(target.issuer, {
      grant_type: 'client_credentials',
      client_id: POST_CLIENT.client_id,
      client_secret: POST_CLIENT.client_secret,
      scope: 'mcp:tools mcp:admin',
    });
    expect(post.status).toBe(200);
    expect(post.body.scope).toBe('mcp:tools mcp:admin');

    const { privateKey } = await keys;
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'probe-key' })
      .setIssuer('probe-jwt')
      .setSubject('probe-jwt')
      .setAudience(target.issuer)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(privateKey);
    const jwt = await tokenRequest(target.issuer, {
      grant_type: 'client_credentials',
      client_id: 'probe-jwt',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      resource: target.mcpUrl,
    });
    expect(jwt.status).toBe(200);
    const init = await mcpPost(target.mcpUrl, jwt.body.access_token!, INITIALIZE);
    expect(init.status).toBe(200);

    const wrongSecret = await tokenRequest(target.issuer, {
      grant_type: 'client_credentials',
      client_id: POST_CLIENT.client_id,
      client_secret: 'nope-nope-nope',
    });
    expect(wrongSecret.body.error).toBe('invalid_client');
    expect(
      leakedSecrets(logs(), [
        basic.body.access_token,
        post.body.access_token,
        jwt.body.access_token,
        assertion,
        POST_CLIENT.client_secret,
      ]),
    ).toEqual([]);
  });

  it('the admin API needs its token and validates the fault', async () => {
    expect((await admin('GET', '', undefined, 'wrong')).status).toBe(401);
    const bad = await admin('POST', '', { path: 'everything', errorRate: 2 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error_description: string }).error_description).toMatch(
      /^path must be one of/,
    );
    expect((await admin('POST', '', { path: 'token', errorRate: 1.5 })).status).toBe(400);
  });

  it('token and refresh faults answer temporarily_unavailable with the chosen status; clearing restores service', async () => {
    const { client, tokens } = await fullAuthFlow(target.issuer, target.mcpUrl);
    expect((await admin('POST', '', { path: 'refresh', errorRate: 1, status: 502 })).status).toBe(201);
    const listed = (await (await admin('GET')).json()) as { faults: Array<{ path: string }> };
    expect(listed.faults.map((fault) => fault.path)).toEqual(['refresh']);
    const refused = await tokenRequest(target.issuer, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      client_id: client.client_id,
    });
    expect(refused).toEqual({
      status: 502,
      body: { error: 'temporarily_unavailable', error_description: 'injected fault' },
    });
    expect((await admin('DELETE', '/refresh')).status).toBe(204);
    const served = await tokenRequest(target.issuer, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      client_id: client.client_id,
    });
    expect(served.status).toBe(200);

    await admin('POST', '', { path: 'token', errorRate: 1 });
    await expect(fullAuthFlow(target.issuer, target.mcpUrl)).rejects.toThrow(/temporarily_unavailable/);
    await admin('POST', '', { path: 'authorize', errorRate: 1, status: 500 });
    const authorize = await fetch(
      `${target.issuer}/authorize?client_id=${(await register(target.issuer)).client_id}`,
      { redirect: 'manual' },
    );
    expect(authorize.status).toBe(500);
    expect((await admin('DELETE')).status).toBe(204);
    expect(((await (await admin('GET')).json()) as { faults: unknown[] }).faults).toEqual([]);
  });

  it('tool_call faults add latency or fail the call with a JSON-RPC error and the HTTP status', async () => {
    const { tokens } = await fullAuthFlow(target.issuer, target.mcpUrl);
    const init = await mcpPost(target.mcpUrl, tokens.access_token!, INITIALIZE);
    const headers = {
      'mcp-session-id': init.headers.get('mcp-session-id')!,
      'mcp-protocol-version': MCP_PROTOCOL_VERSION,
    };
    const call = {
      jsonrpc: '2.0',
      id: 5,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'x' } },
    };
    await admin('POST', '', { path: 'tool_call', latencyMs: 300 });
    const started = performance.now();
    const slow = await mcpPost(target.mcpUrl, tokens.access_token!, call, headers);
    expect(slow.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    await admin('POST', '', { path: 'tool_call', errorRate: 1 });
    const failed = await mcpPost(target.mcpUrl, tokens.access_token!, call, headers);
    expect(failed.status).toBe(503);
    expect(await readJsonRpc(failed)).toMatchObject({ id: 5, error: { code: -32000 } });
    await admin('DELETE');
  });

  it('simulate_upstream reports failures as isError results, not protocol errors', async () => {
    const { tokens } = await fullAuthFlow(target.issuer, target.mcpUrl);
    const init = await mcpPost(target.mcpUrl, tokens.access_token!, INITIALIZE);
    const headers = {
      'mcp-session-id': init.headers.get('mcp-session-id')!,
      'mcp-protocol-version': MCP_PROTOCOL_VERSION,
    };
    const call = (errorRate: number) =>
      mcpPost(
        target.mcpUrl,
        tokens.access_token!,
        {
          jsonrpc: '2.0',
          id: 6,
          method: 'tools/call',
          params: { name: 'simulate_upstream', arguments: { medianMs: 5, p99Ms: 20, errorRate } },
        },
        headers,
      ).then(readJsonRpc);
    expect(await call(1)).toMatchObject({ result: { isError: true } });
    const ok = await call(0);
    expect((ok.result as { isError?: boolean }).isError).toBeUndefined();
  });
});
