import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import {
  LoggingMessageNotificationSchema,
  type LoggingMessageNotification,
} from '@modelcontextprotocol/sdk/types.js';
import type { RunningTarget } from '../src/index.ts';
import { REDIRECT_URI, followAuthorization } from '../support/oauth-flow.ts';
import { leakedSecrets, startCapturedTarget } from './support/captured-server.ts';

const USER = { username: 'sdk-user', password: 'sdk-user-password' };

/**
 * An independent client: the MCP SDK's own OAuth machinery (discovery, DCR, PKCE, token exchange,
 * refresh). Only the browser is played here: the authorization URL is followed with fetch.
 */
class HeadlessOAuthProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  savedTokens?: OAuthTokens;
  tokenHistory: OAuthTokens[] = [];
  verifier = '';
  authorizationCode?: Promise<string>;

  get redirectUrl() {
    return REDIRECT_URI;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'vigil sdk test',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.savedTokens;
  }
  saveTokens(tokens: OAuthTokens) {
    this.savedTokens = tokens;
    this.tokenHistory.push(tokens);
  }
  redirectToAuthorization(url: URL) {
    this.authorizationCode = followAuthorization(url, USER).then((redirect) => {
      const code = redirect.searchParams.get('code');
      if (!code) throw new Error(`authorization failed: ${redirect.searchParams.get('error')}`);
      return code;
    });
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

async function connect(target: RunningTarget, provider: HeadlessOAuthProvider): Promise<Client> {
  const client = new Client({ name: 'vigil-sdk-test', version: '0' });
  const transport = new StreamableHTTPClientTransport(new URL(target.mcpUrl), { authProvider: provider });
  try {
    await client.connect(transport);
    return client;
  } catch (error) {
    if (!(error instanceof UnauthorizedError) || !provider.authorizationCode) throw error;
  }
  await transport.finishAuth(await provider.authorizationCode);
  const retry = new Client({ name: 'vigil-sdk-test', version: '0' });
  await retry.connect(new StreamableHTTPClientTransport(new URL(target.mcpUrl), { authProvider: provider }));
  return retry;
}

describe('the MCP SDK client with its OAuth provider', () => {
  let target: RunningTarget;
  let logs: () => string;

  beforeAll(async () => {
    ({ target, logs } = await startCapturedTarget({
      loginMode: true,
      users: [USER],
      accessTokenTtlSeconds: 2,
    }));
  });
  afterAll(async () => {
    await target?.close();
  });

  it('discovers, registers, logs in, calls tools, refreshes an expired token by itself and ends the session', async () => {
    const provider = new HeadlessOAuthProvider();
    const client = await connect(target, provider);
    expect(provider.client?.client_id).toBeTruthy();
    expect(provider.savedTokens?.refresh_token).toBeTruthy();

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('simulate_upstream');
    const echoed = await client.callTool({ name: 'echo', arguments: { text: 'from the sdk' } });
    expect(echoed.content).toEqual([{ type: 'text', text: 'from the sdk' }]);
    const health = await client.callTool({ name: 'health', arguments: {} });
    expect(health.structuredContent).toMatchObject({ status: 'ok' });

    await new Promise((resolve) => setTimeout(resolve, 3_000)); // access token TTL is 2 s
    const afterExpiry = await client.callTool({ name: 'echo', arguments: { text: 'still here' } });
    expect(afterExpiry.content).toEqual([{ type: 'text', text: 'still here' }]);
    expect(provider.tokenHistory.length).toBe(2);
    expect(provider.tokenHistory[1]!.refresh_token).not.toBe(provider.tokenHistory[0]!.refresh_token);

    await (client.transport as StreamableHTTPClientTransport).terminateSession();
    await client.close();

    const secrets = provider.tokenHistory.flatMap((tokens) => [tokens.access_token, tokens.refresh_token]);
    expect(leakedSecrets(logs(), [...secrets, provider.verifier, USER.password])).toEqual([]);
  });

  it('receives the log notifications of simulate_upstream through its notification handler', async () => {
    const provider = new HeadlessOAuthProvider();
    const client = await connect(target, provider);
    expect(client.getServerCapabilities()?.logging).toEqual({});
    const received: Array<LoggingMessageNotification['params']> = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      received.push(notification.params);
    });
    await client.setLoggingLevel('info');

    const result = await client.callTool({
      name: 'simulate_upstream',
      arguments: { medianMs: 20, p99Ms: 20, errorRate: 0 },
    });
    expect(result.isError).toBeFalsy();
    expect(received.length).toBeGreaterThanOrEqual(2);
    for (const log of received) expect(log).toMatchObject({ level: 'info', logger: 'simulate_upstream' });
    const token = provider.savedTokens!.access_token;
    expect(received.map((log) => JSON.stringify(log)).join('')).not.toContain(token);

    await (client.transport as StreamableHTTPClientTransport).terminateSession();
    await client.close();
  });
});
