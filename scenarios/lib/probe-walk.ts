/**
 * The credentialed probe's walk: discovery, registration, authorization, token, initialize,
 * tools/list (hashed), tools/call (with step-up), refresh (rotation), stream, session end —
 * each step named and timed; then the old-refresh-token reuse check (compliance only: a server
 * that detects reuse may revoke the whole grant, so it runs after every step that needs a token).
 */
import { sha256 } from 'k6/crypto';
import type { ProbeResult } from '../catalog/index.ts';
import { COMPLIANCE } from './compliance.ts';
import type { Config } from './config.ts';
import { discover, type Discovery } from './discovery.ts';
import { fail, StepUnsupported } from './failures.ts';
import { authorizeOnce, withStepUp, type FlowContext } from './flows.ts';
import { audienceIncludes } from './jwt.ts';
import { callTool, endSession, initialize, listTools, ping, type McpSession } from './mcp.ts';
import { canonicalJson } from './mcp-protocol.ts';
import { recordDuration } from './metrics.ts';
import { register, type Client } from './registration.ts';
import { holdStreams } from './streams.ts';
import { clientCredentials, exchangeCode, oldRefreshRejected, refresh, type TokenSet } from './token.ts';
import { Walk, WalkStopped } from './walk.ts';

/** How long the probe holds its stream(s): long enough to prove the server keeps one open. */
const PROBE_STREAM_HOLD_MS = 1000;

const REGISTRATION_NOTES: Record<Client['kind'], string> = {
  pre_registered: 'pre-registered client',
  metadata_document: 'client ID metadata document',
  dynamic: 'dynamic client registration',
};

interface WalkState {
  ctx?: FlowContext;
  tokens?: TokenSet;
  scope?: string;
  session?: McpSession;
  usedRefreshToken?: string;
}

async function authorizeAndExchange(walk: Walk, ctx: FlowContext, state: WalkState): Promise<void> {
  const flowStarted = Date.now();
  if (ctx.config.grant === 'client_credentials') {
    walk.skip('authorization', 'client_credentials grant: no user authorization');
    state.tokens = (await walk.step('token', () => clientCredentials(ctx, state.scope))).tokens;
  } else {
    const { code, verifier } = await walk.step('authorization', () => authorizeOnce(ctx, state.scope));
    state.tokens = (await walk.step('token', () => exchangeCode(ctx, code, verifier))).tokens;
  }
  recordDuration('oauthAuthFlowDuration', Date.now() - flowStarted, 'probe');
  walk.tokenExpiresInSeconds = state.tokens.expiresIn;
  const audienceOk = audienceIncludes(state.tokens.accessToken, ctx.discovery.resource);
  if (audienceOk !== undefined) walk.compliance.record(COMPLIANCE.tokenAudience, audienceOk);
}

async function refreshStep(walk: Walk, ctx: FlowContext, state: WalkState): Promise<void> {
  const current = state.tokens?.refreshToken;
  if (!current) {
    walk.skip(
      'refresh',
      ctx.config.grant === 'client_credentials'
        ? 'client_credentials grant: no refresh token'
        : 'the server issued no refresh token',
    );
    return;
  }
  await walk.step('refresh', async () => {
    const outcome = await refresh(ctx, current);
    recordDuration('oauthTokenRefreshDuration', outcome.res.timings.duration, 'probe');
    const isPublic = ctx.client.auth === 'none';
    if (isPublic) walk.compliance.record(COMPLIANCE.refreshRotates, outcome.rotated);
    if (isPublic && !outcome.rotated)
      fail('refresh', 'refresh_not_rotated', 'a public client got the same refresh token back');
    state.tokens = outcome.tokens;
    state.usedRefreshToken = outcome.rotated ? current : undefined;
    // The refreshed access token must work: one authorized MCP call (session validation).
    const session = state.session as McpSession;
    session.token = outcome.tokens.accessToken;
    const res = ping(session, 'refresh');
    recordDuration('oauthSessionValidationDuration', res.timings.duration, 'probe');
  });
}

