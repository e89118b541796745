/**
 * "Works for real clients" apart from "follows the spec": the probe against reference-server
 * variants that deviate the way servers in the wild do. Each walk passes (a real client gets
 * through) and reports the deviation as a finding with its code; strict mode makes the blocking
 * ones fail the walk; no finding's evidence carries a secret.
 */
import { startRedis, type Service } from '@vigil/testkit';
import type { TargetOptions } from '@vigil/reference-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectNoSecrets,
  injectFault,
  runScript,
  TEST_TIMEOUT_MS,
  withStackAt,
  type Stack,
} from './support/harness.ts';
import { findingCodes, probeOk, step } from './support/probe-assertions.ts';
import { startUnadvertisedAuthServer } from './support/unadvertised-auth-server.ts';

let redis: Service;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const withStack = <T>(options: TargetOptions, run: (stack: Stack) => Promise<T>): Promise<T> =>
  withStackAt(redis.url as string, options, run);

/** The first request of the walk that carried a bearer token, by its path. */
function firstAuthorizedPath(stack: Stack): string | undefined {
  return stack.proxy.exchanges.find((e) => e.requestHeaders.authorization?.startsWith('Bearer '))?.path;
}

describe('servers real clients use, that deviate from the spec', { timeout: TEST_TIMEOUT_MS }, () => {
  it('the reference server as shipped: no finding', () =>
    withStack({}, async (stack) => {
      const { summary } = await probeOk(stack);
      expect(summary.probe?.findings).toEqual([]);
    }));

  it('401 without resource_metadata, PRM at the well-known URL: passes, an info finding', () =>
    withStack({ variant: { challengeResourceMetadata: false } }, async (stack) => {
      const { summary, result } = await probeOk(stack);
      expect(findingCodes(summary.probe)).toEqual(['WWW_AUTHENTICATE_NO_RESOURCE_METADATA']);
      expect(summary.probe?.findings?.[0]).toMatchObject({ severity: 'info', step: 'discovery' });
      expectNoSecrets(stack, result);
    }));

  it('AS metadata whose issuer is the origin, not the tenant: passes with a high finding; strict fails it', () =>
    withStack({ variant: { issuerPath: '/tenant1', metadataIssuer: 'origin' } }, async (stack) => {
      const { summary, result } = await probeOk(stack);
      expect(findingCodes(summary.probe)).toEqual(['AS_ISSUER_MISMATCH']);
      const finding = summary.probe?.findings?.[0];
      expect(finding).toMatchObject({ severity: 'high', step: 'discovery' });
      expect(finding?.evidence).toMatchObject({
        field: 'issuer',
        metadataIssuer: `${stack.origin}/`,
        authorizationServer: `${stack.origin}/tenant1`,
      });
      expectNoSecrets(stack, result);

      for (const strict of ['true', 'high', 'medium']) {
        const strictRun = await runScript(stack, 'probe', { STRICT: strict });
        expect(strictRun.result.exitCode, strict).toBe(99);
        expect(strictRun.summary.probe).toMatchObject({
          ok: false,
          failedStep: 'discovery',
          strict: 'high' === strict || strict === 'true' ? 'high' : strict,
        });
        expect(step(strictRun.summary.probe, 'discovery')).toMatchObject({
          ok: false,
          reason: 'strict_finding',
        });
        expect(step(strictRun.summary.probe, 'discovery')?.detail).toContain('AS_ISSUER_MISMATCH');
        // Stopped where a strict client would: nothing was sent to the token endpoint.
        expect(strictRun.summary.probe?.steps.some((s) => s.step === 'token')).toBe(false);
      }
    }));

  it.each([
    ['tools_call_401', 401],
    ['tools_call_403', 403],
  ] as const)(
    'MCP served without a token until tools/call answers %s: the walk starts unauthenticated, authorizes when asked, and passes',
    (authRequiredFrom, status) =>
      withStack({ variant: { authRequiredFrom } }, async (stack) => {
        const { summary, result } = await probeOk(stack);
        expect(findingCodes(summary.probe)).toEqual(['NO_401_ON_UNAUTHENTICATED']);
        const order = summary.probe?.steps.map((s) => s.step);
        expect(order?.slice(0, 7)).toEqual([
          'initialize',
          'tools_list',
          'discovery',
          'registration',
          'authorization',
          'token',
          'tools_call',
        ]);
        // The refused call was tried without a token first, and only then with one.
        const calls = stack.proxy.exchanges.filter((e) => e.path === '/mcp' && e.method === 'POST');
        expect(calls.some((e) => e.status === status && !e.requestHeaders.authorization)).toBe(true);
        expect(firstAuthorizedPath(stack)).toBe('/mcp');
        expect(step(summary.probe, 'refresh')?.ok).toBe(true);
        expectNoSecrets(stack, result);
      }),
  );

  it('a server that keeps refusing the call: a bounded number of authorizations, then the step fails', () =>
    withStack({}, async (stack) => {
      await injectFault(stack, { path: 'tool_call', errorRate: 1, status: 401 });
      const { result, summary } = await runScript(stack, 'probe');
      expect(result.exitCode).toBe(99);
      expect(step(summary.probe, 'tools_call')).toMatchObject({ ok: false, reason: 'invalid_token' });
      const tokenRequests = stack.proxy.exchanges.filter((e) => e.method === 'POST' && e.path === '/token');
      // The first authorization plus the bounded re-authorizations (flows.ts MAX_STEP_UPS = 2).
      expect(tokenRequests.length).toBe(3);
    }));

  it.each(['client_secret_basic', 'client_secret_post'] as const)(
    'dynamic registration answering with a secret and %s: the probe authenticates as registered',
    (method) =>
      withStack({ variant: { registrationAuthMethod: method } }, async (stack) => {
        const { summary, result } = await probeOk(stack);
        expect(step(summary.probe, 'registration')?.detail).toContain(`token auth ${method}`);
        const tokens = stack.proxy.exchanges.filter((e) => e.method === 'POST' && e.path === '/token');
        expect(tokens.length).toBeGreaterThan(0);
        for (const exchange of tokens) {
          const basic = exchange.requestHeaders.authorization?.startsWith('Basic ') ?? false;
          expect(basic).toBe(method === 'client_secret_basic');
          expect(exchange.requestBody.includes('client_secret=')).toBe(method === 'client_secret_post');
        }
        expectNoSecrets(stack, result);
      }),
  );

  it('GET on the MCP endpoint answering 404: the stream is held on the legacy endpoint, an info finding', () =>
    withStack({ variant: { streamGet: '404' } }, async (stack) => {
      const { summary } = await probeOk(stack);
      expect(findingCodes(summary.probe)).toEqual(['STREAM_GET_NOT_405']);
      expect(step(summary.probe, 'stream')?.ok).toBe(true);
    }));

  it('a 401 without any WWW-Authenticate header: discovery falls back to the well-known PRM, a medium finding', () =>
    withStack({ variant: { challengeHeader: false } }, async (stack) => {
      const { summary } = await probeOk(stack);
      expect(findingCodes(summary.probe)).toEqual(['WWW_AUTHENTICATE_MISSING']);
      expect(summary.probe?.findings?.[0]?.evidence).toMatchObject({
        status: 401,
        header: 'WWW-Authenticate',
      });
    }));

  it('a 403 insufficient_scope without the scope: the step-up still gets through, a low finding', () =>
    withStack({ variant: { insufficientScopeChallenge: 'without_scope' } }, async (stack) => {
      // admin_echo needs mcp:admin; without a scope in the challenge the walk asks for the PRM's scopes.
      const { summary } = await probeOk(stack, {
        PROBE_TOOL: 'admin_echo',
        PROBE_TOOL_ARGS: '{"text":"hi"}',
      });
      expect(findingCodes(summary.probe)).toEqual(['INSUFFICIENT_SCOPE_WITHOUT_SCOPE']);
    }));

  it('refresh tokens that do not rotate for a public client: refresh works, a medium finding', () =>
    withStack({ variant: { refreshRotation: false } }, async (stack) => {
      const { summary } = await probeOk(stack);
      expect(step(summary.probe, 'refresh')?.ok).toBe(true);
      expect(findingCodes(summary.probe)).toEqual(['REFRESH_NOT_ROTATED']);
    }));

  it('access tokens for another audience that the server still accepts: passes, a high finding', () =>
    withStack({ variant: { tokenAudience: 'other' } }, async (stack) => {
      const { summary, result } = await probeOk(stack);
      expect(findingCodes(summary.probe)).toEqual(['TOKEN_AUDIENCE_WRONG']);
      expectNoSecrets(stack, result);
    }));

  it('registration assigning an auth method the AS metadata does not list: a low finding at registration', async () => {
    const server = await startUnadvertisedAuthServer();
    try {
      const { summary } = await runScript(server, 'probe');
      expect(step(summary.probe, 'registration')?.ok).toBe(true);
      expect(summary.probe?.findings).toEqual([
        expect.objectContaining({
          code: 'REGISTRATION_AUTH_METHOD_UNADVERTISED',
          step: 'registration',
          evidence: { field: 'token_endpoint_auth_method', registered: 'client_secret_post' },
        }),
      ]);
    } finally {
      await server.close();
    }
  });

  it('GET answering 405 (no stream offered) is the spec: no finding', () =>
    withStack({ variant: { streamGet: '405' } }, async (stack) => {
      const { summary } = await probeOk(stack);
      expect(summary.probe?.findings).toEqual([]);
    }));
});
