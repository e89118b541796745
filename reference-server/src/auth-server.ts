import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';
import type { ResolvedConfig } from './config.ts';
import { MCP_SCOPE, accessTokenAudience, type PreRegisteredClient } from './config.ts';
import type { TargetMetrics } from './metrics.ts';
import { statusClass } from './metrics.ts';
import type { KeyValueStore } from './store.ts';
import { adapterFactory } from './oidc-adapter.ts';
import type { SigningKeys } from './tokens.ts';

export interface AuthServerContext {
  config: ResolvedConfig;
  issuer: string;
  /** The MCP endpoint URL: the only resource indicator this AS issues tokens for. */
  mcpResource: string;
  keys: SigningKeys;
  store: KeyValueStore;
  metrics: TargetMetrics;
  logger: Logger;
}

/** oidc-provider's internal route names → the `endpoint` label of the OAuth histogram. */
const ENDPOINT_LABELS: Record<string, string> = {
  authorization: 'authorize',
  resume: 'authorize_resume',
  token: 'token',
  registration: 'register',
  client: 'register_management',
  revocation: 'revoke',
  discovery: 'discovery',
  jwks: 'jwks',
  introspection: 'introspect',
};

export const OIDC_SCOPES = ['openid', 'offline_access'];

/**
 * oidc-provider only accepts OIDC scopes in a client's `scope` metadata; resource scopes (mcp:*)
 * are governed by getResourceServerInfo. Keep the config friendly and drop them here.
 */
function withStaticScopesOnly(client: PreRegisteredClient): PreRegisteredClient {
  const { scope, ...rest } = client;
  const kept = (scope ?? '').split(' ').filter((word) => OIDC_SCOPES.includes(word));
  return kept.length ? { ...rest, scope: kept.join(' ') } : rest;
}

function sameResource(a: string, b: string): boolean {
  return a.replace(/\/$/, '') === b.replace(/\/$/, '');
}

export function createProvider(context: AuthServerContext): Provider {
  const { config, issuer, mcpResource, keys, store } = context;
  const { variant } = config;
  const configuration: Configuration = {
    // Memory: oidc-provider's own LRU adapter is fine, but one adapter over our store keeps both modes alike.
    adapter: adapterFactory(store),
    clients: config.clients.map(withStaticScopesOnly) as Configuration['clients'],
    jwks: { keys: [keys.privateJwk] },
    // The one signing key is EC: clients that do not name an algorithm get ES256 ID tokens too.
    clientDefaults: {
      id_token_signed_response_alg: 'ES256',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: OIDC_SCOPES,
    responseTypes: ['code'],
    pkce: { required: () => true },
    routes: {
      authorization: '/authorize',
      token: '/token',
      registration: '/register',
      revocation: '/revoke',
      jwks: '/jwks',
      introspection: '/introspect',
    },
    ttl: {
      AccessToken: config.accessTokenTtlSeconds,
      ClientCredentials: config.accessTokenTtlSeconds,
      RefreshToken: config.refreshTokenTtlSeconds,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 86_400,
      Grant: Math.max(config.refreshTokenTtlSeconds * 4, 86_400),
    },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true, initialAccessToken: false },
      // A client may revoke only its own tokens.
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      introspection: { enabled: true },
      clientCredentials: { enabled: variant.clientCredentials },
      clientIdMetadataDocument: { enabled: variant.clientIdMetadataDocuments, ack: 'draft-02' } as never,
      resourceIndicators: {
        enabled: true,
        // Clients that omit `resource` still get a token for the one resource this AS serves.
        defaultResource: async () => mcpResource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resourceIndicator) => {
          if (!sameResource(resourceIndicator, mcpResource)) throw new errors.InvalidTarget();
          return {
            scope: config.scopes.join(' '),
            // The JWT's `aud`. The resource indicator a client sends is still only the MCP URL
            // (anything else is invalid_target); `tokenAudience: 'other'` only changes what the
            // AS writes into the token, and tokens.ts's verifier accepts that audience then too.
            audience: accessTokenAudience(variant, mcpResource),
            accessTokenTTL: config.accessTokenTtlSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: keys.alg } },
          };
        },
      },
    },
    // oidc-provider's own policy hook (a boolean or a function of the request): with `true` every
    // refresh consumes the presented token and issues a new one; with `false` (refreshRotation:
    // false) the same refresh token comes back and stays valid, public clients included.
    rotateRefreshToken: variant.refreshRotation,
    issueRefreshToken: async (_ctx, client) =>
      variant.refreshTokens && client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    interactions: { url: (_ctx, interaction) => `${variant.issuerPath}/interaction/${interaction.uid}` },
    renderError: async (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  };
  const provider = new Provider(issuer, configuration);
  provider.proxy = true;
  provider.use(observeOAuthRequests(context));
  provider.use(advertiseResourceScopes(config.scopes));
  if (variant.metadataIssuer === 'origin') {
    provider.use(reportIssuerInDiscovery(issuer.slice(0, issuer.length - variant.issuerPath.length)));
  }
  return provider;
}

