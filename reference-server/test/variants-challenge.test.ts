import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { resolveConfig } from '../src/config.ts';
import { DEFAULT_MACHINE_CLIENT, startTarget, type RunningTarget, type TargetVariant } from '../src/index.ts';
import {
  INITIALIZE,
  MCP_ACCEPT,
  fullAuthFlow,
  mcpPost,
  tokenRequest,
  MCP_PROTOCOL_VERSION,
} from '../support/oauth-flow.ts';

const targets: RunningTarget[] = [];
afterAll(async () => {
  await Promise.all(targets.map((target) => target.close()));
});
async function started(variant: Partial<TargetVariant>) {
  const target = await startTarget({ port: 0, logLevel: 'silent', variant });
  targets.push(target);
  return target;
}

/** Status and WWW-Authenticate of a refused WebSocket upgrade (null: no such header). */
function refusedUpgrade(url: string, token?: string): Promise<{ status: number; challenge: string | null }> {
  return new Promise((resolve, reject) => {
    const headers = token ? { authorization: `Bearer ${token}` } : {};
    const socket = new WebSocket(url, 'mcp', { headers });
    socket.once('unexpected-response', (_req, response) => {
      const challenge = response.headers['www-authenticate'];
      resolve({
        status: response.statusCode ?? 0,
        challenge: challenge === undefined ? null : String(challenge),
      });
      response.resume();
    });
    socket.once('open', () => reject(new Error('upgrade accepted')));
    socket.once('error', () => undefined);
  });
}

async function sessionHeaders(target: RunningTarget, token: string) {
  const init = await mcpPost(target.mcpUrl, token, INITIALIZE);
  expect(init.status).toBe(200);
  return {
    'mcp-session-id': init.headers.get('mcp-session-id')!,
    'mcp-protocol-version': MCP_PROTOCOL_VERSION,
  };
}

const ADMIN_ECHO = {
  jsonrpc: '2.0',
  id: 2,
  method: 'tools/call',
  params: { name: 'admin_echo', arguments: { text: 'x' } },
};

