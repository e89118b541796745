/**
 * "Real servers vary" (issue 3 item 4): the probe against each variant of the reference target
 * gives a clear per-step result — success where the spec allows the variation, a classified
 * failure where it does not — never a crash.
 */
import { generateKeyPairSync } from 'node:crypto';
import { startRedis, type Service } from '@vigil/testkit';
import type { TargetOptions } from '@vigil/reference-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNoPkceServer } from './support/no-pkce-server.ts';
import { compliance, findingCodes, probeOk, step } from './support/probe-assertions.ts';
import {
  expectNoSecrets,
  failedChecks,
  runScript,
  type Stack,
  withStackAt,
  TEST_TIMEOUT_MS,
} from './support/harness.ts';

const REDIRECT_URI = 'http://127.0.0.1:8976/callback';
let redis: Service;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const withStack = <T>(options: TargetOptions, run: (stack: Stack) => Promise<T>): Promise<T> =>
  withStackAt(redis.url as string, options, run);

function paths(stack: Stack, method?: string): string[] {
  return stack.proxy.exchanges
    .filter((e) => !method || e.method === method)
    .map((e) => e.path.split('?')[0] as string);
}

/** The path of an endpoint the AS metadata (as the probe fetched it) names. */
function endpointPath(
  stack: Stack,
  key: 'authorization_endpoint' | 'token_endpoint' | 'registration_endpoint',
): string {
  for (const e of stack.proxy.exchanges) {
    if (e.status !== 200 || !e.path.includes('/.well-known/o') || e.path.includes('protected-resource'))
      continue;
    const value = (JSON.parse(e.responseBody) as Record<string, unknown>)[key];
    if (typeof value === 'string') return new URL(value).pathname;
  }
  throw new Error(`no AS metadata with ${key} went through the proxy`);
}

function requestsTo(stack: Stack, method: string, key: Parameters<typeof endpointPath>[1]) {
  const path = endpointPath(stack, key);
  return stack.proxy.exchanges.filter((e) => e.method === method && e.path.split('?')[0] === path);
}

