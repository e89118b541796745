/**
 * The remote-write helper other packages' tests trust to look like k6: the bucket arithmetic of
 * client_golang's native histograms, and what a real Prometheus makes of a pushed run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { K6_METRICS } from '@vigil/scenarios/catalog';
import {
  K6RemoteWriteRun,
  NativeHistogramAccumulator,
  promQuery,
  remoteWrite,
  startPrometheus,
  type Service,
} from '../src/index.ts';

describe('NativeHistogramAccumulator (schema 3, as k6 pushes)', () => {
  it('puts values in (base^(i-1), base^i] buckets and encodes spans and deltas', () => {
    const histogram = new NativeHistogramAccumulator();
    // base = 2^(1/8): 1.0 is the top of bucket 0, 1.05 falls in bucket 1, 2.0 is the top of bucket 8.
    for (const value of [1.0, 1.05, 1.05, 2.0]) histogram.observe(value);
    const snapshot = histogram.snapshot(1_000);
    expect(snapshot).toMatchObject({ count: 4, sum: 5.1, schema: 3, zeroCount: 0, timestampMs: 1_000 });
    expect(snapshot.positiveSpans).toEqual([
      { offset: 0, length: 2 },
      { offset: 6, length: 1 },
    ]);
    // Deltas are bucket counts relative to the previous populated bucket: 1, 2, 1.
    expect(snapshot.positiveDeltas).toEqual([1, 1, -1]);
  });

  it('counts zeros in the zero bucket and refuses negative values', () => {
    const histogram = new NativeHistogramAccumulator();
    histogram.observe(0);
    expect(histogram.snapshot(0)).toMatchObject({ count: 1, zeroCount: 1, positiveSpans: [] });
    expect(() => histogram.observe(-1)).toThrow(/negative/);
  });
});

describe('K6RemoteWriteRun against a real Prometheus', () => {
  let prometheus: Service;
  const run = { testid: 'rw-test-1', target: 'demo', profile: 'smoke', kind: 'load' };

  beforeAll(async () => {
    prometheus = await startPrometheus({ config: 'global:\n  scrape_interval: 15s\n' });
  }, 60_000);
  afterAll(async () => {
    await prometheus?.stop();
  });

  async function scalar(query: string): Promise<number> {
    const result = await promQuery(prometheus.url, query);
    if (result.length !== 1) throw new Error(`${query}: ${result.length} series`);
    return Number(result[0]!.value![1]);
  }

  it('stores trends as native histograms in seconds, rates as ratios, and run tags as labels', async () => {
    const writer = new K6RemoteWriteRun({ url: `${prometheus.url}/api/v1/write`, run, k6Major: 2 });
    const latenciesMs = Array.from({ length: 100 }, (_, i) => i + 1);
    writer.trend('oauthAuthFlowDuration', latenciesMs, { scenario: 'auth_flow', step: '' });
    writer.rate('oauthSuccess', 97, 3, { flow: 'auth_flow' });
    await writer.flush();

    const trend = `${K6_METRICS.oauthAuthFlowDuration.series}{testid="${run.testid}", k6_feature_native_histograms="true"}`;
    expect(await scalar(`histogram_count(${trend})`)).toBe(100);
    expect(await scalar(`histogram_sum(${trend})`)).toBeCloseTo(5.05, 6);
    // Schema 3 buckets are ~9% wide, so the quantile lands within that of the true 95 ms.
    const p95 = await scalar(`histogram_quantile(0.95, ${trend})`);
    expect(p95).toBeGreaterThan(0.095 / 1.1);
    expect(p95).toBeLessThan(0.095 * 1.1);
    // An empty tag is left out, as k6 does, rather than pushed as an empty label.
    const labels = (await promQuery(prometheus.url, trend))[0]!.metric;
    expect(labels).toMatchObject({ ...run, scenario: 'auth_flow' });
    expect(labels).not.toHaveProperty('step');

    expect(await scalar(`${K6_METRICS.oauthSuccess.series}{testid="${run.testid}"}`)).toBeCloseTo(0.97, 6);
  });

  it('pushes cumulative state on every flush, only for series that changed', async () => {
    const writer = new K6RemoteWriteRun({
      url: `${prometheus.url}/api/v1/write`,
      run: { ...run, testid: 'rw-test-2' },
    });
    writer.trend('oauthTokenRefreshDuration', [10, 20]);
    const start = Date.now() - 10_000;
    await writer.flush(start);
    expect(writer.pending(start + 5_000)).toEqual([]);
    writer.trend('oauthTokenRefreshDuration', [30]);
    await writer.flush(start + 5_000);
    const series = `${K6_METRICS.oauthTokenRefreshDuration.series}{testid="rw-test-2"}`;
    expect(await scalar(`histogram_count(${series})`)).toBe(3);
    expect(await scalar(`histogram_sum(${series})`)).toBeCloseTo(0.06, 6);
  });

  it('throws with the status when the receiver refuses the write', async () => {
    await expect(remoteWrite(`${prometheus.url}/api/v1/no-such-endpoint`, [])).rejects.toThrow(/404/);
  });
});
