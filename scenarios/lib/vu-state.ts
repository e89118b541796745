/**
 * Shared set-up for the load scripts and each VU's own credentials. Discovery and registration
 * run once in setup() (one client for the run); every VU then obtains its own tokens and MCP
 * session lazily and keeps them across iterations, re-authorizing when they stop working.
 */
import type { Flow } from '../catalog/index.ts';
import { Compliance } from './compliance.ts';
import { loadConfig, type Config } from './config.ts';
import { discover, type Discovery } from './discovery.ts';
import { classifyThrown, type StepFailure } from './failures.ts';
import { obtainTokens, type FlowContext } from './flows.ts';
import { initialize, type McpSession } from './mcp.ts';
import { recordOutcome } from './metrics.ts';
import { register, type Client } from './registration.ts';
import type { TokenSet } from './token.ts';

/** What setup() hands the VUs. A pre-registered client's secret is not in it (VUs read it themselves). */
export interface LoadSetupData {
  discovery: Discovery;
  client: Client;
}

/** setup(): discovery and registration once; a failure ends the run with a classified message. */
export async function prepareRun(): Promise<LoadSetupData> {
  const config = await loadConfig();
  try {
    const discovery = discover(
      { mcpUrl: config.mcpUrl, scope: config.scope, needsPkce: config.grant === 'authorization_code' },
      new Compliance(),
    );
    const client = register(config, discovery);
    recordOutcome({ step: 'registration', flow: 'auth_flow', ok: true });
    return {
      discovery,
      client: client.kind === 'pre_registered' ? { ...client, clientSecret: undefined } : client,
    };
  } catch (error) {
    const failure = classifyThrown('discovery', error);
    recordOutcome({ step: failure.step, flow: 'auth_flow', ok: false, reason: failure.reason });
    throw new Error(`set-up failed at ${failure.step}: ${failure.reason} (${failure.detail})`);
  }
}

let config: Config | undefined;
let tokens: (TokenSet & { scope?: string; obtainedAt: number }) | undefined;
let session: McpSession | undefined;

export async function vuConfig(): Promise<Config> {
  config = config ?? (await loadConfig());
  return config;
}

export async function flowContext(data: LoadSetupData): Promise<FlowContext> {
  const cfg = await vuConfig();
  const client =
    data.client.kind === 'pre_registered' ? { ...data.client, clientSecret: cfg.clientSecret } : data.client;
  return { config: cfg, discovery: data.discovery, client };
}

function expired(): boolean {
  if (!tokens?.expiresIn) return false;
  // Renew a little early so an iteration never starts with a token about to lapse.
  return Date.now() - tokens.obtainedAt > (tokens.expiresIn - 10) * 1000;
}

/** This VU's tokens, obtained (not timed as a flow) when missing or expired. */
export async function vuTokens(data: LoadSetupData): Promise<TokenSet & { scope?: string }> {
  if (tokens && !expired()) return tokens;
  const ctx = await flowContext(data);
  const { tokens: fresh } = await obtainTokens(ctx, data.discovery.scope);
  tokens = { ...fresh, scope: data.discovery.scope, obtainedAt: Date.now() };
  session = undefined;
  return tokens;
}

export function replaceTokens(next: TokenSet & { scope?: string }): void {
  tokens = { ...next, obtainedAt: Date.now() };
  if (session) session.token = next.accessToken;
}

/** This VU's MCP session (initialized when missing). */
export async function vuSession(data: LoadSetupData, flow: Flow): Promise<McpSession> {
  const current = await vuTokens(data);
  if (session) return session;
  const cfg = await vuConfig();
  session = initialize(cfg.mcpUrl, current.accessToken);
  recordOutcome({ step: 'initialize', flow, ok: true });
  return session;
}

/** After a failure: an invalid token or ended session is dropped so the next iteration starts clean. */
export function forgetAfter(failure: StepFailure): void {
  if (['invalid_token', 'insufficient_scope', 'invalid_grant'].includes(failure.reason)) tokens = undefined;
  if (failure.reason === 'session_expired' || failure.reason === 'session_missing' || !tokens)
    session = undefined;
}
