import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type Service } from '@vigil/testkit';
import { decodeJwt } from 'jose';
import type { RunningTarget } from '../src/index.ts';
import {
  INITIALIZE,
  fullAuthFlow,
  mcpPost,
  readJsonRpc,
  tokenRequest,
  MCP_PROTOCOL_VERSION,
} from '../support/oauth-flow.ts';
import { leakedSecrets, startCapturedTarget } from './support/captured-server.ts';

const USER = { username: 'alice', password: 'correct-horse-battery' };

describe('whole flow with login form, against real Redis', () => {
  let redis: Service;
  let target: RunningTarget;
  let logs: () => string;
  const secrets: Array<string | undefined> = [USER.password];

  beforeAll(async () => {
    redis = await startRedis();
    ({ target, logs } = await startCapturedTarget({ redisUrl: redis.url, loginMode: true, users: [USER] }));
  });
  afterAll(async () => {
    await target?.close();
    await redis?.stop();
  });

  it('discovery: 401 challenge → PRM → AS metadata with S256 and a registration endpoint', async () => {
    const unauthorized = await fetch(target.mcpUrl, { method: 'POST' });
    expect(unauthorized.status).toBe(401);
    const challenge = unauthorized.headers.get('www-authenticate') ?? '';
    const prmUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    expect(prmUrl).toBe(`${target.origin}/.well-known/oauth-protected-resource/mcp`);
    const prm = await (await fetch(prmUrl!)).json();
    expect(prm.resource).toBe(target.mcpUrl);
    expect(prm.authorization_servers).toEqual([target.issuer]);
    const as = await (await fetch(`${target.origin}/.well-known/oauth-authorization-server`)).json();
    expect(as.issuer).toBe(target.issuer);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);
    expect(as.registration_endpoint).toBe(`${target.issuer}/register`);
    expect(as.scopes_supported).toContain('mcp:tools');
    const openid = await fetch(`${target.origin}/.well-known/openid-configuration`);
    expect(openid.status).toBe(200);
  });

  it('registration → login → token → initialize → tools → refresh rotation → DELETE session', async () => {
    const { client, tokens, code, verifier } = await fullAuthFlow(target.issuer, target.mcpUrl, {
      login: USER,
    });
    secrets.push(tokens.access_token, tokens.refresh_token, code, verifier);
    const claims = decodeJwt(tokens.access_token!);
    expect(claims.aud).toBe(target.mcpUrl);
    expect(claims.iss).toBe(target.issuer);
    expect(claims.sub).toBe(USER.username);
    expect(tokens.scope).toBe('mcp:tools');

    const init = await mcpPost(target.mcpUrl, tokens.access_token!, INITIALIZE);
    expect(init.status).toBe(200);
    const sessionId = init.headers.get('mcp-session-id');
    expect(sessionId).toBeTruthy();
    expect((await readJsonRpc(init)).result).toMatchObject({
      serverInfo: { name: 'vigil-reference-server' },
    });
    const headers = { 'mcp-session-id': sessionId!, 'mcp-protocol-version': MCP_PROTOCOL_VERSION };
    const initialized = await mcpPost(
      target.mcpUrl,
      tokens.access_token!,
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      headers,
    );
    expect(initialized.status).toBe(202);
    const list = await readJsonRpc(
      await mcpPost(
        target.mcpUrl,
        tokens.access_token!,
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        headers,
      ),
    );
    const names = (list.result as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'health', 'simulate_upstream', 'admin_echo']));
    const call = await readJsonRpc(
      await mcpPost(
        target.mcpUrl,
        tokens.access_token!,
        {
          jsonrpc: '2.0',
          id: 3,
          method: 'tools/call',
          params: { name: 'echo', arguments: { text: 'hello' } },
        },
        headers,
      ),
    );
    expect(call.result).toEqual({ content: [{ type: 'text', text: 'hello' }] });

    const refreshed = await tokenRequest(target.issuer, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      client_id: client.client_id,
    });
    expect(refreshed.status).toBe(200);
    secrets.push(refreshed.body.access_token, refreshed.body.refresh_token);
    expect(refreshed.body.refresh_token).toBeTruthy();
    expect(refreshed.body.refresh_token).not.toBe(tokens.refresh_token);
    const reused = await tokenRequest(target.issuer, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      client_id: client.client_id,
    });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');

    const ping = await mcpPost(
      target.mcpUrl,
      refreshed.body.access_token!,
      { jsonrpc: '2.0', id: 4, method: 'ping' },
      headers,
    );
    expect(ping.status).toBe(200);
    const ended = await fetch(target.mcpUrl, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${refreshed.body.access_token}`, ...headers },
    });
    expect(ended.status).toBe(200);
    const afterEnd = await mcpPost(
      target.mcpUrl,
      refreshed.body.access_token!,
      { jsonrpc: '2.0', id: 5, method: 'ping' },
      headers,
    );
    expect(afterEnd.status).toBe(404);
  });

  it('a wrong password shows the form again with 401 and issues no code', async () => {
    await expect(
      fullAuthFlow(target.issuer, target.mcpUrl, {
        login: { username: USER.username, password: 'wrong-password-x' },
      }),
    ).rejects.toThrow(/login failed: 401/);
  });

  it('revocation: a revoked refresh token is refused', async () => {
    const { client, tokens } = await fullAuthFlow(target.issuer, target.mcpUrl, { login: USER });
    secrets.push(tokens.access_token, tokens.refresh_token);
    const revoked = await fetch(`${target.issuer}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: tokens.refresh_token!,
        token_type_hint: 'refresh_token',
        client_id: client.client_id,
      }),
    });
    expect(revoked.status).toBe(200);
    const refused = await tokenRequest(target.issuer, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      client_id: client.client_id,
    });
    expect(refused.body.error).toBe('invalid_grant');
  });

  it('keeps AS records and MCP sessions in Redis, and /readyz says so', async () => {
    const ready = await (await fetch(`${target.origin}/readyz`)).json();
    expect(ready).toEqual({ status: 'ready', store: 'redis', storeReachable: true });
    const metrics = await (await fetch(target.metricsUrl)).text();
    expect(metrics).toMatch(/vigil_target_redis_operation_duration_seconds_count\{operation="set"\} [1-9]/);
    expect(metrics).toMatch(
      /vigil_target_oauth_request_duration_seconds_count\{endpoint="token",grant="refresh_token",status="2xx"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /vigil_target_mcp_request_duration_seconds_count\{method="tools\/call",transport="streamable_http"\} 1/,
    );
    expect(metrics).toMatch(
      /vigil_target_http_request_duration_seconds_count\{route="\/mcp",method="POST",status="2xx"\}/,
    );
    expect(metrics).toContain('process_resident_memory_bytes');
    expect(metrics).not.toMatch(/code=|state=|Bearer/);
  });

  it('never writes a token, code, verifier or password to the log', () => {
    const text = logs();
    expect(text).toContain('vigil target listening');
    expect(text).toContain('"route":"/token"');
    expect(leakedSecrets(text, secrets)).toEqual([]);
  });
});
