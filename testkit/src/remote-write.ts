/**
 * Test-only Prometheus remote-write client that pushes series in exactly the shapes k6's
 * `experimental-prometheus-rw` output produces (docs/design.md metric contract), so the alert pipeline
 * and the dashboards can be tested against a real Prometheus without a k6 binary.
 *
 * What k6 sends (xk6-output-prometheus-remote, `K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM=true`):
 * - Trend (time) → `k6_<name>_seconds`, a native histogram observed in seconds, built by
 *   client_golang with `NativeHistogramBucketFactor: 1.1` (schema 3), default zero threshold,
 *   integer counts, positive spans + deltas, reset hint unknown; cumulative over the run.
 * - Rate → gauge `k6_<name>_rate` (ratio of non-zero samples per tag set, cumulative over the run).
 * - Counter → `k6_<name>_total` (cumulative count); Gauge → `k6_<name>` (last value).
 * - Every tag becomes a label; k6 2.x adds `k6_feature_native_histograms="true"`.
 * - Each flush pushes the series that received samples since the previous flush.
 *
 * protobufjs encodes the WriteRequest from the proto text below (the subset of Prometheus 2.42's
 * prompb/remote.proto and types.proto that remote write uses), so field numbers and wire types
 * are declared, not hand-encoded; snappyjs gives the block-format compression remote write needs.
 */
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import { K6_BUILTIN_SERIES, K6_METRICS, type K6MetricKey } from '@vigil/scenarios/catalog';

// snappyjs ships no type declarations: load it through require with the one signature we use.
const snappy = createRequire(import.meta.url)('snappyjs') as { compress(input: Uint8Array): Uint8Array };

const PROMPB = `
syntax = "proto3";
package prometheus;
message WriteRequest { repeated TimeSeries timeseries = 1; }
message TimeSeries {
  repeated Label labels = 1;
  repeated Sample samples = 2;
  repeated Histogram histograms = 4;
}
message Label { string name = 1; string value = 2; }
message Sample { double value = 1; int64 timestamp = 2; }
message BucketSpan { sint32 offset = 1; uint32 length = 2; }
message Histogram {
  oneof count { uint64 count_int = 1; double count_float = 2; }
  double sum = 3;
  sint32 schema = 4;
  double zero_threshold = 5;
  oneof zero_count { uint64 zero_count_int = 6; double zero_count_float = 7; }
  repeated BucketSpan negative_spans = 8;
  repeated sint64 negative_deltas = 9;
  repeated double negative_counts = 10;
  repeated BucketSpan positive_spans = 11;
  repeated sint64 positive_deltas = 12;
  repeated double positive_counts = 13;
  int32 reset_hint = 14;
  int64 timestamp = 15;
}
`;
const WriteRequest = protobuf.parse(PROMPB).root.lookupType('prometheus.WriteRequest');

/** client_golang picks the largest schema whose growth factor ≤ the requested 1.1: 2^(2^-3) ≈ 1.0905. */
export const K6_NATIVE_HISTOGRAM_SCHEMA = 3;
/** client_golang's DefNativeHistogramZeroThreshold (2^-128). */
export const NATIVE_HISTOGRAM_ZERO_THRESHOLD = 2 ** -128;

export interface NativeHistogram {
  count: number;
  sum: number;
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  positiveSpans: Array<{ offset: number; length: number }>;
  positiveDeltas: number[];
  timestampMs: number;
}

export interface TimeSeries {
  labels: Record<string, string>;
  samples?: Array<{ value: number; timestampMs: number }>;
  histograms?: NativeHistogram[];
}

/** Bucket index of a positive value: bucket i holds (base^(i-1), base^i], base = 2^(2^-schema). */
function bucketIndex(value: number, schema: number): number {
  return Math.ceil(Math.log2(value) * 2 ** schema);
}

/** Accumulates observations (in the unit they are stored in, seconds for times) like client_golang. */
export class NativeHistogramAccumulator {
  private readonly buckets = new Map<number, number>();
  private count = 0;
  private sum = 0;
  private zeroCount = 0;

  constructor(private readonly schema = K6_NATIVE_HISTOGRAM_SCHEMA) {}

