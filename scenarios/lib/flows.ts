/**
 * The OAuth flows the scripts run, composed from the lib steps: obtaining tokens by either grant
 * (PKCE authorization code or client_credentials), and a bounded step-up when the MCP server
 * answers 403 insufficient_scope.
 */
import http from 'k6/http';
import type { Config } from './config.ts';
import type { Discovery } from './discovery.ts';
import { authorize } from './authorize.ts';
import { AuthChallenge } from './failures.ts';
import { createPkce, randomToken } from './pkce.ts';
import type { Client } from './registration.ts';
import { clientCredentials, exchangeCode, type TokenResponse } from './token.ts';

export interface FlowContext {
  config: Config;
  discovery: Discovery;
  client: Client;
}

/**
 * Authorizations made to answer a refused MCP call (403 insufficient_scope; in the probe also a
 * 401), beyond the first: a server that keeps refusing fails the step instead of looping.
 */
export const MAX_STEP_UPS = 2;

/** Authorization step only (authorization_code): the code and the PKCE verifier to redeem it. */
export function authorizeOnce(
  ctx: FlowContext,
  scope: string | undefined,
): { code: string; verifier: string } {
  const pkce = createPkce();
  const code = authorize({
    config: ctx.config,
    discovery: ctx.discovery,
    client: ctx.client,
    pkce,
    state: randomToken(16),
    scope,
    // A jar per walk: each authorization starts without the previous walk's login session.
    jar: new http.CookieJar(),
  });
  return { code, verifier: pkce.verifier };
}

/** Tokens by the configured grant: authorize + code exchange, or client_credentials. */
export async function obtainTokens(ctx: FlowContext, scope: string | undefined): Promise<TokenResponse> {
  if (ctx.config.grant === 'client_credentials') return clientCredentials(ctx, scope);
  const { code, verifier } = authorizeOnce(ctx, scope);
  return exchangeCode(ctx, code, verifier);
}

/** The union of two space-separated scope lists (order kept, duplicates dropped). */
export function unionScopes(current: string | undefined, required: string | undefined): string | undefined {
  const all = [...(current ?? '').split(' '), ...(required ?? '').split(' ')].filter((s) => s !== '');
  return all.length > 0 ? [...new Set(all)].join(' ') : undefined;
}

/**
 * Runs `action` with the current token; on 403 insufficient_scope re-authorizes with the union of
 * scopes and retries, at most MAX_STEP_UPS times.
 */
export async function withStepUp<T>(
  ctx: FlowContext,
  state: { scope?: string; accessToken: string; refreshToken?: string },
  action: (accessToken: string) => T,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return action(state.accessToken);
    } catch (error) {
      if (!(error instanceof AuthChallenge) || error.status !== 403 || attempt >= MAX_STEP_UPS) throw error;
      const wider = unionScopes(state.scope, error.requiredScope);
      if (wider === state.scope) throw error;
      state.scope = wider;
      const { tokens } = await obtainTokens(ctx, wider);
      state.accessToken = tokens.accessToken;
      state.refreshToken = tokens.refreshToken ?? state.refreshToken;
    }
  }
}
