/**
 * Discovery: 401 `WWW-Authenticate` → Protected Resource Metadata (RFC 9728) at the URL named by
 * `resource_metadata`, else the path-aware then root well-known URIs → authorization server
 * metadata (RFC 8414, then OpenID discovery, in the MCP spec's order for issuers with a path).
 * 2025-03-26 servers have no PRM: AS metadata at the MCP origin, else the fixed endpoints.
 */
import type { Step } from '../catalog/index.ts';
import { COMPLIANCE, urlEvidence, type Compliance } from './compliance.ts';
import { describeResponse, fail, reasonForResponse, safeJson, type AnyResponse } from './failures.ts';
import { header, send } from './http.ts';
import { mcpHeaders, INITIALIZE_REQUEST } from './mcp-protocol.ts';
import { joinPath, parseUrl, resourceCovers } from './url.ts';
import { asMetadataCandidates, prmCandidates } from './well-known.ts';
import { parseBearerChallenge, type BearerChallenge } from './www-authenticate.ts';

const STEP: Step = 'discovery';

export interface ProtectedResourceMetadata {
  resource?: string;
  authorization_servers?: string[];
  scopes_supported?: string[];
}

export interface AuthServerMetadata {
  issuer?: string;
  authorization_endpoint?: string;
  token_endpoint: string;
  registration_endpoint?: string;
  code_challenge_methods_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  grant_types_supported?: string[];
  scopes_supported?: string[];
  client_id_metadata_document_supported?: boolean;
}

export interface Discovery {
  /** The resource indicator (RFC 8707) sent on authorize and token requests. */
  resource: string;
  /** How the AS metadata was found. */
  source: 'rfc8414' | 'openid' | 'fixed_endpoints';
  /** `2025-03-26` when the server has no Protected Resource Metadata. */
  authRevision: '2025-06-18' | '2025-03-26';
  issuer: string;
  as: AuthServerMetadata;
  /** Scope to ask for: SCOPE, else the 401 challenge's scope, else PRM scopes_supported. */
  scope?: string;
  /** PRM `scopes_supported`: what a step-up asks for when a 403 names no scope. */
  scopesSupported?: string;
}

/** The server's answer to a request without a token: a challenge (401/403), or served anyway (2xx). */
export type Opening =
  { kind: 'challenge'; status: number; bearer?: BearerChallenge } | { kind: 'open'; res: AnyResponse };

/**
 * POSTs `initialize` without a token. A protected server answers 401 with a Bearer challenge;
 * some serve `initialize` (and more) without one and ask for authorization only later.
 */
export function openUnauthenticated(mcpUrl: string, compliance: Compliance): Opening {
  const res = send('POST', mcpUrl, JSON.stringify(INITIALIZE_REQUEST), {
    name: 'POST {mcp} (no token)',
    step: STEP,
    headers: mcpHeaders({}),
  });
  if (res.status === 0) fail(STEP, reasonForResponse(res), describeResponse(res), 0);
  compliance.record(COMPLIANCE.unauthenticated401, res.status === 401, { status: res.status });
  if (res.status === 401 || res.status === 403)
    return {
      kind: 'challenge',
      status: res.status,
      bearer: parseBearerChallenge(header(res, 'WWW-Authenticate')),
    };
  if (res.status >= 200 && res.status < 300) return { kind: 'open', res };
  return fail(
    STEP,
    'unexpected_status',
    `unauthenticated initialize: ${describeResponse(res)} (expected 401)`,
    res.status,
  );
}

