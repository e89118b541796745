import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { ResolvedConfig } from './config.ts';
import { OIDC_SCOPES, grantableScopes, underIssuerPath } from './auth-server.ts';
import type { FaultRegistry } from './faults.ts';
import type { TargetMetrics } from './metrics.ts';
import { statusClass } from './metrics.ts';
import { renderLoginPage } from './login-page.ts';
import { resolveLoopbackClientDocument } from './client-metadata-documents.ts';
import type { KeyValueStore } from './store.ts';

export interface OAuthRoutesContext {
  config: ResolvedConfig;
  provider: Provider;
  mcpResource: string;
  faults: FaultRegistry;
  metrics: TargetMetrics;
  logger: Logger;
  store: KeyValueStore;
}

type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

const OIDC_BODY_LIMIT = '56kb';
/** Default account in auto-approve mode (no login page, like the MCP SDK's demo server). */
const AUTO_APPROVED_ACCOUNT = 'mcp-user';

/** Where a 2025-03-26 client without any metadata sends its requests: these paths on the MCP server's origin. */
export const FIXED_ENDPOINT_PATHS = ['/authorize', '/token', '/register'];

/**
 * A server without PRM (2025-03-26) whose issuer carries a path also answers the fixed endpoints
 * at the origin, as aliases of the provider's own, so that a client which finds no metadata can
 * still complete the flow. Without an issuer path the provider already serves them there.
 */
export function servesFixedEndpointAliases(config: ResolvedConfig): boolean {
  return config.variant.prm === 'none' && config.variant.issuerPath !== '';
}

function temporarilyUnavailable(res: Response, status: number) {
  res.status(status).json({ error: 'temporarily_unavailable', error_description: 'injected fault' });
}

function isLoopbackRedirect(uri: unknown): boolean {
  if (typeof uri !== 'string') return false;
  const url = URL.parse(uri);
  return !!url && url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Express routes in front of oidc-provider: the parts it leaves to the host application
 * (interactions, RFC 8414 document paths) and the hooks Vigil adds (faults, defaults, DCR policy).
 * The request bodies of /token and /register are read here (never logged) and handed to
 * oidc-provider pre-parsed, which it supports.
 */
export function oauthRouter(context: OAuthRoutesContext): Router {
  const { config, provider } = context;
  const base = config.variant.issuerPath;
  const aliased = servesFixedEndpointAliases(config);
  // The hooks below run for the provider's endpoint and, when aliased, for the fixed one at the origin.
  const endpoint = (path: string) => (aliased ? [`${base}${path}`, path] : `${base}${path}`);
  const router = express.Router();
  const formBody = express.raw({ type: 'application/x-www-form-urlencoded', limit: OIDC_BODY_LIMIT });
  const jsonBody = express.raw({ type: 'application/json', limit: OIDC_BODY_LIMIT });
  // 'mcp:tools' is the default scope: a client that asks for none still gets a usable token.
  const defaultScope = grantableScopes(undefined, config.scopes).resource.join(' ');

  router.get(endpoint('/authorize'), async (req, res, next) => {
    const outcome = await context.faults.apply('authorize');
    if (outcome.failStatus) return temporarilyUnavailable(res, outcome.failStatus);
    const url = new URL(req.url, 'http://placeholder');
    if (!(await usableClientId(context, url.searchParams.get('client_id'), res))) return;
    if (!url.searchParams.get('scope')) {
      url.searchParams.set('scope', defaultScope);
      req.url = `${url.pathname}${url.search}`;
    }
    next();
  });

  router.post(endpoint('/token'), formBody, async (req, res, next) => {
    if (!Buffer.isBuffer(req.body)) return next();
    const params = new URLSearchParams(req.body.toString('utf8'));
    if (!(await usableClientId(context, params.get('client_id'), res))) return;
    const grantType = params.get('grant_type');
    const faultPath = grantType === 'refresh_token' ? 'refresh' : 'token';
    const outcome = await context.faults.apply(faultPath);
    if (outcome.failStatus) return temporarilyUnavailable(res, outcome.failStatus);
    if (config.variant.registrationAuthMethod !== 'as_requested') {
      const refusal = await secretMethodMismatch(provider, params, req.headers.authorization);
      if (refusal) return res.status(401).json({ error: 'invalid_client', error_description: refusal });
    }
    if (grantType === 'client_credentials' && !params.get('scope')) {
      params.set('scope', defaultScope);
      req.body = Buffer.from(params.toString());
    }
    next();
  });

  router.post(endpoint('/register'), jsonBody, (req, res, next) => {
    if (!Buffer.isBuffer(req.body)) return next();
    let metadata: {
      redirect_uris?: unknown;
      scope?: unknown;
      token_endpoint_auth_method?: unknown;
      token_endpoint_auth_signing_alg?: unknown;
    };
    try {
      metadata = JSON.parse(req.body.toString('utf8'));
    } catch {
      res.status(400).json({ error: 'invalid_client_metadata', error_description: 'body is not valid JSON' });
      return;
    }
    const uris = metadata.redirect_uris;
    if (Array.isArray(uris) && !uris.every(isLoopbackRedirect)) {
      res.status(400).json({
        error: 'invalid_redirect_uri',
        error_description:
          'redirect_uris: open registration accepts loopback http URIs only (127.0.0.1, localhost, [::1])',
      });
      return;
    }
    let rewritten = false;
    // MCP clients put the resource scope (from the 401 challenge) in their metadata; oidc-provider
    // only allows OIDC scopes there and governs resource scopes per resource, so drop the others.
    if (typeof metadata.scope === 'string') {
      const kept = metadata.scope.split(' ').filter((scope) => OIDC_SCOPES.includes(scope));
      if (kept.length) metadata.scope = kept.join(' ');
      else delete metadata.scope;
      rewritten = true;
    }
    // registrationAuthMethod: imposed by rewriting the request, because oidc-provider decides
    // whether to mint a client_secret from the requested metadata before any hook runs; its
    // registration policies only apply to registrations with an initial access token, and
    // extraClientMetadata.validator runs after that decision (a confidential client without a
    // secret). The provider then stores the method and enforces it at /token like any other.
    const imposed = config.variant.registrationAuthMethod;
    if (imposed !== 'as_requested') {
      metadata.token_endpoint_auth_method = imposed;
      // Only *_jwt methods take a signing alg: one asked for private_key_jwt would be refused with basic/post.
      delete metadata.token_endpoint_auth_signing_alg;
      rewritten = true;
    }
    if (rewritten) req.body = Buffer.from(JSON.stringify(metadata));
    next();
  });

  router.get(`${base}/interaction/:uid`, async (req, res, next) => {
    const stop = context.metrics.oauthDuration.startTimer({ endpoint: 'interaction', grant: '' });
    try {
      const details = await provider.interactionDetails(req, res);
      const accountId = details.session?.accountId ?? (config.loginMode ? undefined : AUTO_APPROVED_ACCOUNT);
      if (!accountId) {
        res.type('html').send(renderLoginPage(`${base}/interaction/${details.uid}/login`));
      } else {
        await approve(context, req, res, details, accountId);
      }
      stop({ status: statusClass(res.statusCode) });
    } catch (error) {
      stop({ status: '4xx' });
      next(error);
    }
  });

  router.post(
    `${base}/interaction/:uid/login`,
    express.urlencoded({ extended: false, limit: '8kb' }),
    async (req, res, next) => {
      const stop = context.metrics.oauthDuration.startTimer({ endpoint: 'login', grant: '' });
      try {
        const details = await provider.interactionDetails(req, res);
        const username = typeof req.body?.username === 'string' ? req.body.username : '';
        const password = typeof req.body?.password === 'string' ? req.body.password : '';
        const user = config.users.find((candidate) => safeEqual(candidate.username, username));
        if (!user || !safeEqual(user.password, password)) {
          context.logger.info({ interaction: 'login' }, 'login refused: unknown user or wrong password');
          res
            .status(401)
            .type('html')
            .send(
              renderLoginPage(`${base}/interaction/${details.uid}/login`, 'Unknown user or wrong password.'),
            );
        } else {
          await approve(context, req, res, details, user.username);
        }
        stop({ status: statusClass(res.statusCode) });
      } catch (error) {
        stop({ status: '4xx' });
        next(error);
      }
    },
  );

  // After the hooks: the aliases reach the provider, which then writes its URLs under the issuer path.
  if (aliased) router.all(FIXED_ENDPOINT_PATHS, underIssuerPath(provider, base));
  return router;
}

/** How a /token request presents a client secret: in the body or in a Basic header, and for which client. */
function presentedSecret(
  params: URLSearchParams,
  authorization: string | undefined,
): { method: 'client_secret_post' | 'client_secret_basic'; clientId: string | null } | undefined {
  if (params.get('client_secret')) return { method: 'client_secret_post', clientId: params.get('client_id') };
  const [scheme, value] = (authorization ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !value) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  try {
    return {
      method: 'client_secret_basic',
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, '%20')),
    };
  } catch {
    return undefined; // malformed: oidc-provider answers it
  }
}

