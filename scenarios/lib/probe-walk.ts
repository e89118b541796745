/**
 * The credentialed probe's walk, as a real MCP client goes: it first sends `initialize` without a
 * token. A protected server answers 401 and the walk authorizes (discovery, registration,
 * authorization, token) before initialize; a server that serves MCP without a token is walked
 * unauthenticated until its first 401/403, where the walk authorizes with the scope that challenge
 * names and retries the call (a bounded number of times, walk.ts). Then tools/list (hashed),
 * tools/call, refresh (rotation), stream, session end, each step named and timed; last the
 * old-refresh-token reuse check (a server that detects reuse may revoke the whole grant). What the
 * server does differently from the spec becomes a finding (compliance.ts), not a failure.
 */
import { sha256 } from 'k6/crypto';
import type { ProbeResult } from '../catalog/index.ts';
import { COMPLIANCE } from './compliance.ts';
import type { Config } from './config.ts';
import { discover, openUnauthenticated, type Discovery, type Opening } from './discovery.ts';
import { fail, StepUnsupported, type AuthChallenge } from './failures.ts';
import { authorizeOnce, obtainTokens, unionScopes, type FlowContext } from './flows.ts';
import { audienceIncludes } from './jwt.ts';
import { callTool, endSession, initialize, listTools, openedSession, ping, type McpSession } from './mcp.ts';
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

/** Steps a walk skips when the server never asked for authorization. */
const AUTH_STEPS = ['discovery', 'registration', 'authorization', 'token', 'refresh'] as const;

interface WalkState {
  ctx?: FlowContext;
  tokens?: TokenSet;
  scope?: string;
  session?: McpSession;
  usedRefreshToken?: string;
}

/** Tokens by the configured grant, as walk steps (authorization, token). */
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
  if (audienceOk !== undefined)
    walk.compliance.record(COMPLIANCE.tokenAudience, audienceOk, { claim: 'aud', expected: 'the resource' });
}

/** The first authorization, as steps: discovery (from the server's challenge), registration, tokens. */
async function firstAuthorization(walk: Walk, config: Config, state: WalkState, opening?: Opening) {
  const needsPkce = config.grant === 'authorization_code';
  const discovery: Discovery = await walk.step('discovery', () =>
    discover({ mcpUrl: config.mcpUrl, scope: config.scope, needsPkce }, walk.compliance, opening),
  );
  walk.note(
    'discovery',
    `${discovery.authRevision === '2025-03-26' ? 'no PRM (2025-03-26)' : 'PRM'}; AS metadata: ${discovery.source}`,
  );
  const client: Client = await walk.step('registration', () => register(config, discovery, walk.compliance));
  walk.note('registration', `${REGISTRATION_NOTES[client.kind]}; token auth ${client.auth}`);
  state.ctx = { config, discovery, client };
  state.scope = discovery.scope;
  await authorizeAndExchange(walk, state.ctx, state);
}

/**
 * Answers a challenge of the MCP server: the first authorization, or a step-up with the union of
 * scopes (inside the step that was refused, as the SDK's client does).
 */
function authorizer(walk: Walk, config: Config, state: WalkState) {
  return async (challenge: AuthChallenge): Promise<void> => {
    // The first authorization of a server that challenged at once is not an answer to a refusal.
    if (state.ctx) walk.authorizations++;
    if (!state.ctx) {
      await firstAuthorization(walk, config, state, {
        kind: 'challenge',
        status: challenge.status ?? 401,
        bearer: challenge.challenge,
      });
    } else {
      // A 403 that names no scope: ask for what the PRM says the server supports.
      const wider = unionScopes(state.scope, challenge.requiredScope ?? state.ctx.discovery.scopesSupported);
      // A 403 asking for nothing new cannot be answered by asking again.
      if (challenge.status === 403 && wider === state.scope) throw challenge;
      state.scope = wider;
      const { tokens } = await obtainTokens(state.ctx, state.scope);
      state.tokens = { ...tokens, refreshToken: tokens.refreshToken ?? state.tokens?.refreshToken };
    }
    if (state.session && state.tokens) state.session.token = state.tokens.accessToken;
  };
}

async function refreshStep(walk: Walk, state: WalkState): Promise<void> {
  const ctx = state.ctx;
  const current = state.tokens?.refreshToken;
  if (!ctx || !current) {
    walk.skip(
      'refresh',
      !ctx
        ? 'the server never asked for authorization'
        : ctx.config.grant === 'client_credentials'
          ? 'client_credentials grant: no refresh token'
          : 'the server issued no refresh token',
    );
    return;
  }
  await walk.step('refresh', async () => {
    const outcome = await refresh(ctx, current);
    recordDuration('oauthTokenRefreshDuration', outcome.res.timings.duration, 'probe');
    // A public client must get a new refresh token (OAuth 2.1); a client still gets through
    // without one, so it is a finding, not a failure.
    if (ctx.client.auth === 'none')
      walk.compliance.record(COMPLIANCE.refreshRotates, outcome.rotated, { client: 'public' });
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
    if (sse.streamableStatus !== undefined)
      walk.compliance.record(COMPLIANCE.streamGet405, sse.streamableStatus === 405, {
        method: 'GET',
        status: sse.streamableStatus,
      });
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

/** Opens the session: unauthenticated when the server allows it, else after the first authorization. */
async function openSession(walk: Walk, config: Config, state: WalkState): Promise<void> {
  const opening = await walk.attempt('discovery', () => openUnauthenticated(config.mcpUrl, walk.compliance));
  if (opening.kind === 'open') {
    // Served without a token: the walk goes on as a client would, authorizing when asked to.
    state.session = await walk.step('initialize', () => openedSession(config.mcpUrl, opening.res));
    return;
  }
  await firstAuthorization(walk, config, state, opening);
  const connectStarted = Date.now();
  const token = (state.tokens as TokenSet).accessToken;
  state.session = await walk.authorizedStep(
    'initialize',
    () => initialize(config.mcpUrl, state.tokens?.accessToken ?? token, walk.compliance),
    authorizer(walk, config, state),
  );
  recordDuration('mcpConnectionDuration', Date.now() - connectStarted, 'probe', {
    transport: 'streamable_http',
  });
}

async function walkSteps(walk: Walk, config: Config, state: WalkState): Promise<void> {
  await openSession(walk, config, state);
  const session = state.session as McpSession;
  const answer = authorizer(walk, config, state);

  const tools = await walk.authorizedStep('tools_list', () => listTools(session, walk.compliance), answer);
  walk.toolCount = tools.length;
  walk.toolsHash = sha256(canonicalJson(tools), 'hex');

  const call = await walk.authorizedStep(
    'tools_call',
    () => callTool(session, config.probeTool, config.probeToolArgs, walk.compliance),
    answer,
  );
  recordDuration('mcpToolExecutionDuration', call.res.timings.duration, 'probe', { tool: config.probeTool });

  if (!state.ctx) for (const step of AUTH_STEPS) walk.skip(step, 'the server never asked for authorization');
  else await refreshStep(walk, state);
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
  const walk = new Walk(config.strict);
  const state: WalkState = {};
  let completed = false;
  try {
    await walkSteps(walk, config, state);
    if (state.ctx && state.usedRefreshToken) {
      const rejected = await oldRefreshRejected(state.ctx, state.usedRefreshToken);
      walk.compliance.record(COMPLIANCE.oldRefreshRejected, rejected, {
        grant: 'refresh_token',
        reused: true,
      });
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