  observe(value: number): void {
    this.count += 1;
    this.sum += value;
    if (Math.abs(value) <= NATIVE_HISTOGRAM_ZERO_THRESHOLD) {
      this.zeroCount += 1;
      return;
    }
    if (value < 0) throw new Error(`value: negative observations are not produced by k6 Trends (${value})`);
    const index = bucketIndex(value, this.schema);
    this.buckets.set(index, (this.buckets.get(index) ?? 0) + 1);
  }

  snapshot(timestampMs: number): NativeHistogram {
    const indices = [...this.buckets.keys()].sort((a, b) => a - b);
    const positiveSpans: NativeHistogram['positiveSpans'] = [];
    const positiveDeltas: number[] = [];
    let previousIndex: number | undefined;
    let previousCount = 0;
    for (const index of indices) {
      const lastSpan = positiveSpans[positiveSpans.length - 1];
      if (previousIndex !== undefined && index === previousIndex + 1 && lastSpan) {
        lastSpan.length += 1;
      } else {
        const offset = previousIndex === undefined ? index : index - previousIndex - 1;
        positiveSpans.push({ offset, length: 1 });
      }
      const bucketCount = this.buckets.get(index) ?? 0;
      positiveDeltas.push(bucketCount - previousCount);
      previousCount = bucketCount;
      previousIndex = index;
    }
    return {
      count: this.count,
      sum: this.sum,
      schema: this.schema,
      zeroThreshold: NATIVE_HISTOGRAM_ZERO_THRESHOLD,
      zeroCount: this.zeroCount,
      positiveSpans,
      positiveDeltas,
      timestampMs,
    };
  }
}

function sortedLabels(labels: Record<string, string>): Array<{ name: string; value: string }> {
  return Object.entries(labels)
    .filter(([, value]) => value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => ({ name, value }));
}

/** Encodes a WriteRequest (protobuf) and compresses it (snappy block format). */
export function encodeWriteRequest(series: TimeSeries[]): Uint8Array {
  const message = WriteRequest.fromObject({
    timeseries: series.map((s) => ({
      labels: sortedLabels(s.labels),
      samples: (s.samples ?? []).map((x) => ({ value: x.value, timestamp: x.timestampMs })),
      histograms: (s.histograms ?? []).map((h) => ({
        countInt: h.count,
        sum: h.sum,
        schema: h.schema,
        zeroThreshold: h.zeroThreshold,
        zeroCountInt: h.zeroCount,
        positiveSpans: h.positiveSpans,
        positiveDeltas: h.positiveDeltas,
        timestamp: h.timestampMs,
      })),
    })),
  });
  return snappy.compress(WriteRequest.encode(message).finish());
}

/** POSTs series to a remote-write endpoint (`<prometheus>/api/v1/write`); throws on a non-2xx answer. */
export async function remoteWrite(url: string, series: TimeSeries[]): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
      'User-Agent': 'vigil-testkit-remote-write',
    },
    body: Buffer.from(encodeWriteRequest(series)),
  });
  if (!response.ok)
    throw new Error(`remote write to ${url} failed: ${response.status} ${await response.text()}`);
}

/** Run-wide labels the runner passes as `--tag` (RUN_LABELS). */
export interface K6RunLabels {
  testid: string;
  target: string;
  profile: string;
  kind: string;
}

/** Per-sample tags (SAMPLE_TAGS) plus k6's `scenario` system tag. */
export type K6SampleTags = Partial<
  Record<'scenario' | 'name' | 'step' | 'reason' | 'flow' | 'tool' | 'transport', string>
>;

type SeriesState =
  | { kind: 'histogram'; labels: Record<string, string>; accumulator: NativeHistogramAccumulator }
  | { kind: 'rate'; labels: Record<string, string>; passes: number; total: number }
  | { kind: 'value'; labels: Record<string, string>; value: number };

export interface K6RemoteWriteOptions {
  /** Remote-write URL, e.g. `${prometheus.url}/api/v1/write`. */
  url: string;
  run: K6RunLabels;
  /** k6 2.x adds `k6_feature_native_histograms="true"` to every series. */
  k6Major?: 1 | 2;
}

/**
 * One k6 run as its remote-write output sees it: samples accumulate per metric and tag set, and
 * `flush()` pushes the cumulative state of every series that changed, as k6 does each period.
 */
export class K6RemoteWriteRun {
  private readonly series = new Map<string, SeriesState>();
  private readonly dirty = new Set<string>();