async function streamStep(walk: Walk, config: Config, state: WalkState): Promise<void> {
  const held = await walk.step('stream', async () => {
    const { websocket, sse } = await holdStreams(config, state.session as McpSession, PROBE_STREAM_HOLD_MS);
    if (websocket.kind === 'held')
      recordDuration('mcpConnectionDuration', websocket.connectMs, 'probe', { transport: 'websocket' });
    if (websocket.kind === 'failed') fail('stream', websocket.reason, `websocket: ${websocket.detail}`);
    if (sse.kind === 'failed') fail('stream', sse.reason, `event stream: ${sse.detail}`);
    const held = [
      websocket.kind === 'held' ? 'websocket' : '',
      sse.kind === 'held' ? (sse.transport ?? 'sse') : '',
    ].filter(Boolean);
    if (held.length === 0)
      throw new StepUnsupported('stream', 'the server offers no WebSocket and no event stream');
    if (websocket.kind === 'refused')
      throw new StepUnsupported('stream', `websocket refused (${websocket.detail}); held ${held.join(', ')}`);
    return held;
  });
  if (held) walk.note('stream', `held ${held.join(', ')}`);
}

async function walkSteps(walk: Walk, config: Config, state: WalkState): Promise<void> {
  const needsPkce = config.grant === 'authorization_code';
  const discovery: Discovery = await walk.step('discovery', () =>
    discover({ mcpUrl: config.mcpUrl, scope: config.scope, needsPkce }, walk.compliance),
  );
  walk.note(
    'discovery',
    `${discovery.authRevision === '2025-03-26' ? 'no PRM (2025-03-26)' : 'PRM'}; AS metadata: ${discovery.source}`,
  );
  const client: Client = await walk.step('registration', () => register(config, discovery));
  walk.note('registration', `${REGISTRATION_NOTES[client.kind]}; token auth ${client.auth}`);
  const ctx: FlowContext = { config, discovery, client };
  state.ctx = ctx;
  state.scope = discovery.scope;
  await authorizeAndExchange(walk, ctx, state);
  const tokens = state.tokens as TokenSet;

  const connectStarted = Date.now();
  state.session = await walk.step('initialize', () =>
    initialize(config.mcpUrl, tokens.accessToken, walk.compliance),
  );
  recordDuration('mcpConnectionDuration', Date.now() - connectStarted, 'probe', {
    transport: 'streamable_http',
  });
  const session = state.session;

  const tools = await walk.step('tools_list', () => listTools(session, walk.compliance));
  walk.toolCount = tools.length;
  walk.toolsHash = sha256(canonicalJson(tools), 'hex');

  await walk.step('tools_call', async () => {
    const auth = { scope: state.scope, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
    const call = await withStepUp(ctx, auth, (accessToken) => {
      session.token = accessToken;
      return callTool(session, config.probeTool, config.probeToolArgs, walk.compliance);
    });
    state.scope = auth.scope;
    state.tokens = { ...tokens, accessToken: auth.accessToken, refreshToken: auth.refreshToken };
    recordDuration('mcpToolExecutionDuration', call.res.timings.duration, 'probe', {
      tool: config.probeTool,
    });
  });

  await refreshStep(walk, ctx, state);
  await streamStep(walk, config, state);
  await walk.step('session_end', () => {
    const ended = endSession(session);
    if (ended !== 'ended')
      throw new StepUnsupported(
        'session_end',
        ended === 'stateless' ? 'stateless server: no session to end' : 'DELETE not allowed (405)',
      );
  });
}

/** Runs the whole walk; never throws. `completed` is true only when the last step was reached. */
export async function runProbeWalk(config: Config): Promise<{ result: ProbeResult; completed: boolean }> {
  const walk = new Walk();
  const state: WalkState = {};
  let completed = false;
  try {
    await walkSteps(walk, config, state);
    if (state.ctx && state.usedRefreshToken) {
      walk.compliance.record(
        COMPLIANCE.oldRefreshRejected,
        await oldRefreshRejected(state.ctx, state.usedRefreshToken),
      );
    }
    completed = true;
  } catch (error) {
    if (!(error instanceof WalkStopped)) {
      // Outside any step (should not happen): classify rather than crash the run.
      walk.failedStep = walk.failedStep ?? 'discovery';
      console.error(
        `probe walk aborted outside a step: ${error instanceof Error ? error.name : typeof error}`,
      );
    }
  }
  walk.finishCompliance();
  return { result: walk.result(completed), completed };
}
