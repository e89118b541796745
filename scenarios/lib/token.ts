/**
 * Token endpoint calls: authorization code exchange (with `resource` and the PKCE verifier),
 * refresh with a rotation check, and client_credentials, each authenticating the client the way
 * it was registered (none, client_secret_basic, client_secret_post, private_key_jwt).
 */
import { b64encode } from 'k6/encoding';
import type { Step } from '../catalog/index.ts';
import type { Config } from './config.ts';
import type { Discovery } from './discovery.ts';
import { describeResponse, fail, reasonForResponse, safeJson, type AnyResponse } from './failures.ts';
import { FORM, send } from './http.ts';
import { signClientAssertion } from './jwt.ts';
import type { Client } from './registration.ts';
import { encodeForm } from './url.ts';

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  expiresIn?: number;
  scope?: string;
}

export interface TokenResponse {
  tokens: TokenSet;
  res: AnyResponse;
}

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** RFC 6749 §2.3.1: id and secret are form-encoded before Basic encoding. */
function basicCredentials(client: Client): string {
  const encode = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
  return `Basic ${b64encode(`${encode(client.clientId)}:${encode(client.clientSecret ?? '')}`, 'std')}`;
}

async function authenticate(
  client: Client,
  config: Config,
  discovery: Discovery,
  body: Record<string, string | undefined>,
): Promise<{ headers: Record<string, string>; body: Record<string, string | undefined> }> {
  const headers: Record<string, string> = { ...FORM, Accept: 'application/json' };
  switch (client.auth) {
    case 'client_secret_basic':
      headers.Authorization = basicCredentials(client);
      return { headers, body };
    case 'client_secret_post':
      return { headers, body: { ...body, client_id: client.clientId, client_secret: client.clientSecret } };
    case 'private_key_jwt': {
      const assertion = await signClientAssertion({
        clientId: client.clientId,
        audience: discovery.as.issuer ?? discovery.issuer,
        pem: config.clientPrivateKey as string,
        alg: config.clientKeyAlg,
      });
      return {
        headers,
        body: {
          ...body,
          client_id: client.clientId,
          client_assertion_type: JWT_BEARER,
          client_assertion: assertion,
        },
      };
    }
    default:
      return { headers, body: { ...body, client_id: client.clientId } };
  }
}

function readTokens(step: Step, res: AnyResponse): TokenSet {
  if (res.status !== 200)
    fail(step, reasonForResponse(res), `token endpoint: ${describeResponse(res)}`, res.status);
  const body = safeJson(res) as Record<string, unknown> | undefined;
  if (typeof body?.access_token !== 'string') fail(step, 'parse_error', 'token response has no access_token');
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    expiresIn: typeof body.expires_in === 'number' ? body.expires_in : undefined,
    scope: typeof body.scope === 'string' ? body.scope : undefined,
  };
}

async function tokenRequest(
  step: Step,
  name: string,
  ctx: { client: Client; config: Config; discovery: Discovery },
  params: Record<string, string | undefined>,
): Promise<AnyResponse> {
  const { headers, body } = await authenticate(ctx.client, ctx.config, ctx.discovery, params);
  return send('POST', ctx.discovery.as.token_endpoint, encodeForm(body), { name, step, headers });
}

export interface TokenContext {
  client: Client;
  config: Config;
  discovery: Discovery;
}

export async function exchangeCode(
  ctx: TokenContext,
  code: string,
  verifier: string,
): Promise<TokenResponse> {
  const res = await tokenRequest('token', 'POST {token_endpoint} authorization_code', ctx, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: ctx.config.redirectUri,
    code_verifier: verifier,
    resource: ctx.discovery.resource,
  });
  return { tokens: readTokens('token', res), res };
}

export async function clientCredentials(
  ctx: TokenContext,
  scope: string | undefined,
): Promise<TokenResponse> {
  const res = await tokenRequest('token', 'POST {token_endpoint} client_credentials', ctx, {
    grant_type: 'client_credentials',
    scope,
    resource: ctx.discovery.resource,
  });
  return { tokens: readTokens('token', res), res };
}

/** Sends a refresh_token grant; returns the raw response (callers check rotation and reuse). */
export async function refreshRequest(ctx: TokenContext, refreshToken: string): Promise<AnyResponse> {
  return tokenRequest('refresh', 'POST {token_endpoint} refresh_token', ctx, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    resource: ctx.discovery.resource,
  });
}

export interface RefreshOutcome extends TokenResponse {
  rotated: boolean;
}

/** Refreshes; a public client's refresh token must rotate (OAuth 2.1), else `refresh_not_rotated`. */
export async function refresh(ctx: TokenContext, refreshToken: string): Promise<RefreshOutcome> {
  const res = await refreshRequest(ctx, refreshToken);
  const tokens = readTokens('refresh', res);
  const rotated = tokens.refreshToken !== undefined && tokens.refreshToken !== refreshToken;
  return { tokens: { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken }, res, rotated };
}

/** Whether the AS refuses a used (rotated-away) refresh token with invalid_grant, as it must. */
export async function oldRefreshRejected(ctx: TokenContext, usedRefreshToken: string): Promise<boolean> {
  const res = await refreshRequest(ctx, usedRefreshToken);
  return res.status === 400 && reasonForResponse(res) === 'invalid_grant';
}
