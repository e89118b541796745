import { afterAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { startTarget, type RunningTarget, type TargetVariant } from '../src/index.ts';
import {
  INITIALIZE,
  fullAuthFlow,
  mcpPost,
  readJsonRpc,
  tokenRequest,
  MCP_PROTOCOL_VERSION,
} from '../support/oauth-flow.ts';

/** The path-aware discovery URLs of an issuer at `<origin>/auth` (RFC 8414 §3.1, OpenID both ways). */
const DISCOVERY_PATHS = {
  oauth: '/.well-known/oauth-authorization-server/auth',
  openidInserted: '/.well-known/openid-configuration/auth',
  openidAppended: '/auth/.well-known/openid-configuration',
};

const targets: RunningTarget[] = [];
afterAll(async () => {
  await Promise.all(targets.map((target) => target.close()));
});

async function started(variant: Partial<TargetVariant>): Promise<RunningTarget> {
  const target = await startTarget({ port: 0, logLevel: 'silent', variant });
  targets.push(target);
  return target;
}

/** Every URL the document names except the issuer (an identifier, not an endpoint). */
function advertisedEndpoints(metadata: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(metadata).filter(
    (entry): entry is [string, string] =>
      entry[0] !== 'issuer' && typeof entry[1] === 'string' && /^https?:/.test(entry[1]),
  );
}

/**
 * The status an endpoint gives to GET or, when GET is not routed there, to an empty POST: the
 * provider's router answers 404 to a method an endpoint does not take, so only a 404 to both
 * means "not served here".
 */
async function answerStatus(url: string): Promise<number> {
  const get = await fetch(url, { redirect: 'manual' });
  await get.body?.cancel();
  if (get.status !== 404) return get.status;
  const post = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
  });
  await post.body?.cancel();
  return post.status;
}

async function callEcho(target: RunningTarget, accessToken: string) {
  const init = await mcpPost(target.mcpUrl, accessToken, INITIALIZE);
  expect(init.status).toBe(200);
  const sessionId = init.headers.get('mcp-session-id')!;
  const call = await mcpPost(
    target.mcpUrl,
    accessToken,
    {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'under /auth' } },
    },
    { 'mcp-session-id': sessionId, 'mcp-protocol-version': MCP_PROTOCOL_VERSION },
  );
  return (await readJsonRpc(call)).result;
}

describe('an issuer with a path (/auth)', () => {
  it('serves every metadata document at its path-aware URL, naming endpoints under the issuer path that all answer', async () => {
    const target = await started({ issuerPath: '/auth' });
    for (const path of Object.values(DISCOVERY_PATHS)) {
      const response = await fetch(`${target.origin}${path}`);
      expect(response.status, path).toBe(200);
      const metadata = (await response.json()) as Record<string, unknown>;
      expect(metadata.issuer).toBe(target.issuer);
      expect(metadata).toMatchObject({
        authorization_endpoint: `${target.issuer}/authorize`,
        token_endpoint: `${target.issuer}/token`,
        registration_endpoint: `${target.issuer}/register`,
      });
      const endpoints = advertisedEndpoints(metadata);
      expect(endpoints.length).toBeGreaterThanOrEqual(6);
      for (const [name, url] of endpoints) {
        expect(url.startsWith(`${target.issuer}/`), `${path} ${name} ${url}`).toBe(true);
        expect(await answerStatus(url), `${path} ${name} ${url}`).not.toBe(404);
      }
    }
  });

  it('asMetadata chooses which of the path-aware documents exist', async () => {
    const statuses = async (target: RunningTarget) =>
      Object.fromEntries(
        await Promise.all(
          Object.entries(DISCOVERY_PATHS).map(async ([name, path]) => [
            name,
            (await fetch(`${target.origin}${path}`)).status,
          ]),
        ),
      );
    expect(await statuses(await started({ issuerPath: '/auth', asMetadata: 'oauth' }))).toEqual({
      oauth: 200,
      openidInserted: 404,
      openidAppended: 404,
    });
    expect(await statuses(await started({ issuerPath: '/auth', asMetadata: 'openid' }))).toEqual({
      oauth: 404,
      openidInserted: 200,
      openidAppended: 200,
    });
  });

  it('the full PKCE flow through the advertised endpoints gives a token the MCP endpoint accepts', async () => {
    const target = await started({ issuerPath: '/auth', asMetadata: 'oauth' });
    const metadata = await (await fetch(`${target.origin}${DISCOVERY_PATHS.oauth}`)).json();
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    // fullAuthFlow calls <base>/register, /authorize, /token: with the issuer as base, exactly the advertised ones.
    expect([
      metadata.registration_endpoint,
      metadata.authorization_endpoint,
      metadata.token_endpoint,
    ]).toEqual(['/register', '/authorize', '/token'].map((path) => `${target.issuer}${path}`));
    const { client, tokens } = await fullAuthFlow(target.issuer, target.mcpUrl);
    expect(decodeJwt(tokens.access_token!)).toMatchObject({ iss: target.issuer, aud: target.mcpUrl });
    expect(await callEcho(target, tokens.access_token!)).toEqual({
      content: [{ type: 'text', text: 'under /auth' }],
    });
    const refreshed = await tokenRequest(target.issuer, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      client_id: client.client_id,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).toBeTruthy();
  });

  it('is not served at the origin without a reason to: /authorize and /token there are 404', async () => {
    const target = await started({ issuerPath: '/auth' });
    expect(await answerStatus(`${target.origin}/authorize`)).toBe(404);
    expect(await answerStatus(`${target.origin}/token`)).toBe(404);
  });
});

describe('a 2025-03-26 server (no PRM) with an issuer path and no metadata at the origin', () => {
  it('answers the fixed /authorize, /token, /register on the origin: a client without metadata completes the flow', async () => {
    const target = await started({ prm: 'none', asMetadata: 'openid', issuerPath: '/auth' });
    expect((await fetch(`${target.origin}/.well-known/oauth-authorization-server`)).status).toBe(404);
    const { tokens } = await fullAuthFlow(target.origin, target.mcpUrl);
    expect(decodeJwt(tokens.access_token!)).toMatchObject({ iss: target.issuer, aud: target.mcpUrl });
    expect(await callEcho(target, tokens.access_token!)).toEqual({
      content: [{ type: 'text', text: 'under /auth' }],
    });
  });
});
