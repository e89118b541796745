import { afterAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { startTarget, type RunningTarget, type TargetVariant } from '../src/index.ts';
import {
  INITIALIZE,
  MCP_ACCEPT,
  REDIRECT_URI,
  authorize,
  mcpPost,
  pkcePair,
  readJsonRpc,
  register,
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

/** A public-client registration (token_endpoint_auth_method none), then a PKCE authorization: the code and verifier. */
async function registerAndAuthorize(target: RunningTarget) {
  const client = await register(target.issuer, { token_endpoint_auth_method: 'none' });
  const { verifier, challenge } = pkcePair();
  const redirect = await authorize({
    issuer: target.issuer,
    clientId: client.client_id,
    resource: target.mcpUrl,
    challenge,
  });
  const code = redirect.searchParams.get('code');
  expect(code).toBeTruthy();
  const exchange = {
    grant_type: 'authorization_code',
    code: code!,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
    resource: target.mcpUrl,
  };
  return { client, exchange };
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

async function expectMcpAccepts(target: RunningTarget, token: string) {
  const init = await mcpPost(target.mcpUrl, token, INITIALIZE);
  expect(init.status).toBe(200);
  expect((await readJsonRpc(init)).result).toMatchObject({ serverInfo: { name: 'vigil-reference-server' } });
}

describe('registrationAuthMethod — DCR always makes a confidential client', () => {
  it('client_secret_basic: a "none" request gets a secret and basic; the code exchange needs basic', async () => {
    const target = await started({ registrationAuthMethod: 'client_secret_basic' });
    const { client, exchange } = await registerAndAuthorize(target);
    expect(client).toMatchObject({ token_endpoint_auth_method: 'client_secret_basic' });
    expect(client.client_secret).toEqual(expect.any(String));

    const asPublic = await tokenRequest(target.issuer, { ...exchange, client_id: client.client_id });
    expect(asPublic.status).toBe(401);
    expect(asPublic.body.error).toBe('invalid_client');
    // oidc-provider alone would take the secret in the body too: the variant holds the client to basic.
    const asPost = await tokenRequest(target.issuer, {
      ...exchange,
      client_id: client.client_id,
      client_secret: client.client_secret!,
    });
    expect(asPost.status).toBe(401);
    expect(asPost.body.error).toBe('invalid_client');

    const asBasic = await tokenRequest(target.issuer, exchange, {
      authorization: basic(client.client_id, client.client_secret!),
    });
    expect(asBasic.status).toBe(200);
    expect(decodeJwt(asBasic.body.access_token!)).toMatchObject({
      client_id: client.client_id,
      aud: target.mcpUrl,
    });
    await expectMcpAccepts(target, asBasic.body.access_token!);
  });

  it('client_secret_post: a "none" request gets a secret and post; the code exchange needs the secret in the body', async () => {
    const target = await started({ registrationAuthMethod: 'client_secret_post' });
    const { client, exchange } = await registerAndAuthorize(target);
    expect(client).toMatchObject({ token_endpoint_auth_method: 'client_secret_post' });
    expect(client.client_secret).toEqual(expect.any(String));

    const asPublic = await tokenRequest(target.issuer, { ...exchange, client_id: client.client_id });
    expect(asPublic.status).toBe(401);
    expect(asPublic.body.error).toBe('invalid_client');
    const asBasic = await tokenRequest(target.issuer, exchange, {
      authorization: basic(client.client_id, client.client_secret!),
    });
    expect(asBasic.body.error).toBe('invalid_client');

    const asPost = await tokenRequest(target.issuer, {
      ...exchange,
      client_id: client.client_id,
      client_secret: client.client_secret!,
    });
    expect(asPost.status).toBe(200);
    await expectMcpAccepts(target, asPost.body.access_token!);
  });

  it('a request naming another confidential method is overridden too', async () => {
    const target = await started({ registrationAuthMethod: 'client_secret_post' });
    const client = await register(target.issuer, { token_endpoint_auth_method: 'client_secret_basic' });
    expect(client).toMatchObject({ token_endpoint_auth_method: 'client_secret_post' });
  });

  it('as_requested (the default) keeps a public client public', async () => {
    const target = await started({});
    const client = await register(target.issuer, { token_endpoint_auth_method: 'none' });
    expect(client).toMatchObject({ token_endpoint_auth_method: 'none' });
    expect(client.client_secret).toBeUndefined();
  });
});

describe('streamGet — what GET /mcp answers', () => {
  async function sessionOf(variant: Partial<TargetVariant>) {
    const target = await started(variant);
    const { client, exchange } = await registerAndAuthorize(target);
    const tokens = await tokenRequest(target.issuer, { ...exchange, client_id: client.client_id });
    const token = tokens.body.access_token!;
    const init = await mcpPost(target.mcpUrl, token, INITIALIZE);
    const headers = {
      'mcp-session-id': init.headers.get('mcp-session-id')!,
      'mcp-protocol-version': MCP_PROTOCOL_VERSION,
    };
    const get = () =>
      fetch(target.mcpUrl, { headers: { authorization: `Bearer ${token}`, accept: MCP_ACCEPT, ...headers } });
    const call = async (text: string) =>
      readJsonRpc(
        await mcpPost(
          target.mcpUrl,
          token,
          { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text } } },
          headers,
        ),
      );
    const remove = () =>
      fetch(target.mcpUrl, { method: 'DELETE', headers: { authorization: `Bearer ${token}`, ...headers } });
    return { get, call, remove };
  }

  it("'405': no stream offered, Allow names POST and DELETE; POST and DELETE work", async () => {
    const session = await sessionOf({ streamGet: '405' });
    const get = await session.get();
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, DELETE');
    expect((await session.call('still here')).result).toEqual({
      content: [{ type: 'text', text: 'still here' }],
    });
    expect((await session.remove()).status).toBe(200);
  });

  it("'404': GET is a 404 although the session lives; POST works", async () => {
    const session = await sessionOf({ streamGet: '404' });
    expect((await session.get()).status).toBe(404);
    expect((await session.call('alive')).result).toEqual({ content: [{ type: 'text', text: 'alive' }] });
    expect((await session.remove()).status).toBe(200);
  });
});
