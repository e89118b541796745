/**
 * The shipped inhibitions, checked in a real Alertmanager: alerts are posted to its API as
 * Prometheus would, and its own view says which ones it suppresses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type Service } from '@vigil/testkit';
import { startAlertPipelineAlertmanager } from '../support/stack.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook.ts';

interface AmAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

describe('alertmanager.yml inhibitions', () => {
  let webhook: WebhookReceiver;
  let alertmanager: Service;

  beforeAll(async () => {
    webhook = await startWebhookReceiver();
    alertmanager = await startAlertPipelineAlertmanager(webhook.url);
  });
  afterAll(async () => {
    await alertmanager?.stop();
    await webhook?.close();
  });

  const post = async (alerts: Array<Record<string, string>>) => {
    const body = alerts.map((labels) => ({
      labels,
      annotations: { summary: labels.alertname ?? '' },
      startsAt: new Date().toISOString(),
    }));
    const response = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.ok).toBe(true);
  };
  const state = async () => (await (await fetch(`${alertmanager.url}/api/v2/alerts`)).json()) as AmAlert[];
  const find = (alerts: AmAlert[], labels: Record<string, string>) =>
    alerts.find((a) => Object.entries(labels).every(([k, v]) => a.labels[k] === v));

  it('silences the SLO alerts of a target that is down, and warnings under their critical variant', async () => {
    await post([
      { alertname: 'VigilTargetDown', severity: 'critical', target: 'down-target', flow: 'server_resources' },
      {
        alertname: 'VigilFlowLatencySloBreach',
        severity: 'warning',
        target: 'down-target',
        slo: 'auth_flow_p95',
        flow: 'auth_flow',
        testid: 'r1',
      },
      {
        alertname: 'VigilProbeFailing',
        severity: 'critical',
        target: 'down-target',
        probe: 'walk',
        step: 'discovery',
      },
      {
        alertname: 'VigilFlowLatencySloBreach',
        severity: 'warning',
        target: 'healthy-target',
        slo: 'auth_flow_p95',
        flow: 'auth_flow',
        testid: 'r2',
      },
      {
        alertname: 'VigilTargetMemoryHigh',
        severity: 'critical',
        target: 'healthy-target',
        flow: 'server_resources',
      },
      {
        alertname: 'VigilTargetMemoryHigh',
        severity: 'warning',
        target: 'healthy-target',
        flow: 'server_resources',
      },
    ]);
    let alerts: AmAlert[] = [];
    await waitFor('the six alerts with their inhibition state', async () => {
      alerts = await state();
      return alerts.length === 6 && alerts.some((a) => a.status.state === 'suppressed');
    });
    const suppressed = (labels: Record<string, string>) => find(alerts, labels)?.status.state;
    expect(suppressed({ alertname: 'VigilFlowLatencySloBreach', target: 'down-target' })).toBe('suppressed');
    expect(suppressed({ alertname: 'VigilProbeFailing', target: 'down-target' })).toBe('suppressed');
    expect(suppressed({ alertname: 'VigilTargetDown', target: 'down-target' })).toBe('active');
    expect(suppressed({ alertname: 'VigilFlowLatencySloBreach', target: 'healthy-target' })).toBe('active');
    expect(suppressed({ alertname: 'VigilTargetMemoryHigh', severity: 'warning' })).toBe('suppressed');
    expect(suppressed({ alertname: 'VigilTargetMemoryHigh', severity: 'critical' })).toBe('active');

    // Only the active ones reach the receiver.
    await webhook.waitFor((n) => n.groupLabels.alertname === 'VigilTargetDown', 30_000, 'VigilTargetDown');
    await webhook.waitFor(
      (n) =>
        n.groupLabels.target === 'healthy-target' && n.groupLabels.alertname === 'VigilFlowLatencySloBreach',
      30_000,
      'healthy SLO breach',
    );
    const delivered = webhook.notifications.flatMap((n) =>
      n.alerts.map((a) => `${a.labels.alertname}/${a.labels.target}/${a.labels.severity}`),
    );
    expect(delivered).not.toContain('VigilFlowLatencySloBreach/down-target/warning');
    expect(delivered).not.toContain('VigilTargetMemoryHigh/healthy-target/warning');
  });

  it("blames the runner, not the target: a runner error silences its probe's stale and failing alerts", async () => {
    const probe = { probe: 'blind-walk', target: 'blind-target' };
    await post([
      { alertname: 'VigilProbeRunnerError', severity: 'warning', reason: 'k6_missing', ...probe },
      { alertname: 'VigilProbeStale', severity: 'warning', ...probe },
      { alertname: 'VigilProbeFailing', severity: 'critical', step: 'none', ...probe },
      { alertname: 'VigilProbeStale', severity: 'warning', probe: 'other-walk', target: 'blind-target' },
    ]);
    let alerts: AmAlert[] = [];
    await waitFor('the runner-error alerts with their inhibition state', async () => {
      alerts = (await state()).filter((a) => a.labels.target === 'blind-target');
      return alerts.length === 4 && alerts.some((a) => a.status.state === 'suppressed');
    });
    const stateOf = (labels: Record<string, string>) => find(alerts, labels)?.status.state;
    expect(stateOf({ alertname: 'VigilProbeRunnerError' })).toBe('active');
    expect(stateOf({ alertname: 'VigilProbeStale', probe: 'blind-walk' })).toBe('suppressed');
    expect(stateOf({ alertname: 'VigilProbeFailing', probe: 'blind-walk' })).toBe('suppressed');
    expect(stateOf({ alertname: 'VigilProbeStale', probe: 'other-walk' })).toBe('active');
  });
});