/**
 * Hands a request to oidc-provider as if it had arrived under the issuer path, also when it did
 * not: discovery served at the path-aware well-known URLs (`/.well-known/…/auth`) and the
 * 2025-03-26 fixed endpoints at the origin. oidc-provider writes its URLs (the endpoints in
 * discovery, the resume redirect, cookie paths) under its mount path, which it reads from
 * `originalUrl` minus `url` and, when that gives nothing, from Express's `req.baseUrl`. Without
 * this it would advertise endpoints at the origin, where a provider with an issuer path is not served.
 */
export function underIssuerPath(
  provider: Provider,
  issuerPath: string,
  providerPath?: string,
): RequestHandler {
  const providerCallback = provider.callback();
  return (req, res) => {
    if (providerPath) req.url = providerPath;
    req.baseUrl = issuerPath;
    void providerCallback(req, res);
  };
}

function observeOAuthRequests({ metrics }: AuthServerContext) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = ctx.oidc?.route;
      const endpoint = route ? ENDPOINT_LABELS[route] : undefined;
      if (endpoint) {
        const grant = route === 'token' ? String(ctx.oidc.params?.grant_type ?? 'unknown') : '';
        metrics.oauthDuration.observe(
          { endpoint, grant, status: statusClass(ctx.status) },
          (performance.now() - started) / 1000,
        );
      }
    }
  };
}

/** oidc-provider lists only OIDC scopes in discovery; MCP clients read the resource scopes from it too. */
function advertiseResourceScopes(scopes: string[]) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    if (ctx.oidc?.route === 'discovery' && ctx.body && typeof ctx.body === 'object') {
      const body = ctx.body as { scopes_supported?: string[] };
      body.scopes_supported = [...new Set([...(body.scopes_supported ?? []), ...scopes])];
    }
  };
}

/**
 * The `metadataIssuer: 'origin'` deviation: discovery claims another issuer than the provider's.
 * Rewritten on the way out so that only the document lies — endpoints, the `iss` of tokens and
 * of authorization responses stay the provider's. Every AS metadata URL is served by the
 * provider's discovery route (see metadata.ts), so this one place covers them all.
 */
function reportIssuerInDiscovery(reported: string) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    if (ctx.oidc?.route === 'discovery' && ctx.body && typeof ctx.body === 'object') {
      (ctx.body as { issuer?: string }).issuer = reported;
    }
  };
}

/** Scopes of an authorization request the AS grants without a page: the configured ones only. */
export function grantableScopes(
  requested: string | undefined,
  configured: string[],
): { oidc: string[]; resource: string[] } {
  const words = (requested ?? MCP_SCOPE).split(' ').filter(Boolean);
  return {
    oidc: words.filter((scope) => scope === 'openid' || scope === 'offline_access'),
    resource: words.filter((scope) => configured.includes(scope)),
  };
}