  constructor(private readonly options: K6RemoteWriteOptions) {}

  private labelsFor(seriesName: string, tags: K6SampleTags): Record<string, string> {
    const labels: Record<string, string> = { __name__: seriesName, ...this.options.run, ...tags };
    if (this.options.k6Major === 2) labels.k6_feature_native_histograms = 'true';
    return labels;
  }

  private state<T extends SeriesState>(
    seriesName: string,
    tags: K6SampleTags,
    create: (labels: Record<string, string>) => T,
  ): T {
    const labels = this.labelsFor(seriesName, tags);
    const key = JSON.stringify(sortedLabels(labels));
    let state = this.series.get(key);
    if (!state) {
      state = create(labels);
      this.series.set(key, state);
    }
    this.dirty.add(key);
    return state as T;
  }

  /** Adds Trend samples in milliseconds (as scripts record them); stored in seconds. */
  trend(metric: K6MetricKey, valuesMs: readonly number[], tags: K6SampleTags = {}): this {
    const def = K6_METRICS[metric];
    if (def.type !== 'trend') throw new Error(`metric: ${metric} is not a Trend`);
    const state = this.state(def.series, tags, (labels) => ({
      kind: 'histogram' as const,
      labels,
      accumulator: new NativeHistogramAccumulator(),
    }));
    for (const value of valuesMs) state.accumulator.observe(value / 1000);
    return this;
  }

  /** Adds Rate samples: `passes` non-zero and `fails` zero values. */
  rate(
    metric: K6MetricKey | 'checks' | 'httpReqFailed',
    passes: number,
    fails: number,
    tags: K6SampleTags = {},
  ): this {
    const seriesName =
      metric === 'checks' || metric === 'httpReqFailed'
        ? K6_BUILTIN_SERIES[metric]
        : K6_METRICS[metric].series;
    const state = this.state(seriesName, tags, (labels) => ({
      kind: 'rate' as const,
      labels,
      passes: 0,
      total: 0,
    }));
    state.passes += passes;
    state.total += passes + fails;
    return this;
  }

  /** Adds to a Counter (custom or built-in, e.g. `droppedIterations`). */
  counter(
    metric: K6MetricKey | 'iterations' | 'droppedIterations' | 'httpReqs',
    increment: number,
    tags: K6SampleTags = {},
  ): this {
    const seriesName =
      metric in K6_BUILTIN_SERIES
        ? K6_BUILTIN_SERIES[metric as keyof typeof K6_BUILTIN_SERIES]
        : K6_METRICS[metric as K6MetricKey].series;
    const state = this.state(seriesName, tags, (labels) => ({ kind: 'value' as const, labels, value: 0 }));
    state.value += increment;
    return this;
  }

  /** Sets a Gauge (custom or built-in, e.g. `vus`). */
  gauge(metric: K6MetricKey | 'vus' | 'vusMax', value: number, tags: K6SampleTags = {}): this {
    const seriesName =
      metric === 'vus' || metric === 'vusMax' ? K6_BUILTIN_SERIES[metric] : K6_METRICS[metric].series;
    const state = this.state(seriesName, tags, (labels) => ({ kind: 'value' as const, labels, value: 0 }));
    state.value = value;
    return this;
  }

  /** The series a flush at `timestampMs` would push (changed since the last flush). */
  pending(timestampMs = Date.now()): TimeSeries[] {
    return [...this.dirty].map((key) => toTimeSeries(this.series.get(key) as SeriesState, timestampMs));
  }

  /** Pushes every series that changed since the last flush, cumulative, at `timestampMs`. */
  async flush(timestampMs = Date.now()): Promise<void> {
    const series = this.pending(timestampMs);
    if (series.length > 0) await remoteWrite(this.options.url, series);
    this.dirty.clear();
  }
}

function toTimeSeries(state: SeriesState, timestampMs: number): TimeSeries {
  switch (state.kind) {
    case 'histogram':
      return { labels: state.labels, histograms: [state.accumulator.snapshot(timestampMs)] };
    case 'rate':
      return {
        labels: state.labels,
        samples: [{ value: state.total === 0 ? 0 : state.passes / state.total, timestampMs }],
      };
    case 'value':
      return { labels: state.labels, samples: [{ value: state.value, timestampMs }] };
  }
}
