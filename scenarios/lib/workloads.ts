/**
 * The load workloads (catalog WORKLOADS[].exec): one exported function per workload, shared by
 * oauth.ts, mcp.ts and comprehensive.ts. Each iteration records its outcome on the contract's
 * metrics (step/reason/flow tags) and one readable check; failures never throw out of an iteration.
 */
import { check } from 'k6';
import type { Flow, Step } from '../catalog/index.ts';
import { classifyThrown, fail } from './failures.ts';
import { obtainTokens, withStepUp } from './flows.ts';
import { callTool, listTools, rpc } from './mcp.ts';
import { recordDuration, recordOutcome } from './metrics.ts';
import { holdStreams } from './streams.ts';
import { refresh } from './token.ts';
import {
  flowContext,
  forgetAfter,
  replaceTokens,
  vuConfig,
  vuSession,
  vuTokens,
  type LoadSetupData,
} from './vu-state.ts';

export type { LoadSetupData };

const warned = new Set<string>();
/** One console line per VU for a condition that would otherwise repeat every iteration. */
function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(message);
}

/** Runs one iteration's work; a failure is classified, recorded and turned into `false`. */
async function attempt(flow: Flow, step: Step, work: () => Promise<void> | void): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    // A StepFailure keeps the step it happened in (e.g. `token` while getting this VU's tokens).
    const failure = classifyThrown(step, error);
    recordOutcome({ step: failure.step, flow, ok: false, reason: failure.reason, status: failure.status });
    forgetAfter(failure);
    return false;
  }
}

export async function authorizationFlow(data: LoadSetupData): Promise<void> {
  const ctx = await flowContext(data);
  const ok = await attempt('auth_flow', 'authorization', async () => {
    const started = Date.now();
    await obtainTokens(ctx, data.discovery.scope);
    recordDuration('oauthAuthFlowDuration', Date.now() - started, 'auth_flow');
    recordOutcome({ step: 'token', flow: 'auth_flow', ok: true });
  });
  check(ok, { 'authorization flow yields tokens': (v) => v });
}

export async function tokenRefresh(data: LoadSetupData): Promise<void> {
  const ctx = await flowContext(data);
  if (ctx.config.grant === 'client_credentials') {
    warnOnce(
      'cc-refresh',
      'token_refresh: GRANT=client_credentials has no refresh token; nothing to measure',
    );
    return;
  }
  const ok = await attempt('token_refresh', 'refresh', async () => {
    const current = await vuTokens(data);
    if (!current.refreshToken) {
      warnOnce('no-refresh', 'token_refresh: the server issued no refresh token; nothing to measure');
      return;
    }
    const outcome = await refresh(ctx, current.refreshToken);
    recordDuration('oauthTokenRefreshDuration', outcome.res.timings.duration, 'token_refresh');
    if (ctx.client.auth === 'none' && !outcome.rotated)
      fail('refresh', 'refresh_not_rotated', 'a public client got the same refresh token back');
    replaceTokens({ ...outcome.tokens, scope: current.scope });
    recordOutcome({ step: 'refresh', flow: 'token_refresh', ok: true });
  });
  check(ok, { 'token refresh succeeds': (v) => v });
}

export async function sessionValidation(data: LoadSetupData): Promise<void> {
  const ok = await attempt('session_validation', 'tools_list', async () => {
    const session = await vuSession(data, 'session_validation');
    // An ordinary authorized call: the server validates the bearer token and the session.
    const { res } = rpc(session, 'tools_list', 'tools/list', {});
    recordDuration('oauthSessionValidationDuration', res.timings.duration, 'session_validation');
    recordOutcome({ step: 'tools_list', flow: 'session_validation', ok: true });
  });
  check(ok, { 'authorized MCP call accepted': (v) => v });
}

export async function toolExecution(data: LoadSetupData): Promise<void> {
  const ctx = await flowContext(data);
  const { probeTool, probeToolArgs } = ctx.config;
  const ok = await attempt('tool_execution', 'tools_call', async () => {
    const session = await vuSession(data, 'tool_execution');
    const current = await vuTokens(data);
    const auth = {
      scope: current.scope,
      accessToken: current.accessToken,
      refreshToken: current.refreshToken,
    };
    const call = await withStepUp(ctx, auth, (accessToken) => {
      session.token = accessToken;
      return callTool(session, probeTool, probeToolArgs);
    });
    if (auth.accessToken !== current.accessToken) replaceTokens({ ...current, ...auth });
    recordDuration('mcpToolExecutionDuration', call.res.timings.duration, 'tool_execution', {
      tool: probeTool,
    });
    recordOutcome({ step: 'tools_call', flow: 'tool_execution', ok: true });
  });
  check(ok, { 'tool call succeeds': (v) => v });
}

export async function streamingConnections(data: LoadSetupData): Promise<void> {
  const config = await vuConfig();
  const ok = await attempt('streaming', 'stream', async () => {
    const session = await vuSession(data, 'streaming');
    const { websocket, sse } = await holdStreams(config, session, config.streamHoldSeconds * 1000);
    if (websocket.kind === 'held')
      recordDuration('mcpConnectionDuration', websocket.connectMs, 'streaming', { transport: 'websocket' });
    if (websocket.kind === 'refused')
      warnOnce(
        'ws-refused',
        `streaming: WebSocket refused (${websocket.detail}); holding the event stream only`,
      );
    if (sse.kind === 'not_offered')
      warnOnce('sse-absent', 'streaming: the server offers no GET event stream and no legacy SSE endpoint');
    const held = (websocket.kind === 'held' ? 1 : 0) + (sse.kind === 'held' ? 1 : 0);
    if (sse.kind === 'failed') fail('stream', sse.reason, `event stream: ${sse.detail}`);
    if (websocket.kind === 'failed') fail('stream', websocket.reason, `websocket: ${websocket.detail}`);
    if (held === 0) fail('stream', 'unsupported', 'no WebSocket and no event stream offered');
    recordOutcome({ step: 'stream', flow: 'streaming', ok: true });
  });
  check(ok, { 'streams held for the hold time': (v) => v });
}

export async function concurrentApi(data: LoadSetupData): Promise<void> {
  const config = await vuConfig();
  const ok = await attempt('concurrent_api', 'tools_list', async () => {
    const session = await vuSession(data, 'concurrent_api');
    listTools(session);
    recordOutcome({ step: 'tools_list', flow: 'concurrent_api', ok: true });
    const call = callTool(session, config.probeTool, config.probeToolArgs);
    recordDuration('mcpToolExecutionDuration', call.res.timings.duration, 'concurrent_api', {
      tool: config.probeTool,
    });
    recordOutcome({ step: 'tools_call', flow: 'concurrent_api', ok: true });
  });
  check(ok, { 'mixed API calls succeed': (v) => v });
}