/** A client_credentials token with `mcp:admin` only: the endpoint's own mcp:tools check refuses it (403). */
async function adminOnlyToken(target: RunningTarget): Promise<string> {
  const { client_id, client_secret } = DEFAULT_MACHINE_CLIENT;
  const response = await tokenRequest(
    target.issuer,
    { grant_type: 'client_credentials', resource: target.mcpUrl, scope: 'mcp:admin' },
    { authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}` },
  );
  expect(response.body.scope).toBe('mcp:admin');
  return response.body.access_token!;
}

describe('challengeHeader: false — 401s without WWW-Authenticate, the PRM still at its well-known URLs', () => {
  it('no 401 of Streamable HTTP (POST/GET/DELETE), legacy SSE or the WebSocket upgrade has the header', async () => {
    const target = await started({ challengeHeader: false });
    const garbage = { authorization: 'Bearer garbage' };
    const refusals = {
      'POST /mcp': await fetch(target.mcpUrl, { method: 'POST' }),
      'POST /mcp bad token': await fetch(target.mcpUrl, { method: 'POST', headers: garbage }),
      'GET /mcp': await fetch(target.mcpUrl, { headers: { accept: MCP_ACCEPT } }),
      'DELETE /mcp': await fetch(target.mcpUrl, { method: 'DELETE' }),
      'GET /sse': await fetch(`${target.origin}/sse`),
      'POST /messages': await fetch(`${target.origin}/messages?sessionId=x`, {
        method: 'POST',
        headers: garbage,
      }),
    };
    for (const [request, response] of Object.entries(refusals)) {
      expect(response.status, request).toBe(401);
      expect(response.headers.get('www-authenticate'), request).toBeNull();
      expect(await response.json(), request).toMatchObject({ error: 'invalid_token' });
    }
    expect(await refusedUpgrade(`${target.mcpUrl.replace('http', 'ws')}/ws`)).toEqual({
      status: 401,
      challenge: null,
    });

    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const prm = await fetch(`${target.origin}${path}`);
      expect(prm.status, path).toBe(200);
      expect(await prm.json()).toMatchObject({
        resource: target.mcpUrl,
        authorization_servers: [target.issuer],
      });
    }
  });

  it('a client that found the PRM gets through; the 403 insufficient_scope keeps its challenge', async () => {
    const target = await started({ challengeHeader: false });
    const { tokens } = await fullAuthFlow(target.issuer, target.mcpUrl);
    const token = tokens.access_token!;
    const refused = await mcpPost(target.mcpUrl, token, ADMIN_ECHO, await sessionHeaders(target, token));
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe(
      `Bearer error="insufficient_scope", scope="mcp:tools mcp:admin", resource_metadata="${target.origin}/.well-known/oauth-protected-resource/mcp"`,
    );
  });

  it("with authRequiredFrom 'tools_call_401' the token-less tools/call's 401 has no header either", async () => {
    const target = await started({ challengeHeader: false, authRequiredFrom: 'tools_call_401' });
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(target.mcpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: MCP_ACCEPT, ...headers },
        body: JSON.stringify(body),
      });
    const init = await post(INITIALIZE);
    expect(init.status).toBe(200);
    const call = await post(
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } },
      { 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': MCP_PROTOCOL_VERSION },
    );
    expect(call.status).toBe(401);
    expect(call.headers.get('www-authenticate')).toBeNull();
  });

  it('the default challenges every 401', async () => {
    const target = await started({});
    expect((await fetch(target.mcpUrl, { method: 'POST' })).headers.get('www-authenticate')).toMatch(
      /^Bearer error="invalid_token"/,
    );
  });
});

describe("insufficientScopeChallenge: 'without_scope' — 403 insufficient_scope names no scope", () => {
  const prm = (target: RunningTarget) => `${target.origin}/.well-known/oauth-protected-resource/mcp`;

  it('admin_echo without mcp:admin: error and resource_metadata, no scope', async () => {
    const target = await started({ insufficientScopeChallenge: 'without_scope' });
    const { tokens } = await fullAuthFlow(target.issuer, target.mcpUrl);
    const token = tokens.access_token!;
    const refused = await mcpPost(target.mcpUrl, token, ADMIN_ECHO, await sessionHeaders(target, token));
    expect(refused.status).toBe(403);
    const challenge = refused.headers.get('www-authenticate');
    expect(challenge).toBe(`Bearer error="insufficient_scope", resource_metadata="${prm(target)}"`);
    expect(challenge).not.toContain('scope="');
    // The 401 is unchanged: it still names the scope a token needs.
    expect((await fetch(target.mcpUrl, { method: 'POST' })).headers.get('www-authenticate')).toContain(
      'scope="mcp:tools"',
    );
  });

  it("authRequiredFrom 'tools_call_403': the token-less tools/call's 403 has no scope", async () => {
    const target = await started({
      insufficientScopeChallenge: 'without_scope',
      authRequiredFrom: 'tools_call_403',
    });
    const response = await fetch(target.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: MCP_ACCEPT },
      body: JSON.stringify(ADMIN_ECHO),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer error="insufficient_scope", resource_metadata="${prm(target)}"`,
    );
  });

  it('a token without mcp:tools (POST /mcp and the WebSocket upgrade): no scope either', async () => {
    const target = await started({ insufficientScopeChallenge: 'without_scope' });
    const token = await adminOnlyToken(target);
    const refused = await mcpPost(target.mcpUrl, token, INITIALIZE);
    expect(refused.status).toBe(403);
    const challenge = refused.headers.get('www-authenticate')!;
    expect(challenge).toMatch(/^Bearer error="insufficient_scope"/);
    expect(challenge).toContain(`resource_metadata="${prm(target)}"`);
    expect(challenge).not.toContain('scope="');
    const upgrade = await refusedUpgrade(`${target.mcpUrl.replace('http', 'ws')}/ws`, token);
    expect(upgrade).toEqual({
      status: 403,
      challenge: `Bearer error="insufficient_scope", resource_metadata="${prm(target)}"`,
    });
  });

  it('the default names the scope', async () => {
    const target = await started({});
    expect(
      (await mcpPost(target.mcpUrl, await adminOnlyToken(target), INITIALIZE)).headers.get(
        'www-authenticate',
      ),
    ).toContain('scope="mcp:tools"');
  });
});

describe('resolveConfig refuses bad values of the challenge and token variants', () => {
  it.each([
    ['challengeHeader', 'false', /variant\.challengeHeader must be one of true, false, got "false"/],
    [
      'insufficientScopeChallenge',
      'none',
      /variant\.insufficientScopeChallenge must be one of "with_scope", "without_scope", got "none"/,
    ],
    ['refreshRotation', 0, /variant\.refreshRotation must be one of true, false, got 0/],
    ['tokenAudience', 'mcp', /variant\.tokenAudience must be one of "resource", "other", got "mcp"/],
  ])('%s = %j', (field, value, message) => {
    expect(() => resolveConfig({ variant: { [field]: value } as Partial<TargetVariant> })).toThrow(message);
  });

  it('the defaults leave today’s server as it is', () => {
    expect(resolveConfig().variant).toMatchObject({
      challengeHeader: true,
      insufficientScopeChallenge: 'with_scope',
      refreshRotation: true,
      tokenAudience: 'resource',
    });
  });
});
