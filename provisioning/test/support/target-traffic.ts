/**
 * Real traffic against the real reference target, so its /metrics carries every series the
 * Target resources dashboard reads: a client_credentials token (authorization server + Redis),
 * an MCP session (initialize) and an open Streamable HTTP stream (held until `close`).
 */
import { MCP_CLIENT_PROTOCOL_VERSION as PROTOCOL_VERSION } from '@vigil/scenarios/catalog';
import { DEFAULT_MACHINE_CLIENT, type RunningTarget } from '@vigil/reference-server';

async function json<T>(response: Response, what: string): Promise<T> {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function clientCredentialsToken(target: RunningTarget): Promise<string> {
  const prm = await json<{ authorization_servers: string[] }>(
    await fetch(`${target.origin}/.well-known/oauth-protected-resource/mcp`),
    'protected resource metadata',
  );
  const issuer = new URL(prm.authorization_servers[0]!);
  const issuerPath = issuer.pathname === '/' ? '' : issuer.pathname;
  const metadata = await json<{ token_endpoint: string }>(
    await fetch(`${issuer.origin}/.well-known/oauth-authorization-server${issuerPath}`),
    'authorization server metadata',
  );
  const basic = Buffer.from(
    `${DEFAULT_MACHINE_CLIENT.client_id}:${DEFAULT_MACHINE_CLIENT.client_secret}`,
  ).toString('base64');
  const token = await json<{ access_token: string }>(
    await fetch(metadata.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: target.mcpUrl }),
    }),
    'client_credentials token',
  );
  return token.access_token;
}

/** Opens an MCP session and a held stream; `close()` ends the stream. */
export async function driveTarget(target: RunningTarget): Promise<{ close(): void }> {
  const accessToken = await clientCredentialsToken(target);
  const headers = { authorization: `Bearer ${accessToken}`, accept: 'application/json, text/event-stream' };
  const initialize = await fetch(target.mcpUrl, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'vigil-provisioning-test', version: '0' },
      },
    }),
  });
  const sessionId = initialize.headers.get('mcp-session-id');
  await initialize.text();
  if (!initialize.ok || !sessionId) throw new Error(`initialize: ${initialize.status}, session ${sessionId}`);
  const aborter = new AbortController();
  const stream = await fetch(target.mcpUrl, {
    headers: {
      ...headers,
      accept: 'text/event-stream',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': PROTOCOL_VERSION,
    },
    signal: aborter.signal,
  });
  if (!stream.ok) throw new Error(`stream: ${stream.status}`);
  // A readiness check every 250 ms (as an orchestrator would) pings Redis, so session-store
  // operations keep happening between scrapes and their rate() is not zero.
  const readiness = setInterval(() => {
    fetch(`${target.origin}/readyz`).then(
      (r) => r.text(),
      () => undefined,
    );
  }, 250);
  return {
    close: () => {
      clearInterval(readiness);
      aborter.abort();
    },
  };
}
