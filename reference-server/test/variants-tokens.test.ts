import { afterAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import {
  DEFAULT_MACHINE_CLIENT,
  OTHER_TOKEN_AUDIENCE,
  startTarget,
  type RunningTarget,
  type TargetVariant,
} from '../src/index.ts';
import {
  INITIALIZE,
  fullAuthFlow,
  mcpPost,
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

/** initialize + tools/call echo with the token: the MCP endpoint accepts it end to end. */
async function expectMcpAccepts(target: RunningTarget, token: string, text: string) {
  const init = await mcpPost(target.mcpUrl, token, INITIALIZE);
  expect(init.status).toBe(200);
  const headers = {
    'mcp-session-id': init.headers.get('mcp-session-id')!,
    'mcp-protocol-version': MCP_PROTOCOL_VERSION,
  };
  const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text } } };
  const answer = await readJsonRpc(await mcpPost(target.mcpUrl, token, call, headers));
  expect(answer.result).toEqual({ content: [{ type: 'text', text }] });
}

/** A public client (DCR, auth method none) through PKCE: the client and its first tokens. */
async function publicClientTokens(target: RunningTarget) {
  const client = await register(target.issuer, { token_endpoint_auth_method: 'none' });
  expect(client.client_secret).toBeUndefined();
  const { tokens } = await fullAuthFlow(target.issuer, target.mcpUrl, { client });
  expect(tokens.refresh_token).toBeTruthy();
  const refresh = (refreshToken: string) =>
    tokenRequest(target.issuer, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: client.client_id,
    });
  return { tokens, refresh };
}

describe('refreshRotation: false — the refresh token stays the same, also for public clients', () => {
  it('two refreshes with the first refresh token both succeed and return it again; access tokens are new', async () => {
    const target = await started({ refreshRotation: false });
    const { tokens, refresh } = await publicClientTokens(target);
    const first = await refresh(tokens.refresh_token!);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toBe(tokens.refresh_token);
    const second = await refresh(tokens.refresh_token!);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).toBe(tokens.refresh_token);

    const accessTokens = [tokens.access_token, first.body.access_token, second.body.access_token];
    expect(new Set(accessTokens).size).toBe(3);
    await expectMcpAccepts(target, second.body.access_token!, 'refreshed');
  });

  it('the default rotates: a new refresh token each time, the old one refused on its second use', async () => {
    const target = await started({});
    const { tokens, refresh } = await publicClientTokens(target);
    const first = await refresh(tokens.refresh_token!);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toBeTruthy();
    expect(first.body.refresh_token).not.toBe(tokens.refresh_token);
    const reused = await refresh(tokens.refresh_token!);
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
  });
});

describe("tokenAudience: 'other' — access tokens for another resource, still accepted at /mcp", () => {
  it('the PKCE token, its refresh and a client_credentials token carry the other aud; MCP accepts them', async () => {
    const target = await started({ tokenAudience: 'other' });
    expect(OTHER_TOKEN_AUDIENCE).not.toBe(target.mcpUrl);
    const { client, tokens } = await fullAuthFlow(target.issuer, target.mcpUrl);
    expect(decodeJwt(tokens.access_token!)).toMatchObject({ aud: OTHER_TOKEN_AUDIENCE, iss: target.issuer });
    await expectMcpAccepts(target, tokens.access_token!, 'elsewhere');

    const refreshed = await tokenRequest(target.issuer, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      client_id: client.client_id,
    });
    expect(decodeJwt(refreshed.body.access_token!).aud).toBe(OTHER_TOKEN_AUDIENCE);

    const { client_id, client_secret } = DEFAULT_MACHINE_CLIENT;
    const machine = await tokenRequest(
      target.issuer,
      { grant_type: 'client_credentials', resource: target.mcpUrl },
      { authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}` },
    );
    expect(decodeJwt(machine.body.access_token!).aud).toBe(OTHER_TOKEN_AUDIENCE);
    await expectMcpAccepts(target, machine.body.access_token!, 'machine');
  });

  it('the PRM still names the MCP URL as the resource, and a wrong resource is still invalid_target', async () => {
    const target = await started({ tokenAudience: 'other' });
    const prm = await (await fetch(`${target.origin}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(prm.resource).toBe(target.mcpUrl);
    const { client_id, client_secret } = DEFAULT_MACHINE_CLIENT;
    const wrong = await tokenRequest(
      target.issuer,
      { grant_type: 'client_credentials', resource: OTHER_TOKEN_AUDIENCE },
      { authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}` },
    );
    expect(wrong.body.error).toBe('invalid_target');
  });

  it('the default: aud is the MCP URL', async () => {
    const target = await started({});
    const { tokens } = await fullAuthFlow(target.issuer, target.mcpUrl);
    expect(decodeJwt(tokens.access_token!).aud).toBe(target.mcpUrl);
  });
});
