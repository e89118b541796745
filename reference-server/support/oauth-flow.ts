import { createHash, randomBytes } from 'node:crypto';

/** Test/bench client for the target's OAuth flow over plain fetch (no SDK), with a tiny cookie jar. */

export const REDIRECT_URI = 'http://127.0.0.1:8976/callback';

export function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

/** Cookies by name; paths ignored (every cookie the AS sets is for the same origin). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      if (value) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
}

export async function register(
  issuer: string,
  overrides: Record<string, unknown> = {},
): Promise<RegisteredClient> {
  const response = await fetch(`${issuer}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'vigil-test',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...overrides,
    }),
  });
  if (response.status !== 201)
    throw new Error(`registration failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as RegisteredClient;
}

export interface AuthorizeOptions {
  issuer: string;
  clientId: string;
  resource: string;
  scope?: string;
  challenge: string;
  challengeMethod?: string;
  login?: { username: string; password: string };
  state?: string;
}

/**
 * Follows the authorization redirects (authorize → interaction → resume → redirect_uri), posting
 * the login form when one is shown. Returns the final redirect URL (with code or error).
 */
export async function authorize(options: AuthorizeOptions): Promise<URL> {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: REDIRECT_URI,
    code_challenge: options.challenge,
    code_challenge_method: options.challengeMethod ?? 'S256',
    resource: options.resource,
    state: options.state ?? randomBytes(8).toString('hex'),
  });
  if (options.scope) query.set('scope', options.scope);
  if (!options.challenge) query.delete('code_challenge');
  return followAuthorization(new URL(`${options.issuer}/authorize?${query}`), options.login);
}

/** Plays the browser: follows redirects with cookies and fills the login form if one shows up. */
export async function followAuthorization(
  start: URL,
  login?: { username: string; password: string },
  redirectUri = REDIRECT_URI,
): Promise<URL> {
  const jar = new CookieJar();
  let url = start;
  for (let hop = 0; hop < 10; hop++) {
    if (url.href.startsWith(redirectUri)) return url;
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.store(response);
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url);
      continue;
    }
    const body = await response.text();
    const form = /<form method="post" action="([^"]+)"/.exec(body);
    if (!form || !login)
      throw new Error(`authorization stopped at ${url.pathname}: ${response.status} ${body.slice(0, 300)}`);
    const posted = await fetch(new URL(form[1]!.replace(/&#47;/g, '/'), url), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(login),
    });
    jar.store(posted);
    const next = posted.headers.get('location');
    if (!next) throw new Error(`login failed: ${posted.status}`);
    url = new URL(next, url);
  }
  throw new Error('too many redirects');
}

export interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

export async function tokenRequest(
  issuer: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as TokenResponse };
}

/** Registration + authorization + code exchange: the whole "auth flow" of the SLO table. */
export async function fullAuthFlow(
  issuer: string,
  resource: string,
  options: { login?: AuthorizeOptions['login']; scope?: string; client?: RegisteredClient } = {},
) {
  const client = options.client ?? (await register(issuer));
  const { verifier, challenge } = pkcePair();
  const redirect = await authorize({
    issuer,
    clientId: client.client_id,
    resource,
    challenge,
    login: options.login,
    scope: options.scope,
  });
  const code = redirect.searchParams.get('code');
  if (!code)
    throw new Error(
      `no code: ${redirect.searchParams.get('error')} ${redirect.searchParams.get('error_description')}`,
    );
  const token = await tokenRequest(issuer, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
    client_id: client.client_id,
    resource,
  });
  if (token.status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(token.body)}`);
  return { client, tokens: token.body, code, verifier };
}

export const MCP_ACCEPT = 'application/json, text/event-stream';

/** Every JSON-RPC message of an SSE answer, in the order the server sent them. */
export function sseMessages(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim())
    .filter(Boolean)
    .map((data) => JSON.parse(data) as Record<string, unknown>);
}

/** Reads a JSON-RPC answer that came as JSON or as an SSE stream (its last message). */
export async function readJsonRpc(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  if ((response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    return sseMessages(text).at(-1) ?? {};
  }
  return JSON.parse(text);
}

export function mcpPost(mcpUrl: string, token: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: MCP_ACCEPT,
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The MCP protocol version the tests speak (initialize and the `mcp-protocol-version` header). */
export const MCP_PROTOCOL_VERSION = '2025-06-18';

export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: MCP_PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: 'vigil-test', version: '0' },
  },
};
