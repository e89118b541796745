/**
 * End to end, with the real binaries: series pushed by remote write in exactly k6's shapes (native
 * histograms included) → recording rules → SLO alert → Alertmanager (shipped config) → webhook,
 * firing and then resolved. Prints the breach-to-notification latency (goal ≤ 30 s).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { K6RemoteWriteRun, promQuery, type Service } from '@vigil/testkit';
import {
  RECORDED_SERIES,
  RUNNER_SERIES,
  SCRAPE_JOBS,
  flowLatencySeries,
  slosOfKind,
} from '@vigil/scenarios/catalog';
import { startRunner, type RunnerProcess } from './support/runner-process.ts';
import { startAlertPipelineAlertmanager, startAlertPipelinePrometheus } from '../support/stack.ts';
import { startWebhookReceiver, type WebhookNotification, type WebhookReceiver } from '../support/webhook.ts';

const authSlo = slosOfKind('latency').find((slo) => slo.id === 'auth_flow_p95');
if (!authSlo) throw new Error('catalog: auth_flow_p95 latency SLO missing');
const { maxMs, quantile, metric } = authSlo.indicator;
const successSlo = slosOfKind('success_ratio').find((slo) => slo.indicator.metric === 'oauthSuccess');

/** k6's default remote-write flush period. */
const FLUSH_MS = 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isAlert =
  (alertname: string, testid: string, status: 'firing' | 'resolved') => (n: WebhookNotification) =>
    n.alerts.some(
      (a) => a.status === status && a.labels.alertname === alertname && a.labels.testid === testid,
    );

describe('alert pipeline: k6 remote write → recording rules → SLO alert → webhook', () => {
  let webhook: WebhookReceiver;
  let alertmanager: Service;
  let prometheus: Service;
  const testid = `e2e-${Date.now()}`;
  const run = () =>
    new K6RemoteWriteRun({
      url: `${prometheus.url}/api/v1/write`,
      run: { testid, target: 'demo-target', profile: 'load', kind: 'load' },
      k6Major: 2,
    });
  let k6: K6RemoteWriteRun;
  let flushing: ReturnType<typeof setInterval> | undefined;

  beforeAll(async () => {
    webhook = await startWebhookReceiver();
    alertmanager = await startAlertPipelineAlertmanager(webhook.url);
    prometheus = await startAlertPipelinePrometheus(alertmanager);
    k6 = run();
  });

  afterAll(async () => {
    if (flushing) clearInterval(flushing);
    await prometheus?.stop();
    await alertmanager?.stop();
    await webhook?.close();
  });

  /** Samples of one k6 flush period: `count` auth-flow walks at `latencyMs`, all successful. */
  const addPeriod = (count: number, latencyMs: number) => {
    const spread = Array.from({ length: count }, (_, i) => latencyMs * (0.9 + (0.2 * i) / count));
    k6.trend(metric, spread, { scenario: 'authorization_flow', flow: authSlo.flow, name: 'POST /token' });
    k6.rate('oauthSuccess', count, 0, { scenario: 'authorization_flow', flow: authSlo.flow, step: 'token' });
    k6.counter('iterations', count, { scenario: 'authorization_flow', flow: authSlo.flow });
  };

  it('records per-run float quantiles from the native histograms and stays quiet under the SLO', async () => {
    addPeriod(200, maxMs * 0.5);
    await k6.flush();
    const recorded = `${flowLatencySeries(quantile)}{testid="${testid}", slo="${authSlo.id}"}`;
    let value = NaN;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const result = await promQuery(prometheus.url, recorded);
      if (result[0]?.value) {
        value = Number(result[0].value[1]);
        expect(result[0].metric).toMatchObject({
          target: 'demo-target',
          profile: 'load',
          kind: 'load',
          flow: authSlo.flow,
        });
        break;
      }
      await sleep(500);
    }
    // Samples spread over ±10 % of half the bound; schema-3 buckets are ~9 % wide.
    expect(value).toBeGreaterThan((maxMs * 0.5 * 0.85) / 1000);
    expect(value).toBeLessThan((maxMs * 0.5 * 1.2) / 1000);
    if (successSlo) {
      const ratio = await promQuery(
        prometheus.url,
        `${RECORDED_SERIES.successRatio}{testid="${testid}", slo="${successSlo.id}"}`,
      );
      expect(Number(ratio[0]?.value?.[1])).toBe(1);
    }
    // Keep pushing like a running k6 for a while: nothing may fire under the SLO.
    for (let i = 0; i < 3; i += 1) {
      addPeriod(50, maxMs * 0.5);
      await k6.flush();
      await sleep(FLUSH_MS);
    }
    const alerts = await promQuery(prometheus.url, `ALERTS{testid="${testid}"}`);
    expect(alerts).toEqual([]);
    expect(webhook.notifications.filter((n) => n.alerts.some((a) => a.labels.testid === testid))).toEqual([]);
  });

  it('notifies the webhook when the p95 breaches its SLO, then when it recovers', async () => {
    // A slow period large enough to move the run's cumulative p95 well above the bound.
    addPeriod(2_000, maxMs * 2);
    const breachAt = Date.now();
    await k6.flush(breachAt);
    flushing = setInterval(() => {
      addPeriod(5, maxMs * 2);
      void k6.flush().catch(() => undefined);
    }, FLUSH_MS);

    const firing = await webhook.waitFor(
      isAlert('VigilFlowLatencySloBreach', testid, 'firing'),
      90_000,
      'firing VigilFlowLatencySloBreach',
    );
    const latencyS = (firing.receivedAtMs - breachAt) / 1000;
    console.log(
      `[alerting e2e] SLO breach → firing webhook notification: ${latencyS.toFixed(1)} s (goal ≤ 30 s)`,
    );
    const alert = firing.alerts.find(
      (a) => a.labels.alertname === 'VigilFlowLatencySloBreach' && a.labels.testid === testid,
    );
    expect(alert?.labels).toMatchObject({
      severity: 'warning',
      slo: authSlo.id,
      flow: authSlo.flow,
      target: 'demo-target',
      profile: 'load',
      kind: 'load',
    });
    expect(firing.receiver).toBe('vigil-default');
    expect(firing.groupLabels).toEqual({ alertname: 'VigilFlowLatencySloBreach', target: 'demo-target' });
    expect(alert?.annotations.summary).toContain('demo-target');
    expect(alert?.annotations.description).toMatch(/is \d+(\.\d+)?ms, objective < \d+ ms/);
    expect(alert?.annotations.dashboard).toMatch(
      new RegExp(`/d/vigil-oauth\\?var-target=demo-target&var-testid=${testid}$`),
    );

    // The breach stops: many fast walks bring the run's cumulative p95 back under the bound.
    clearInterval(flushing);
    flushing = setInterval(() => {
      addPeriod(5, maxMs * 0.3);
      void k6.flush().catch(() => undefined);
    }, FLUSH_MS);
    addPeriod(60_000, maxMs * 0.3);
    const recoveredAt = Date.now();
    await k6.flush(recoveredAt);
    const resolved = await webhook.waitFor(
      isAlert('VigilFlowLatencySloBreach', testid, 'resolved'),
      90_000,
      'resolved VigilFlowLatencySloBreach',
    );
    console.log(
      `[alerting e2e] recovery → resolved webhook notification: ${((resolved.receivedAtMs - recoveredAt) / 1000).toFixed(1)} s (group_interval bound)`,
    );
    expect(resolved.status).toBe('resolved');
  }, 200_000);
});