describe('discovery variants', { timeout: TEST_TIMEOUT_MS }, () => {
  it('PRM at the root only', () =>
    withStack({ variant: { prm: 'root' } }, async (stack) => {
      const { summary } = await probeOk(stack);
      expect(compliance(summary.probe)['401 carries resource_metadata']).toBe(true);
      expect(paths(stack)).toContain('/.well-known/oauth-protected-resource');
    }));

  it('PRM at a custom URL named in WWW-Authenticate', () =>
    withStack({ variant: { prm: 'custom' } }, async (stack) => {
      await probeOk(stack);
      expect(paths(stack).some((p) => p.startsWith('/.well-known/oauth-protected-resource'))).toBe(false);
    }));

  it('OpenID discovery only, with an issuer that carries a path', () =>
    withStack({ variant: { asMetadata: 'openid', issuerPath: '/auth' } }, async (stack) => {
      const { summary } = await probeOk(stack);
      expect(step(summary.probe, 'discovery')?.detail).toContain('openid');
      // The spec's order: RFC 8414 path-inserted (404 here), then OpenID path-inserted.
      const tried = paths(stack, 'GET').filter(
        (p) => p.includes('/.well-known/o') && !p.includes('protected-resource'),
      );
      expect(tried.slice(0, 2)).toEqual([
        '/.well-known/oauth-authorization-server/auth',
        '/.well-known/openid-configuration/auth',
      ]);
      // The walk used the endpoints the metadata names, under the issuer path.
      expect(endpointPath(stack, 'registration_endpoint')).toBe('/auth/register');
      expect(requestsTo(stack, 'POST', 'registration_endpoint').map((e) => e.status)).toEqual([201]);
      expect(requestsTo(stack, 'GET', 'authorization_endpoint').length).toBeGreaterThan(0);
      expect(requestsTo(stack, 'POST', 'token_endpoint').map((e) => e.status)).toContain(200);
    }));

  it('a 2025-03-26 server without PRM: AS metadata at the MCP origin', () =>
    withStack({ variant: { prm: 'none' } }, async (stack) => {
      const { summary } = await probeOk(stack);
      expect(step(summary.probe, 'discovery')?.detail).toContain('2025-03-26');
      expect(compliance(summary.probe)).not.toHaveProperty('401 carries resource_metadata');
      expect(findingCodes(summary.probe)).toEqual(['PRM_MISSING']);
    }));

  it('a 2025-03-26 server without any metadata: the fixed /authorize, /token, /register on the origin', () =>
    withStack({ variant: { prm: 'none', asMetadata: 'openid', issuerPath: '/auth' } }, async (stack) => {
      const { summary } = await probeOk(stack);
      expect(step(summary.probe, 'discovery')?.detail).toContain('fixed_endpoints');
      expect(findingCodes(summary.probe)).toEqual(['PRM_MISSING', 'AS_METADATA_MISSING']);
      // Registration, authorization and token exchange at the fixed paths on the MCP server's origin.
      expect(paths(stack, 'POST')).toEqual(expect.arrayContaining(['/register', '/token']));
      expect(paths(stack, 'GET')).toContain('/authorize');
      expect(
        stack.proxy.exchanges
          .filter((e) => e.method === 'POST' && e.path === '/register')
          .map((e) => e.status),
      ).toEqual([201]);
    }));

  it('an authorization server that does not advertise S256: refused before any authorization request', async () => {
    const server = await startNoPkceServer();
    try {
      const { result, summary } = await runScript(server, 'probe');
      expect(result.exitCode).toBe(99);
      expect(step(summary.probe, 'discovery')).toMatchObject({ ok: false, reason: 'pkce_unsupported' });
      expect(compliance(summary.probe)['S256 advertised']).toBe(false);
      expect(server.paths.some((p) => p.includes('/authorize') || p.includes('/register'))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('a PRM whose resource does not match: stops at discovery and sends no token', () =>
    withStack({ variant: { prmResource: 'https://elsewhere.example/mcp' } }, async (stack) => {
      const { result, summary } = await runScript(stack, 'probe');
      expect(result.exitCode).toBe(99);
      expect(summary.probe?.failedStep).toBe('discovery');
      expect(step(summary.probe, 'discovery')?.reason).toBe('resource_mismatch');
      const toMcp = stack.proxy.exchanges.filter((e) => e.path.startsWith('/mcp'));
      expect(toMcp.length).toBeGreaterThan(0);
      expect(toMcp.every((e) => e.requestHeaders.authorization === undefined)).toBe(true);
      expect(stack.proxy.exchanges.some((e) => e.method === 'POST' && !e.path.startsWith('/mcp'))).toBe(
        false,
      );
      expect(result.requests.filter((r) => r.url.startsWith(stack.mcpUrl)).map((r) => r.tags.name)).toEqual([
        'POST {mcp} (no token)',
      ]);
    }));
});

describe('server behaviour variants', { timeout: TEST_TIMEOUT_MS }, () => {
  it('no refresh token: the refresh step is skipped, not failed', () =>
    withStack({ variant: { refreshTokens: false } }, async (stack) => {
      const { summary } = await probeOk(stack);
      expect(step(summary.probe, 'refresh')).toMatchObject({ ok: true, skipped: true });
      expect(step(summary.probe, 'refresh')?.detail).toContain('no refresh token');
    }));

  it('plain JSON answers instead of SSE', () =>
    withStack({ variant: { responseMode: 'json' } }, async (stack) => void (await probeOk(stack))));

  it('a stateless server without Mcp-Session-Id', () =>
    withStack({ variant: { stateless: true } }, async (stack) => {
      const { summary } = await probeOk(stack);
      expect(step(summary.probe, 'session_end')).toMatchObject({ ok: true, skipped: true });
      // Without a session there is no GET stream on the MCP endpoint: the legacy SSE endpoint is held.
      expect(step(summary.probe, 'stream')?.detail).toMatch(/held .*legacy_sse/);
    }));

  it('a server that refuses WebSocket: a clear stream result, the SSE stream still held', () =>
    withStack({ variant: { websocket: false } }, async (stack) => {
      const { summary } = await probeOk(stack);
      expect(step(summary.probe, 'stream')).toMatchObject({ ok: true, skipped: true });
      expect(step(summary.probe, 'stream')?.detail).toMatch(/websocket refused.*held streamable_http/);
    }));

  it('403 insufficient_scope: steps up to the wider scope and retries', () =>
    withStack({}, async (stack) => {
      const { summary } = await probeOk(stack, {
        SCOPE: 'mcp:tools',
        PROBE_TOOL: 'admin_echo',
        PROBE_TOOL_ARGS: '{"text":"hi"}',
      });
      expect(compliance(summary.probe)['403 carries insufficient_scope with scope']).toBe(true);
      const authorizations = requestsTo(stack, 'GET', 'authorization_endpoint');
      expect(authorizations.length).toBe(2);
      expect(authorizations[0]?.path).not.toContain('mcp%3Aadmin');
      expect(authorizations[1]?.path).toContain('mcp%3Aadmin');
    }));

  it('a login page: the form is filled from LOGIN_USER / LOGIN_PASSWORD (k6/secrets)', () =>
    withStack(
      { loginMode: true, users: [{ username: 'alice', password: 'correct-horse-battery' }] },
      async (stack) => {
        const { result } = await probeOk(
          stack,
          { LOGIN_USER: 'alice' },
          { LOGIN_PASSWORD: 'correct-horse-battery' },
        );
        expectNoSecrets(stack, result, ['correct-horse-battery']);
      },
    ));

  it('a login page without credentials: authorization fails with login_failed', () =>
    withStack({ loginMode: true }, async (stack) => {
      const { result, summary } = await runScript(stack, 'probe');
      expect(result.exitCode).toBe(99);
      expect(step(summary.probe, 'authorization')).toMatchObject({ ok: false, reason: 'login_failed' });
    }));
});

describe('client variants', { timeout: TEST_TIMEOUT_MS }, () => {
  const confidential = (method: 'client_secret_basic' | 'client_secret_post') => ({
    client_id: `conf-${method}`,
    client_secret: `secret-for-${method}-0123456789`,
    token_endpoint_auth_method: method,
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  });

  for (const method of ['client_secret_basic', 'client_secret_post'] as const) {
    it(`a pre-registered confidential client (${method})`, () =>
      withStack({ clients: [confidential(method)] }, async (stack) => {
        const client = confidential(method);
        const { result, summary } = await probeOk(stack, {
          CLIENT_ID: client.client_id,
          CLIENT_SECRET: client.client_secret,
          TOKEN_AUTH: method,
        });
        expect(step(summary.probe, 'registration')?.detail).toContain('pre-registered');
        expect(requestsTo(stack, 'POST', 'registration_endpoint')).toEqual([]);
        const tokenCalls = requestsTo(stack, 'POST', 'token_endpoint');
        expect(tokenCalls.length).toBeGreaterThan(1);
        const basic = tokenCalls.every((e) =>
          String(e.requestHeaders.authorization ?? '').startsWith('Basic '),
        );
        const posted = tokenCalls.every((e) => e.requestBody.includes('client_secret='));
        expect(method === 'client_secret_basic' ? basic : posted).toBe(true);
        expectNoSecrets(stack, result, [client.client_secret]);
      }));
  }

  it('client_credentials with a client secret (machine probe)', () =>
    withStack({}, async (stack) => {
      const secret = 'vigil-probe-secret-change-me';
      const { result, summary } = await probeOk(
        stack,
        { GRANT: 'client_credentials', CLIENT_ID: 'vigil-probe' },
        { CLIENT_SECRET: secret },
      );
      expect(step(summary.probe, 'authorization')).toMatchObject({ skipped: true });
      expect(step(summary.probe, 'refresh')).toMatchObject({ skipped: true });
      expect(step(summary.probe, 'tools_call')?.ok).toBe(true);
      expectNoSecrets(stack, result, [secret]);
    }));

  it('client_credentials with private_key_jwt (RFC 7523, signed with WebCrypto)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'probe-key', alg: 'ES256', use: 'sig' };
    const machine = {
      client_id: 'jwt-probe',
      token_endpoint_auth_method: 'private_key_jwt' as const,
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [jwk] },
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
    };
    await withStack({ clients: [machine] }, async (stack) => {
      const { result, summary } = await probeOk(
        stack,
        { GRANT: 'client_credentials', CLIENT_ID: 'jwt-probe', CLIENT_KEY_ALG: 'ES256' },
        { CLIENT_PRIVATE_KEY: pem },
      );
      expect(step(summary.probe, 'registration')?.detail).toContain('private_key_jwt');
      const [tokenCall] = requestsTo(stack, 'POST', 'token_endpoint');
      expect(tokenCall?.requestBody).toContain('client_assertion_type=urn');
      const keyBody = pem.split('\n')[1] as string;
      expectNoSecrets(stack, result, [keyBody]);
    });
  });

  it('Client ID Metadata Documents: the metadata URL is the client_id, no dynamic registration', () =>
    withStack({ variant: { clientIdMetadataDocuments: true } }, async (stack) => {
      const metadataUrl = 'https://client.example/vigil.json';
      const { summary } = await runScript(stack, 'probe', { CLIENT_METADATA_URL: metadataUrl });
      expect(step(summary.probe, 'registration')).toMatchObject({ ok: true });
      expect(step(summary.probe, 'registration')?.detail).toContain('client ID metadata document');
      expect(requestsTo(stack, 'POST', 'registration_endpoint')).toEqual([]);
      const [authorize] = requestsTo(stack, 'GET', 'authorization_endpoint');
      expect(new URLSearchParams(authorize?.path.split('?')[1]).get('client_id')).toBe(metadataUrl);
      // The AS must fetch the document over https, which this sandbox cannot host: the walk then
      // stops at authorization with the AS's own classified answer instead of crashing.
      expect(summary.probe?.failedStep).toBe('authorization');
      expect(step(summary.probe, 'authorization')?.reason).toBe('invalid_client');
    }));

  it('without CIMD support the same configuration falls back to dynamic registration', () =>
    withStack({ variant: { clientIdMetadataDocuments: false } }, async (stack) => {
      const { summary } = await probeOk(stack, { CLIENT_METADATA_URL: 'https://client.example/vigil.json' });
      expect(step(summary.probe, 'registration')?.detail).toContain('dynamic client registration');
    }));
});

describe('load scripts on varying servers', { timeout: TEST_TIMEOUT_MS }, () => {
  it('oauth.ts against a server without refresh tokens: refresh measures nothing and says so once', () =>
    withStack({ variant: { refreshTokens: false } }, async (stack) => {
      const { result } = await runScript(stack, 'oauth');
      expect(failedChecks(result)).toEqual([]);
      expect(result.metrics.oauth_token_refresh_duration?.samples.length ?? 0).toBe(0);
      expect(result.logs.filter((l) => l.includes('issued no refresh token'))).toHaveLength(1);
      expect(result.exitCode, JSON.stringify(result.thresholds)).toBe(0);
    }));

  it('mcp.ts against a server that refuses WebSocket: the streaming workload still holds SSE', () =>
    withStack({ variant: { websocket: false } }, async (stack) => {
      const { result } = await runScript(stack, 'mcp', { WORKLOADS: 'streaming' });
      expect(failedChecks(result)).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(result.logs.some((l) => l.includes('WebSocket refused'))).toBe(true);
      expect(
        (result.metrics.mcp_success?.samples ?? []).every(
          (s) => s.value === 1 && s.tags.flow === 'streaming',
        ),
      ).toBe(true);
    }));

  it('oauth.ts with GRANT=client_credentials: the auth flow is the machine grant', () =>
    withStack({}, async (stack) => {
      const { result } = await runScript(stack, 'oauth', {
        GRANT: 'client_credentials',
        CLIENT_ID: 'vigil-probe',
        CLIENT_SECRET: 'vigil-probe-secret-change-me',
      });
      expect(failedChecks(result)).toEqual([]);
      expect(result.metrics.oauth_auth_flow_duration?.samples.length).toBeGreaterThan(0);
      expect(result.requests.some((r) => r.tags.name === 'POST {token_endpoint} client_credentials')).toBe(
        true,
      );
      expect(result.requests.some((r) => r.tags.name === 'GET {authorization_endpoint}')).toBe(false);
      expectNoSecrets(stack, result, ['vigil-probe-secret-change-me']);
    }));
});
