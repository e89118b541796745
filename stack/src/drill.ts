/**
 * `vigil drill <fault>`: proves the alert path end to end on a running stack. It makes every
 * request of one kind fail on the reference server (its fault injection, POST /admin/faults), so
 * the probe fails; waits for Alertmanager's firing notification of VigilProbeFailing to reach the
 * runner's receiver; removes the fault and waits for the resolved one. The fault is removed
 * however the drill ends (done, timed out, Ctrl-C).
 */
import { runningStack, secretOf } from './access.ts';
import { poll, request } from './http.ts';
import type { StackState } from './state.ts';

/** The reference server's fault paths (reference-server/src/faults.ts) and the probe step each breaks. */
export const DRILL_FAULTS = {
  authorize: 'authorization',
  token: 'token',
  tool_call: 'tools_call',
  refresh: 'refresh',
} as const;
export type DrillFault = keyof typeof DRILL_FAULTS;
export const DRILL_ALERT = 'VigilProbeFailing';

export interface DrillOptions {
  dataDir: string;
  fault: DrillFault;
  timeoutMs: number;
  /** Wait for the resolved notification too (default true). */
  resolve: boolean;
  out?: (line: string) => void;
  /** Aborts the wait (Ctrl-C); the fault is still removed. */
  signal?: AbortSignal;
}

export interface DrillResult {
  firingAfterMs: number;
  resolvedAfterMs?: number;
  step?: string;
}

interface Notification {
  id: number;
  status: 'firing' | 'resolved';
  alerts: Array<{ status: string; labels: Record<string, string> }>;
}

export async function drill(options: DrillOptions): Promise<DrillResult> {
  const out = options.out ?? ((line: string) => console.log(line));
  const state = runningStack(options.dataDir);
  if (!state.alertmanagerUrl || !state.prometheusUrl)
    throw new Error(
      'the drill needs Prometheus and Alertmanager, and this stack runs without them (vigil status)',
    );
  const runnerToken = secretOf(state, 'runner-token');
  const since = await latestNotification(state, runnerToken);

  await setFault(state, options.fault);
  const injectedAt = Date.now();
  out(
    `drill: every ${options.fault} request on ${state.referenceUrl} now fails with 503; waiting for ${DRILL_ALERT} to arrive (up to ${Math.round(options.timeoutMs / 1000)} s)…`,
  );
  try {
    const firing = await waitFor(state, runnerToken, since, 'firing', options);
    const result: DrillResult = {
      firingAfterMs: Date.now() - injectedAt,
      step: firing.alerts[0]?.labels.step,
    };
    out(
      `drill: firing notification received after ${(result.firingAfterMs / 1000).toFixed(1)} s (${DRILL_ALERT}, step ${result.step ?? '?'})`,
    );
    if (!options.resolve) return result;
    await clearFault(state, options.fault);
    const clearedAt = Date.now();
    out('drill: fault removed; waiting for the resolved notification…');
    await waitFor(state, runnerToken, firing.id, 'resolved', options);
    result.resolvedAfterMs = Date.now() - clearedAt;
    out(
      `drill: resolved notification received ${(result.resolvedAfterMs / 1000).toFixed(1)} s after the fault was removed`,
    );
    return result;
  } finally {
    await clearFault(state, options.fault).catch(() => undefined);
  }
}

async function latestNotification(state: StackState, token: string): Promise<number> {
  const res = await request(`${state.runnerUrl}/api/notifications?limit=1`, { token });
  if (res.status !== 200) throw new Error(`runner GET /api/notifications: ${res.status}`);
  return (res.body as { latestId: number }).latestId;
}

async function setFault(state: StackState, fault: DrillFault): Promise<void> {
  const res = await request(`${state.referenceUrl}/admin/faults`, {
    method: 'POST',
    token: secretOf(state, 'reference-admin-token'),
    body: JSON.stringify({ path: fault, errorRate: 1, status: 503, latencyMs: 0 }),
  });
  if (res.status >= 300)
    throw new Error(`reference server POST /admin/faults: ${res.status} ${JSON.stringify(res.body)}`);
}

async function clearFault(state: StackState, fault: DrillFault): Promise<void> {
  await request(`${state.referenceUrl}/admin/faults/${fault}`, {
    method: 'DELETE',
    token: secretOf(state, 'reference-admin-token'),
  });
}

function waitFor(
  state: StackState,
  token: string,
  afterId: number,
  status: 'firing' | 'resolved',
  options: DrillOptions,
): Promise<Notification> {
  return poll(
    `the ${status} ${DRILL_ALERT} notification`,
    async () => {
      if (options.signal?.aborted) throw new DrillAborted('drill interrupted');
      const res = await request(
        `${state.runnerUrl}/api/notifications?afterId=${afterId}&status=${status}&alertname=${DRILL_ALERT}&limit=10`,
        { token },
      );
      const items = (res.body as { items?: Notification[] }).items ?? [];
      return items.at(-1);
    },
    options.timeoutMs,
    1_000,
  ).catch((error: Error) => {
    if (options.signal?.aborted) throw new DrillAborted('drill interrupted; the fault was removed');
    throw error;
  });
}

export class DrillAborted extends Error {}
