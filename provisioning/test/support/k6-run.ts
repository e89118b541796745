/**
 * k6 load runs as their remote-write output would push them (testkit's K6RemoteWriteRun, the
 * contract's shapes: native histograms, _rate gauges, _total counters): a longer run flushed three
 * times, so the time-window panels have two samples inside their rate window, and a short run that
 * pushes once (its final flush), as docs/design.md observed.
 */
import { K6RemoteWriteRun, type K6RunLabels } from '@vigil/testkit';

const LONG_RUN_PUSH_OFFSETS_MS = [-60_000, -30_000, -2_000];
const SHORT_RUN_PUSH_OFFSETS_MS = [-2_000];

function spread(from: number, to: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + ((to - from) * i) / Math.max(1, count - 1));
}

function addOneInterval(run: K6RemoteWriteRun, round: number): void {
  const scenario = { scenario: 'default' };
  run
    .trend('oauthAuthFlowDuration', spread(40, 180 + round * 30, 20), {
      ...scenario,
      flow: 'auth_flow',
      step: 'token',
      name: 'POST /token',
    })
    .trend('oauthTokenRefreshDuration', spread(10, 90, 20), {
      ...scenario,
      flow: 'token_refresh',
      step: 'refresh',
      name: 'POST /token',
    })
    .trend('oauthSessionValidationDuration', spread(5, 45, 20), {
      ...scenario,
      flow: 'session_validation',
      step: 'tools_call',
      name: 'POST /mcp',
    })
    .rate('oauthSuccess', 19, 1, { ...scenario, step: 'token' })
    .rate('oauthSuccess', 20, 0, { ...scenario, step: 'authorization' })
    .counter('oauthErrors', 1, { ...scenario, step: 'token', reason: 'invalid_grant' })
    .trend('mcpToolExecutionDuration', spread(20, 450, 20), {
      ...scenario,
      tool: 'health',
      step: 'tools_call',
    })
    .trend('mcpToolExecutionDuration', spread(100, 700, 10), {
      ...scenario,
      tool: 'slow_echo',
      step: 'tools_call',
    })
    .trend('mcpConnectionDuration', spread(5, 60, 10), {
      ...scenario,
      transport: 'streamable_http',
      step: 'initialize',
    })
    .rate('mcpSuccess', 29, 1, { ...scenario, step: 'tools_call' })
    .counter('mcpErrors', 1, { ...scenario, step: 'tools_call', reason: 'tool_error', tool: 'slow_echo' })
    .gauge('mcpOpenConnections', 40 + round, { ...scenario, transport: 'streamable_http' })
    .gauge('vus', 10 + round)
    .gauge('vusMax', 20)
    .counter('iterations', 50, scenario)
    .counter('droppedIterations', 2, scenario)
    .counter('httpReqs', 200, { ...scenario, name: 'POST /mcp' })
    .rate('httpReqFailed', 1, 199, { ...scenario, name: 'POST /mcp' })
    .rate('checks', 199, 1, scenario);
}

/** Pushes a run: `long` flushes three times over a minute, `short` once. */
export async function pushLoadRun(
  remoteWriteUrl: string,
  run: K6RunLabels,
  length: 'long' | 'short',
  now = Date.now(),
): Promise<void> {
  const k6 = new K6RemoteWriteRun({ url: remoteWriteUrl, run, k6Major: 2 });
  const offsets = length === 'long' ? LONG_RUN_PUSH_OFFSETS_MS : SHORT_RUN_PUSH_OFFSETS_MS;
  for (const [round, offset] of offsets.entries()) {
    addOneInterval(k6, round);
    await k6.flush(now + offset);
  }
}