/**
 * oidc-provider accepts a secret in the body or in a Basic header for a client registered with
 * either method. An AS that imposes its method (`registrationAuthMethod`) holds clients to it,
 * so that a client sending its secret the other way than the registration said is caught.
 */
async function secretMethodMismatch(
  provider: Provider,
  params: URLSearchParams,
  authorization: string | undefined,
): Promise<string | undefined> {
  const presented = presentedSecret(params, authorization);
  // URL client ids are metadata documents (no secrets); looking them up would fetch the document.
  if (!presented?.clientId || /^https?:/.test(presented.clientId)) return undefined;
  const client = await provider.Client.find(presented.clientId).catch(() => undefined);
  const registered = client?.clientAuthMethod;
  if (registered !== 'client_secret_basic' && registered !== 'client_secret_post') return undefined;
  if (registered === presented.method) return undefined;
  return `the client is registered for ${registered}, not ${presented.method}`;
}

async function usableClientId(
  context: OAuthRoutesContext,
  clientId: string | null,
  res: Response,
): Promise<boolean> {
  if (!context.config.variant.clientIdMetadataDocuments) return true;
  const problem = await resolveLoopbackClientDocument(clientId, context.store);
  if (problem) res.status(400).json({ error: 'invalid_client', error_description: problem });
  return !problem;
}

/** Login done: grant the requested configured scopes without a consent page, then resume the authorization. */
async function approve(
  context: OAuthRoutesContext,
  req: Request,
  res: Response,
  details: InteractionDetails,
  accountId: string,
) {
  const { provider, config, mcpResource } = context;
  const clientId = String(details.params.client_id);
  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const scopes = grantableScopes(details.params.scope as string | undefined, config.scopes);
  if (scopes.oidc.length) grant.addOIDCScope(scopes.oidc.join(' '));
  const requestedResource = details.params.resource;
  const resource = typeof requestedResource === 'string' ? requestedResource : mcpResource;
  if (scopes.resource.length) grant.addResourceScope(resource, scopes.resource.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}
