/**
 * The scenario environment (docs/design.md table, catalog SCENARIO_ENV) read from `__ENV`, with the
 * secret ones taken from `k6/secrets` when a secret source is configured, else from `__ENV`.
 */
import secrets from 'k6/secrets';
import { strictSeverity, type FindingSeverity } from '../catalog/findings.ts';
import { SCENARIOS, type ScenarioId } from '../catalog/scenarios.ts';
import { parseUrl } from './url.ts';

export type Grant = 'authorization_code' | 'client_credentials';
export type TokenAuth = 'none' | 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

export interface Config {
  mcpUrl: string;
  profile: string;
  clientId?: string;
  clientSecret?: string;
  clientMetadataUrl?: string;
  redirectUri: string;
  scope?: string;
  loginUser?: string;
  loginPassword?: string;
  /** Form field names of the login page (LOGIN_USER_FIELD / LOGIN_PASSWORD_FIELD). */
  loginUserField: string;
  loginPasswordField: string;
  probeTool: string;
  probeToolArgs: Record<string, unknown>;
  grant: Grant;
  tokenAuth?: TokenAuth;
  clientPrivateKey?: string;
  clientKeyAlg: string;
  /** How long a streaming iteration holds its connections (STREAM_HOLD_SECONDS). */
  streamHoldSeconds: number;
  /** WebSocket endpoint (WS_URL); default `<MCP_URL>/ws` as ws(s)://. */
  wsUrl?: string;
  /** Legacy HTTP+SSE endpoint (SSE_URL); default `<origin>/sse`. */
  sseUrl?: string;
  /** STRICT: findings of this severity or worse fail the probe walk (undefined: none do). */
  strict?: FindingSeverity;
}

export const DEFAULT_REDIRECT_URI = 'http://127.0.0.1:8976/callback';
const GRANTS: readonly Grant[] = ['authorization_code', 'client_credentials'];
const TOKEN_AUTHS: readonly TokenAuth[] = [
  'none',
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
];

export class ConfigError extends Error {
  constructor(field: string, message: string) {
    super(`${field} ${message}`);
    this.name = 'ConfigError';
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

function parseToolArgs(text: string | undefined): Record<string, unknown> {
  if (!nonEmpty(text)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text as string);
  } catch {
    throw new ConfigError('PROBE_TOOL_ARGS', 'must be valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError('PROBE_TOOL_ARGS', 'must be a JSON object');
  return parsed as Record<string, unknown>;
}

function oneOf<T extends string>(
  field: string,
  allowed: readonly T[],
  value: string | undefined,
): T | undefined {
  const v = nonEmpty(value);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v))
    throw new ConfigError(field, `must be one of ${allowed.join(', ')}`);
  return v as T;
}

function defaultHoldSeconds(profile: string): number {
  return profile === 'smoke' ? 2 : 30;
}

/** The non-secret part of the configuration (synchronous: usable in the init context). */
export function readConfig(env: Record<string, string | undefined> = __ENV): Config {
  const mcpUrl = nonEmpty(env.MCP_URL);
  if (!mcpUrl)
    throw new ConfigError('MCP_URL', 'is required (the MCP endpoint, e.g. http://127.0.0.1:8080/mcp)');
  if (!parseUrl(mcpUrl)) throw new ConfigError('MCP_URL', 'must be an absolute http(s) URL');
  const redirectUri = nonEmpty(env.REDIRECT_URI) ?? DEFAULT_REDIRECT_URI;
  if (!parseUrl(redirectUri)) throw new ConfigError('REDIRECT_URI', 'must be an absolute URL');
  const profile = nonEmpty(env.PROFILE) ?? 'smoke';
  const hold = Number(env.STREAM_HOLD_SECONDS);
  const strict = strictSeverity(env.STRICT);
  if (strict === 'invalid')
    throw new ConfigError('STRICT', 'must be true, false or a severity: info, low, medium, high');
  return {
    mcpUrl,
    profile,
    clientId: nonEmpty(env.CLIENT_ID),
    clientSecret: nonEmpty(env.CLIENT_SECRET),
    clientMetadataUrl: nonEmpty(env.CLIENT_METADATA_URL),
    redirectUri,
    scope: nonEmpty(env.SCOPE),
    loginUser: nonEmpty(env.LOGIN_USER),
    loginPassword: env.LOGIN_PASSWORD,
    loginUserField: nonEmpty(env.LOGIN_USER_FIELD) ?? 'username',
    loginPasswordField: nonEmpty(env.LOGIN_PASSWORD_FIELD) ?? 'password',
    probeTool: nonEmpty(env.PROBE_TOOL) ?? 'health',
    probeToolArgs: parseToolArgs(env.PROBE_TOOL_ARGS),
    grant: oneOf('GRANT', GRANTS, env.GRANT) ?? 'authorization_code',
    tokenAuth: oneOf('TOKEN_AUTH', TOKEN_AUTHS, env.TOKEN_AUTH),
    clientPrivateKey: nonEmpty(env.CLIENT_PRIVATE_KEY),
    clientKeyAlg: nonEmpty(env.CLIENT_KEY_ALG) ?? 'ES256',
    streamHoldSeconds: Number.isFinite(hold) && hold > 0 ? hold : defaultHoldSeconds(profile),
    wsUrl: nonEmpty(env.WS_URL),
    sseUrl: nonEmpty(env.SSE_URL),
    strict,
  };
}

/** Names of the secret variables (catalog SECRET_ENV_NAMES) this file looks up in k6/secrets. */
const SECRET_FIELDS = {
  CLIENT_SECRET: 'clientSecret',
  LOGIN_PASSWORD: 'loginPassword',
  CLIENT_PRIVATE_KEY: 'clientPrivateKey',
} as const;

async function secretFromSource(name: string): Promise<string | undefined> {
  try {
    return nonEmpty(await secrets.get(name));
  } catch {
    // No secret source configured (k6 run without --secret-source), or the key is absent.
    return undefined;
  }
}

/** The full configuration: k6/secrets wins over `-e` for the secret variables. */
export async function loadConfig(env: Record<string, string | undefined> = __ENV): Promise<Config> {
  const config = readConfig(env);
  for (const [name, field] of Object.entries(SECRET_FIELDS)) {
    const value = await secretFromSource(name);
    if (value !== undefined) config[field] = value;
  }
  return config;
}

/** The WORKLOADS variable (comma-separated) limited to the scenario's workloads; undefined = all. */
export function workloadsFromEnv(
  scenario: ScenarioId,
  env: Record<string, string | undefined> = __ENV,
): string[] | undefined {
  const raw = nonEmpty(env.WORKLOADS);
  if (!raw) return undefined;
  const allowed: readonly string[] = SCENARIOS[scenario].workloads;
  const chosen = raw
    .split(',')
    .map((w) => w.trim())
    .filter((w) => allowed.includes(w));
  return chosen.length > 0 ? chosen : undefined;
}
