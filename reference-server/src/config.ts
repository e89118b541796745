import { randomBytes } from 'node:crypto';

/** A client known to the authorization server before any request (oidc-provider client metadata). */
export interface PreRegisteredClient {
  client_id: string;
  client_secret?: string;
  grant_types?: string[];
  redirect_uris?: string[];
  response_types?: string[];
  token_endpoint_auth_method?: 'none' | 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  token_endpoint_auth_signing_alg?: string;
  scope?: string;
  jwks?: { keys: Array<Record<string, unknown>> };
  [key: string]: unknown;
}

/**
 * Ways real MCP servers differ. The default is the 2025-06-18 behaviour with every feature on;
 * the scenarios test their discovery logic against each variation.
 */
export interface TargetVariant {
  /** Where the Protected Resource Metadata lives: path-aware + root, root only, a custom URL, or none (2025-03-26). */
  prm: 'path' | 'root' | 'custom' | 'none';
  /** Which authorization-server metadata documents are served. */
  asMetadata: 'oauth' | 'openid' | 'both';
  /** Path component of the issuer, e.g. '/auth' ('' = the origin). */
  issuerPath: string;
  refreshTokens: boolean;
  /** Streamable HTTP answers: SSE streams or plain JSON bodies. */
  responseMode: 'sse' | 'json';
  /** No Mcp-Session-Id: every POST is served by a fresh transport. */
  stateless: boolean;
  websocket: boolean;
  /** Advertise this (wrong) resource in the PRM instead of the real MCP URL. */
  prmResource?: string;
  clientIdMetadataDocuments: boolean;
  clientCredentials: boolean;
  legacySse: boolean;
  /**
   * Name the PRM in the 401/403 challenge (`resource_metadata`). false: the challenge carries only
   * `error` and `scope`, clients must find the PRM at its well-known URL (allowed since 2025-06-18).
   */
  challengeResourceMetadata: boolean;
  /**
   * The `issuer` the AS metadata documents report: the real one, or the bare origin (a tenant AS
   * at https://host/tenant1 whose metadata says https://host). 'origin' needs an issuerPath.
   */
  metadataIssuer: 'issuer' | 'origin';
  /**
   * From which MCP message a token is needed on Streamable HTTP: every one ('initialize'), or
   * only from `tools/call` on, refused with a 401 or a 403 insufficient_scope challenge.
   */
  authRequiredFrom: 'initialize' | 'tools_call_401' | 'tools_call_403';
  /** DCR answers with the requested auth method, or always makes a confidential client with this one. */
  registrationAuthMethod: 'as_requested' | 'client_secret_basic' | 'client_secret_post';
  /** GET /mcp: the server's SSE stream, 405 (no stream offered) or 404 (a deviation). */
  streamGet: 'sse' | '405' | '404';
  /**
   * false: the MCP endpoint's 401s carry no WWW-Authenticate at all (a deviation); the PRM is
   * still served at its well-known URLs. 403 challenges are unchanged.
   */
  challengeHeader: boolean;
  /** Whether a 403 insufficient_scope challenge names the scope needed (`scope="…"`). */
  insufficientScopeChallenge: 'with_scope' | 'without_scope';
  /** false: a refresh returns the same refresh token again, for every client (public ones too). */
  refreshRotation: boolean;
  /**
   * The `aud` of access tokens: the MCP URL, or OTHER_TOKEN_AUDIENCE (a server whose AS mints
   * tokens for another resource and that accepts them anyway).
   */
  tokenAudience: 'resource' | 'other';
}

/** The audience of access tokens with `tokenAudience: 'other'`: not the MCP URL, not even its origin. */
export const OTHER_TOKEN_AUDIENCE = 'https://elsewhere.example/api';

/** The `aud` of the access tokens the AS issues for the MCP resource (read by the AS and the verifier). */
export function accessTokenAudience(variant: TargetVariant, mcpResource: string): string {
  return variant.tokenAudience === 'other' ? OTHER_TOKEN_AUDIENCE : mcpResource;
}

export interface UpstreamSimulation {
  latencyMs?: { median: number; p99: number };
  errorRate?: number;
}

export interface TargetOptions {
  host?: string;
  port?: number;
  publicUrl?: string;
  redisUrl?: string;
  loginMode?: boolean;
  users?: Array<{ username: string; password: string }>;
  clients?: PreRegisteredClient[];
  scopes?: string[];
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  adminToken?: string;
  allowedHosts?: string[];
  upstream?: UpstreamSimulation;
  logLevel?: string;
  variant?: Partial<TargetVariant>;
  /** Largest accepted JSON-RPC body in bytes (413 above). */
  maxBodyBytes?: number;
  /** Idle MCP sessions are dropped after this many seconds. */
  sessionTtlSeconds?: number;
}

