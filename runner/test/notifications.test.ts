/**
 * The runner's alert receiver: Alertmanager's webhook body (version 4, as a real Alertmanager 0.25
 * sends it; the whole-stack test in stack/ sends them from a real one) is kept and listed newest
 * first; bad bodies are refused naming the field; the token is required; what is kept is bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationStore, webhookSchema } from '../src/notifications.ts';
import { Store } from '../src/store/store.ts';
import { startTestRunner, tempDir, type TestRunner } from './support/test-runner.ts';
import { join } from 'node:path';
import { rmSync } from 'node:fs';

function webhook(
  status: 'firing' | 'resolved',
  alertname = 'VigilProbeFailing',
  extra: Record<string, string> = {},
) {
  return {
    receiver: 'vigil-critical',
    status,
    alerts: [
      {
        status,
        labels: {
          alertname,
          severity: 'critical',
          probe: 'reference',
          target: 'reference',
          step: 'tools_call',
          ...extra,
        },
        annotations: { summary: 'Probe reference failing against reference at step tools_call' },
        startsAt: '2026-12-01T09:33:18.832Z',
        endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-12-01T09:33:48.832Z',
        generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=...',
        fingerprint: '4c1a6f0e9d2b7a31',
      },
    ],
    groupLabels: { alertname, target: 'reference' },
    commonLabels: { alertname, severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9093',
    version: '4',
    groupKey: '{}/{severity="critical"}:{alertname="VigilProbeFailing", target="reference"}',
    truncatedAlerts: 0,
  };
}

let t: TestRunner;
beforeAll(async () => {
  t = await startTestRunner();
});
afterAll(async () => {
  await t.close();
});

describe('POST /api/notifications (Alertmanager webhook)', () => {
  it('keeps a notification and lists it newest first, with afterId, status and alertname filters', async () => {
    const before = await t.api('GET', '/api/notifications');
    expect(before.status).toBe(200);
    const start = before.body.latestId as number;

    const firing = await t.api('POST', '/api/notifications', webhook('firing'));
    expect(firing.status).toBe(201);
    expect(firing.body).toMatchObject({ status: 'firing', receiver: 'vigil-critical' });
    await t.api('POST', '/api/notifications', webhook('firing', 'VigilProbeStale'));
    const resolved = await t.api('POST', '/api/notifications', webhook('resolved'));

    const all = await t.api('GET', `/api/notifications?afterId=${start}`);
    expect(all.body.items.map((n: { id: number }) => n.id)).toEqual([
      resolved.body.id,
      resolved.body.id - 1,
      firing.body.id,
    ]);
    expect(all.body.latestId).toBe(resolved.body.id);
    expect(all.body.items[0].alerts[0].labels).toMatchObject({
      alertname: 'VigilProbeFailing',
      step: 'tools_call',
    });

    const failing = await t.api('GET', `/api/notifications?afterId=${start}&alertname=VigilProbeFailing`);
    expect(failing.body.items).toHaveLength(2);
    const onlyFiring = await t.api(
      'GET',
      `/api/notifications?afterId=${start}&status=firing&alertname=VigilProbeFailing`,
    );
    expect(onlyFiring.body.items.map((n: { id: number }) => n.id)).toEqual([firing.body.id]);
    // An alert name that is a prefix of another does not match it.
    const prefix = await t.api('GET', `/api/notifications?afterId=${start}&alertname=VigilProbe`);
    expect(prefix.body.items).toHaveLength(0);
  });

  it('refuses a body that is not an Alertmanager webhook, naming the field', async () => {
    const bad = await t.api('POST', '/api/notifications', { ...webhook('firing'), status: 'burning' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('status');
    const noAlerts = await t.api('POST', '/api/notifications', { ...webhook('firing'), alerts: 'none' });
    expect(noAlerts.body.error.field).toBe('alerts');
    const badQuery = await t.api('GET', '/api/notifications?alertname=a%20b');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.field).toBe('query.alertname');
  });

  it('needs the runner token, as every API route', async () => {
    const res = await fetch(`${t.base}/api/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(webhook('firing')),
    });
    expect(res.status).toBe(401);
  });
});

describe('NotificationStore bounds', () => {
  it('keeps the newest notifications only, at most ALERTS_KEPT alerts each, long values cut', () => {
    const dir = tempDir();
    const store = new Store(join(dir, 'vigil.db'));
    try {
      const notifications = new NotificationStore(store.db, 3);
      const many = webhook('firing');
      many.alerts = Array.from({ length: 130 }, (_, i) => ({ ...many.alerts[0]!, fingerprint: String(i) }));
      many.alerts[0]!.annotations = { summary: 'x'.repeat(10_000) };
      for (let i = 0; i < 5; i++) notifications.add(webhookSchema.parse({ ...many, truncatedAlerts: 2 }));
      const kept = notifications.list({ limit: 50 });
      expect(kept).toHaveLength(3);
      expect(kept[0]!.alerts).toHaveLength(100);
      expect(kept[0]!.truncatedAlerts).toBe(2 + 30);
      expect(kept[0]!.alerts[0]!.annotations.summary!.length).toBe(2048);
      expect(notifications.prune(new Date(Date.now() + 1000))).toBe(3);
      expect(notifications.latestId()).toBe(0);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
