import { afterAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import WebSocket from 'ws';
import { resolveConfig } from '../src/config.ts';
import { startTarget, type RunningTarget, type TargetVariant } from '../src/index.ts';
import {
  INITIALIZE,
  fullAuthFlow,
  mcpPost,
  readJsonRpc,
  MCP_PROTOCOL_VERSION,
} from '../support/oauth-flow.ts';

const targets: RunningTarget[] = [];
afterAll(async () => {
  await Promise.all(targets.map((target) => target.close()));
});

async function started(variant: Partial<TargetVariant>): Promise<RunningTarget> {
  const target = await startTarget({ port: 0, logLevel: 'silent', variant });
  targets.push(target);
  return target;
}

/** The WWW-Authenticate header of a refused WebSocket upgrade (no token sent). */
function upgradeChallenge(url: string): Promise<{ status: number; challenge: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'mcp');
    socket.once('unexpected-response', (_req, response) => {
      resolve({
        status: response.statusCode ?? 0,
        challenge: String(response.headers['www-authenticate'] ?? ''),
      });
      response.resume();
    });
    socket.once('open', () => reject(new Error('upgrade accepted without a token')));
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

describe('challengeResourceMetadata: false — the PRM is found at its well-known URL only', () => {
  it('no 401 challenge names resource_metadata (Streamable HTTP, legacy SSE, WebSocket), error and scope stay', async () => {
    const target = await started({ challengeResourceMetadata: false });
    const challenges = [
      (await fetch(target.mcpUrl, { method: 'POST' })).headers.get('www-authenticate'),
      (await fetch(`${target.origin}/sse`)).headers.get('www-authenticate'),
      (
        await fetch(target.mcpUrl, { method: 'POST', headers: { authorization: 'Bearer garbage' } })
      ).headers.get('www-authenticate'),
    ];
    const ws = await upgradeChallenge(`${target.mcpUrl.replace('http', 'ws')}/ws`);
    expect(ws.status).toBe(401);
    for (const challenge of [...challenges, ws.challenge]) {
      expect(challenge).toMatch(/^Bearer /);
      expect(challenge).toContain('error="invalid_token"');
      expect(challenge).toContain('scope="mcp:tools"');
      expect(challenge).not.toContain('resource_metadata');
    }
    const prm = await fetch(`${target.origin}/.well-known/oauth-protected-resource/mcp`);
    expect(prm.status).toBe(200);
    expect(await prm.json()).toMatchObject({
      resource: target.mcpUrl,
      authorization_servers: [target.issuer],
    });
    expect((await fetch(`${target.origin}/.well-known/oauth-protected-resource`)).status).toBe(200);
  });

  it('the 403 insufficient_scope challenge has no resource_metadata either', async () => {
    const target = await started({ challengeResourceMetadata: false });
    const { tokens } = await fullAuthFlow(target.issuer, target.mcpUrl);
    const token = tokens.access_token!;
    const call = {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'admin_echo', arguments: { text: 'x' } },
    };
    const response = await mcpPost(target.mcpUrl, token, call, await sessionHeaders(target, token));
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", scope="mcp:tools mcp:admin"',
    );
  });

  it('prm root: the PRM is served at the root only, still unnamed by the challenge', async () => {
    const target = await started({ challengeResourceMetadata: false, prm: 'root' });
    const challenge = (await fetch(target.mcpUrl, { method: 'POST' })).headers.get('www-authenticate');
    expect(challenge).not.toContain('resource_metadata');
    expect((await fetch(`${target.origin}/.well-known/oauth-protected-resource`)).status).toBe(200);
    expect((await fetch(`${target.origin}/.well-known/oauth-protected-resource/mcp`)).status).toBe(404);
  });
});

describe("metadataIssuer: 'origin' — AS at /tenant1 whose metadata claims the origin as issuer", () => {
  const DOCUMENTS = [
    '/.well-known/oauth-authorization-server/tenant1',
    '/.well-known/openid-configuration/tenant1',
    '/tenant1/.well-known/openid-configuration',
  ];

  it('every AS metadata document says issuer = origin; PRM, endpoints and tokens keep the real issuer', async () => {
    const target = await started({ issuerPath: '/tenant1', metadataIssuer: 'origin' });
    expect(target.issuer).toBe(`${target.origin}/tenant1`);
    for (const path of DOCUMENTS) {
      const response = await fetch(`${target.origin}${path}`);
      expect(response.status, path).toBe(200);
      const metadata = await response.json();
      expect(metadata.issuer, path).toBe(target.origin);
      expect(metadata).toMatchObject({
        authorization_endpoint: `${target.issuer}/authorize`,
        token_endpoint: `${target.issuer}/token`,
        registration_endpoint: `${target.issuer}/register`,
      });
    }
    const prm = await (await fetch(`${target.origin}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(prm.authorization_servers).toEqual([target.issuer]);

    const { tokens } = await fullAuthFlow(target.issuer, target.mcpUrl);
    expect(decodeJwt(tokens.access_token!)).toMatchObject({ iss: target.issuer, aud: target.mcpUrl });
    const token = tokens.access_token!;
    const call = {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'tenant1' } },
    };
    const answer = await readJsonRpc(
      await mcpPost(target.mcpUrl, token, call, await sessionHeaders(target, token)),
    );
    expect(answer.result).toEqual({ content: [{ type: 'text', text: 'tenant1' }] });
  });

  it('the default keeps the real issuer in the same documents', async () => {
    const target = await started({ issuerPath: '/tenant1' });
    for (const path of DOCUMENTS) {
      expect((await (await fetch(`${target.origin}${path}`)).json()).issuer, path).toBe(target.issuer);
    }
  });
});

describe('resolveConfig refuses bad values of the wild-server variants', () => {
  it("metadataIssuer 'origin' without an issuerPath", () => {
    expect(() => resolveConfig({ variant: { metadataIssuer: 'origin' } })).toThrow(
      /variant\.metadataIssuer "origin" needs a non-empty variant\.issuerPath/,
    );
    expect(resolveConfig({ variant: { metadataIssuer: 'origin', issuerPath: '/t' } }).variant).toMatchObject({
      metadataIssuer: 'origin',
    });
  });

  it.each([
    [
      'challengeResourceMetadata',
      'no',
      /variant\.challengeResourceMetadata must be one of true, false, got "no"/,
    ],
    ['metadataIssuer', 'host', /variant\.metadataIssuer must be one of "issuer", "origin", got "host"/],
    [
      'authRequiredFrom',
      'tools_call',
      /variant\.authRequiredFrom must be one of "initialize", "tools_call_401", "tools_call_403", got "tools_call"/,
    ],
    [
      'registrationAuthMethod',
      'none',
      /variant\.registrationAuthMethod must be one of "as_requested", "client_secret_basic", "client_secret_post", got "none"/,
    ],
    ['streamGet', 405, /variant\.streamGet must be one of "sse", "405", "404", got 405/],
  ])('%s = %j', (field, value, message) => {
    expect(() => resolveConfig({ variant: { [field]: value } as Partial<TargetVariant> })).toThrow(message);
  });

  it('the defaults leave today’s server as it is', () => {
    expect(resolveConfig().variant).toMatchObject({
      challengeResourceMetadata: true,
      metadataIssuer: 'issuer',
      authRequiredFrom: 'initialize',
      registrationAuthMethod: 'as_requested',
      streamGet: 'sse',
    });
  });
});