export const DEFAULT_VARIANT: TargetVariant = {
  prm: 'path',
  asMetadata: 'both',
  issuerPath: '',
  refreshTokens: true,
  responseMode: 'sse',
  stateless: false,
  websocket: true,
  clientIdMetadataDocuments: true,
  clientCredentials: true,
  legacySse: true,
  challengeResourceMetadata: true,
  metadataIssuer: 'issuer',
  authRequiredFrom: 'initialize',
  registrationAuthMethod: 'as_requested',
  streamGet: 'sse',
  challengeHeader: true,
  insufficientScopeChallenge: 'with_scope',
  refreshRotation: true,
  tokenAudience: 'resource',
};

/** The allowed values of the variants that imitate servers in the wild, checked by resolveConfig. */
const CHOICES: { [K in keyof TargetVariant]?: ReadonlyArray<TargetVariant[K]> } = {
  challengeResourceMetadata: [true, false],
  metadataIssuer: ['issuer', 'origin'],
  authRequiredFrom: ['initialize', 'tools_call_401', 'tools_call_403'],
  registrationAuthMethod: ['as_requested', 'client_secret_basic', 'client_secret_post'],
  streamGet: ['sse', '405', '404'],
  challengeHeader: [true, false],
  insufficientScopeChallenge: ['with_scope', 'without_scope'],
  refreshRotation: [true, false],
  tokenAudience: ['resource', 'other'],
};

function checkVariant(variant: TargetVariant) {
  for (const [key, allowed] of Object.entries(CHOICES) as Array<[keyof TargetVariant, unknown[]]>) {
    const value = variant[key];
    if (!allowed.includes(value)) {
      const names = allowed.map((choice) => JSON.stringify(choice)).join(', ');
      throw new Error(`variant.${key} must be one of ${names}, got ${JSON.stringify(value)}`);
    }
  }
  if (variant.metadataIssuer === 'origin' && !variant.issuerPath) {
    throw new Error(
      'variant.metadataIssuer "origin" needs a non-empty variant.issuerPath (e.g. "/tenant1"): ' +
        'without one the origin is the issuer and nothing would differ',
    );
  }
}

export const DEFAULT_SCOPES = ['mcp:tools', 'mcp:admin'];
/** The scope an MCP client needs for the ordinary tools. */
export const MCP_SCOPE = 'mcp:tools';
export const ADMIN_SCOPE = 'mcp:admin';

/** A machine client for client_credentials probes, registered unless the options name their own clients. */
export const DEFAULT_MACHINE_CLIENT: PreRegisteredClient = {
  client_id: 'vigil-probe',
  client_secret: 'vigil-probe-secret-change-me',
  grant_types: ['client_credentials'],
  redirect_uris: [],
  response_types: [],
  token_endpoint_auth_method: 'client_secret_basic',
  scope: DEFAULT_SCOPES.join(' '),
};

export const DEFAULT_USERS = [{ username: 'demo', password: 'demo-password' }];

/** Options with every default filled in; what the rest of the server reads. */
export interface ResolvedConfig {
  host: string;
  port: number;
  publicUrl?: string;
  redisUrl?: string;
  loginMode: boolean;
  users: Array<{ username: string; password: string }>;
  clients: PreRegisteredClient[];
  scopes: string[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  adminToken: string;
  allowedHosts?: string[];
  upstream: { latencyMs: { median: number; p99: number }; errorRate: number };
  logLevel: string;
  variant: TargetVariant;
  maxBodyBytes: number;
  sessionTtlSeconds: number;
}

export function resolveConfig(options: TargetOptions = {}): ResolvedConfig {
  const variant = { ...DEFAULT_VARIANT, ...options.variant };
  if (variant.issuerPath && !/^\/[\w\-/]*[^/]$/.test(variant.issuerPath)) {
    throw new Error(
      `variant.issuerPath must start with "/" and not end with one, got "${variant.issuerPath}"`,
    );
  }
  checkVariant(variant);
  const port = options.port ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`port must be 0..65535, got ${port}`);
  const errorRate = options.upstream?.errorRate ?? 0;
  if (errorRate < 0 || errorRate > 1)
    throw new Error(`upstream.errorRate must be within 0..1, got ${errorRate}`);
  return {
    host: options.host ?? '127.0.0.1',
    port,
    publicUrl: options.publicUrl?.replace(/\/$/, ''),
    redisUrl: options.redisUrl || undefined,
    loginMode: options.loginMode ?? false,
    users: options.users ?? DEFAULT_USERS,
    clients: options.clients ?? [DEFAULT_MACHINE_CLIENT],
    scopes: options.scopes ?? DEFAULT_SCOPES,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 300,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 3600,
    adminToken: options.adminToken ?? randomBytes(24).toString('base64url'),
    allowedHosts: options.allowedHosts,
    upstream: {
      latencyMs: options.upstream?.latencyMs ?? { median: 50, p99: 400 },
      errorRate,
    },
    logLevel: options.logLevel ?? 'info',
    variant,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    sessionTtlSeconds: options.sessionTtlSeconds ?? 1800,
  };
}
