/**
 * Breach-to-notification latency of the shipped settings, measured on purpose (not a test):
 *   npm run bench -w alerting [-- <breaches>]
 * Starts real Prometheus + Alertmanager (shipped rules and alertmanager.yml), then pushes k6-shaped
 * series for N load runs against N targets, each breaching its auth-flow p95 SLO at a random
 * moment (so breaches land at every phase of the evaluation cycle), and prints the time from the
 * breaching push to the firing webhook notification: median, p95, max. Goal: ≤ 30 s.
 */
import { K6RemoteWriteRun } from '@vigil/testkit';
import { SLOS, type Slo } from '@vigil/scenarios/catalog';
import { startAlertPipelineAlertmanager, startAlertPipelinePrometheus } from '../support/stack.ts';
import { startWebhookReceiver } from '../support/webhook.ts';

const breaches = Number(process.argv[2] ?? 8);
if (!Number.isInteger(breaches) || breaches < 1 || breaches > 50)
  throw new Error('breaches: give a whole number between 1 and 50');
const slo = (SLOS as readonly Slo[]).find((s) => s.id === 'auth_flow_p95');
if (slo?.indicator.kind !== 'latency') throw new Error('catalog: auth_flow_p95 latency SLO missing');
const { metric, maxMs } = slo.indicator;
const FLUSH_MS = 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const webhook = await startWebhookReceiver();
const alertmanager = await startAlertPipelineAlertmanager(webhook.url);
const prometheus = await startAlertPipelinePrometheus(alertmanager);

async function oneBreach(index: number): Promise<number> {
  const target = `bench-target-${index}`;
  const k6 = new K6RemoteWriteRun({
    url: `${prometheus.url}/api/v1/write`,
    run: { testid: `bench-${index}`, target, profile: 'load', kind: 'load' },
    k6Major: 2,
  });
  const period = (count: number, latencyMs: number) =>
    k6.trend(
      metric,
      Array.from({ length: count }, () => latencyMs),
      { flow: slo!.flow },
    );
  period(100, maxMs / 2);
  await k6.flush();
  await sleep(Math.random() * 15_000);
  period(1_000, maxMs * 2);
  const breachAt = Date.now();
  await k6.flush(breachAt);
  const keepFlushing = setInterval(() => {
    period(5, maxMs * 2);
    void k6.flush().catch(() => undefined);
  }, FLUSH_MS);
  try {
    const firing = await webhook.waitFor(
      (n) =>
        n.alerts.some(
          (a) =>
            a.status === 'firing' &&
            a.labels.alertname === 'VigilFlowLatencySloBreach' &&
            a.labels.target === target,
        ),
      120_000,
      `firing for ${target}`,
    );
    return (firing.receivedAtMs - breachAt) / 1000;
  } finally {
    clearInterval(keepFlushing);
  }
}

try {
  const latencies = (await Promise.all(Array.from({ length: breaches }, (_, i) => oneBreach(i)))).sort(
    (a, b) => a - b,
  );
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] as number;
  console.log(
    `breach → firing notification over ${breaches} breaches (s): ${latencies.map((l) => l.toFixed(1)).join(' ')}`,
  );
  console.log(
    `median ${at(0.5).toFixed(1)} s, p95 ${at(0.95).toFixed(1)} s, max ${at(1).toFixed(1)} s (goal ≤ 30 s)`,
  );
} finally {
  await prometheus.stop();
  await alertmanager.stop();
  await webhook.close();
}