function getJson(url: string, name: string): { res: AnyResponse; body: unknown } {
  const res = send('GET', url, null, { name, step: STEP, headers: { Accept: 'application/json' } });
  return { res, body: res.status === 200 ? safeJson(res) : undefined };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function fetchPrm(mcpUrl: string, announced: string | undefined): ProtectedResourceMetadata | undefined {
  if (announced) {
    if (!parseUrl(announced)) fail(STEP, 'invalid_metadata', 'resource_metadata is not an absolute URL');
    const { res, body } = getJson(announced, 'GET {resource_metadata}');
    if (!isObject(body))
      fail(STEP, 'invalid_metadata', `resource_metadata document: ${describeResponse(res)}`);
    return body as ProtectedResourceMetadata;
  }
  for (const { url, name } of prmCandidates(mcpUrl)) {
    const { res, body } = getJson(url, name);
    if (isObject(body)) return body as ProtectedResourceMetadata;
    if (res.status === 0)
      fail(STEP, reasonForResponse(res), `protected resource metadata: ${describeResponse(res)}`);
  }
  return undefined;
}

function sameIssuer(a: string | undefined, b: string): boolean {
  return a !== undefined && a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

function fetchAsMetadata(
  issuer: string,
  compliance: Compliance,
): { as: AuthServerMetadata; source: 'rfc8414' | 'openid' } | undefined {
  for (const candidate of asMetadataCandidates(issuer)) {
    const template =
      candidate.source === 'rfc8414'
        ? 'GET /.well-known/oauth-authorization-server'
        : 'GET /.well-known/openid-configuration';
    const { res, body } = getJson(candidate.url, template);
    if (res.status === 0)
      fail(STEP, reasonForResponse(res), `authorization server metadata: ${describeResponse(res)}`);
    if (!isObject(body)) continue;
    const as = body as unknown as AuthServerMetadata;
    if (typeof as.token_endpoint !== 'string')
      fail(STEP, 'invalid_metadata', `${candidate.source} metadata has no token_endpoint`);
    // RFC 8414 §3.3 says to reject a mismatch; the common MCP clients use the metadata anyway, so the
    // walk does too (a real client gets through) and reports it (strict mode makes it fail).
    compliance.record(COMPLIANCE.issuerMatches, sameIssuer(as.issuer, issuer), {
      field: 'issuer',
      metadataIssuer: urlEvidence(typeof as.issuer === 'string' ? as.issuer : undefined),
      authorizationServer: urlEvidence(issuer),
      document: candidate.source,
    });
    return { as, source: candidate.source };
  }
  return undefined;
}

/** 2025-03-26 default endpoints on the MCP server's origin, used when it publishes no metadata. */
function fixedEndpoints(origin: string): AuthServerMetadata {
  return {
    issuer: origin,
    authorization_endpoint: joinPath(origin, '/authorize'),
    token_endpoint: joinPath(origin, '/token'),
    registration_endpoint: joinPath(origin, '/register'),
  };
}

function chooseScope(
  configured: string | undefined,
  bearer: BearerChallenge | undefined,
  prm: ProtectedResourceMetadata | undefined,
): string | undefined {
  if (configured) return configured;
  if (bearer?.scope) return bearer.scope;
  if (prm?.scopes_supported && prm.scopes_supported.length > 0) return prm.scopes_supported.join(' ');
  return undefined;
}

export interface DiscoverOptions {
  mcpUrl: string;
  scope?: string;
  /** authorization_code needs PKCE S256; client_credentials does not. */
  needsPkce: boolean;
}

/**
 * The whole discovery step. `opening` is the server's answer to a request without a token (the
 * probe sends it first, or it is the challenge of a later call); without one it is sent here. A
 * server that answers without a token gets a finding, and discovery goes on from the well-known
 * URLs. Stops (throws) on a PRM resource mismatch before any token exists.
 */
export function discover(options: DiscoverOptions, compliance: Compliance, opening?: Opening): Discovery {
  const { mcpUrl } = options;
  const opened = opening ?? openUnauthenticated(mcpUrl, compliance);
  const challenged = opened.kind === 'challenge';
  const bearer = challenged ? opened.bearer : undefined;
  if (challenged && opened.status === 401)
    compliance.record(COMPLIANCE.bearerChallenge, bearer !== undefined, {
      status: 401,
      header: 'WWW-Authenticate',
    });
  const prm = fetchPrm(mcpUrl, bearer?.resourceMetadata);
  const origin = (parseUrl(mcpUrl) as NonNullable<ReturnType<typeof parseUrl>>).origin;
  compliance.record(COMPLIANCE.prmPresent, prm !== undefined, {
    looked: 'WWW-Authenticate and well-known URLs',
  });

  let issuer = origin;
  let authRevision: Discovery['authRevision'] = '2025-03-26';
  let resource = mcpUrl;
  if (prm) {
    authRevision = '2025-06-18';
    if (bearer)
      compliance.record(COMPLIANCE.resourceMetadata, bearer.resourceMetadata !== undefined, {
        header: 'WWW-Authenticate',
        missing: 'resource_metadata',
        foundAt: 'well-known URL',
      });
    const matches = typeof prm.resource === 'string' && resourceCovers(prm.resource, mcpUrl);
    compliance.record(COMPLIANCE.resourceMatches, matches, {
      field: 'resource',
      prmResource: urlEvidence(typeof prm.resource === 'string' ? prm.resource : undefined),
      mcpUrl: urlEvidence(mcpUrl),
    });
    if (!matches)
      fail(STEP, 'resource_mismatch', 'PRM resource does not cover the MCP URL; no token will be sent');
    resource = prm.resource as string;
    const first = prm.authorization_servers?.[0];
    if (typeof first !== 'string' || !parseUrl(first))
      fail(STEP, 'invalid_metadata', 'PRM lists no authorization_servers');
    issuer = first;
  }

  const found = fetchAsMetadata(issuer, compliance);
  if (!found && prm)
    fail(STEP, 'invalid_metadata', 'no RFC 8414 or OpenID metadata for the authorization server');
  if (!found)
    compliance.record(COMPLIANCE.asMetadataPresent, false, {
      fallback: '/authorize, /token, /register on the MCP origin',
    });
  const as = found?.as ?? fixedEndpoints(origin);
  if (found && options.needsPkce) {
    const s256 = (as.code_challenge_methods_supported ?? []).includes('S256');
    compliance.record(COMPLIANCE.s256Advertised, s256, { field: 'code_challenge_methods_supported' });
    if (!s256) fail(STEP, 'pkce_unsupported', 'authorization server does not advertise PKCE S256');
  }
  if (options.needsPkce && typeof as.authorization_endpoint !== 'string')
    fail(STEP, 'invalid_metadata', 'authorization server metadata has no authorization_endpoint');
  return {
    resource,
    source: found?.source ?? 'fixed_endpoints',
    authRevision,
    issuer,
    as,
    scope: chooseScope(options.scope, bearer, prm),
    scopesSupported: prm?.scopes_supported?.join(' ') || undefined,
  };
}
