/**
 * First start: the reference server as a runner target and a probe on it every 10 s, so the
 * probe panels fill within a minute. Later starts keep what the user changed and only move the
 * target's URL to the port the server got this time.
 */
import { request } from './http.ts';

export const REFERENCE_TARGET = 'reference';
export const REFERENCE_PROBE = 'reference';
export const PROBE_INTERVAL_SECONDS = 10;

interface Named {
  id: string;
  name: string;
  mcpUrl?: string;
}

export interface Bootstrapped {
  target: 'created' | 'updated' | 'kept';
  probe: 'created' | 'kept';
}

export async function bootstrap(runnerUrl: string, token: string, mcpUrl: string): Promise<Bootstrapped> {
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await request(`${runnerUrl}${path}`, {
      method,
      token,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 300)
      throw new Error(`runner ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, unknown>;
  };
  const targets = (await api('GET', '/api/targets?limit=500')).items as Named[];
  let target = targets.find((t) => t.name === REFERENCE_TARGET);
  let targetAction: Bootstrapped['target'] = 'kept';
  if (!target) {
    target = (await api('POST', '/api/targets', { name: REFERENCE_TARGET, mcpUrl })) as unknown as Named;
    targetAction = 'created';
  } else if (target.mcpUrl !== mcpUrl) {
    await api('PATCH', `/api/targets/${target.id}`, { mcpUrl });
    targetAction = 'updated';
  }
  const probes = (await api('GET', '/api/probes?limit=500')).items as Named[];
  if (probes.some((p) => p.name === REFERENCE_PROBE)) return { target: targetAction, probe: 'kept' };
  await api('POST', '/api/probes', {
    name: REFERENCE_PROBE,
    targetId: target.id,
    intervalSeconds: PROBE_INTERVAL_SECONDS,
  });
  return { target: targetAction, probe: 'created' };
}