describe('alert pipeline: failing probe scraped from a real runner → webhook', () => {
  let webhook: WebhookReceiver;
  let alertmanager: Service;
  let prometheus: Service;
  let runner: RunnerProcess;

  beforeAll(async () => {
    webhook = await startWebhookReceiver();
    alertmanager = await startAlertPipelineAlertmanager(webhook.url);
    runner = await startRunner('probe-fail');
    // The runner's /metrics needs its API token: Prometheus reads it from a file, as in production.
    const scrape = `[{ job_name: ${SCRAPE_JOBS.runner}, authorization: { credentials_file: '${runner.tokenFile}' }, static_configs: [{ targets: ['127.0.0.1:${runner.service.port}'] }] }]`;
    prometheus = await startAlertPipelinePrometheus(alertmanager, scrape);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await runner?.service.stop();
    await alertmanager?.stop();
    await webhook?.close();
  });

  it('notifies the failing probe with its failed step, then its recovery', async () => {
    const target = await runner.api<{ id: string; name: string }>('POST', '/api/targets', {
      name: 'e2e-target',
      mcpUrl: 'http://127.0.0.1:9/mcp',
    });
    const probe = await runner.api<{ id: string; name: string }>('POST', '/api/probes', {
      name: 'e2e-walk',
      targetId: target.id,
      intervalSeconds: 10,
      timeoutSeconds: 5,
    });
    const failing = (n: WebhookNotification) =>
      n.alerts.some(
        (a) =>
          a.status === 'firing' &&
          a.labels.alertname === 'VigilProbeFailing' &&
          a.labels.probe === probe.name,
      );

    // The first failed result, as Prometheus scraped it from the runner.
    let firstFailureMs = 0;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && firstFailureMs === 0) {
      const result = await promQuery(
        prometheus.url,
        `${RUNNER_SERIES.probeLastRun}{probe="${probe.name}"} and on (probe, target) ${RUNNER_SERIES.probeSuccess} == 0`,
      );
      if (result[0]?.value) firstFailureMs = Number(result[0].value[1]) * 1000;
      else await sleep(500);
    }
    expect(firstFailureMs, runner.service.output().slice(-2000)).toBeGreaterThan(0);

    const firing = await webhook.waitFor(failing, 120_000, 'firing VigilProbeFailing');
    const alert = firing.alerts.find((a) => a.labels.alertname === 'VigilProbeFailing');
    console.log(
      `[alerting e2e] first failed probe run → firing webhook notification: ${((firing.receivedAtMs - firstFailureMs) / 1000).toFixed(1)} s (includes the failed runs in a row the alert waits for)`,
    );
    expect(alert?.labels).toMatchObject({
      severity: 'critical',
      probe: probe.name,
      target: target.name,
      step: 'tools_call',
      job: SCRAPE_JOBS.runner,
    });
    expect(firing.receiver).toBe('vigil-critical');
    expect(alert?.annotations.description).toContain('failed step: tools_call');
    expect(alert?.annotations.dashboard).toMatch(
      /\/d\/vigil-probes\?var-target=e2e-target&var-probe=e2e-walk$/,
    );
    expect(JSON.stringify(firing)).not.toContain(runner.token);

    await runner.setProbeMode('pass');
    const recoveredFrom = Date.now();
    const resolved = await webhook.waitFor(
      (n) =>
        n.alerts.some(
          (a) =>
            a.status === 'resolved' &&
            a.labels.alertname === 'VigilProbeFailing' &&
            a.labels.probe === probe.name,
        ),
      120_000,
      'resolved VigilProbeFailing',
    );
    console.log(
      `[alerting e2e] probe passing again → resolved webhook notification: ${((resolved.receivedAtMs - recoveredFrom) / 1000).toFixed(1)} s`,
    );
  }, 240_000);
});
