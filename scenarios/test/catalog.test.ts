import { describe, expect, it } from 'vitest';
import {
  K6_METRICS,
  PROFILES,
  SCENARIOS,
  SCENARIO_IDS,
  SLOS,
  STREAMS_PER_VU,
  WORKLOADS,
  applyOverrides,
  slosOfKind,
  k6Options,
  parseDuration,
  thresholdsFor,
  validateOverrides,
} from '../catalog/index.ts';

describe('metric contract', () => {
  it('maps every k6 metric to the series remote write produces', () => {
    for (const metric of Object.values(K6_METRICS)) {
      const suffix =
        metric.type === 'trend'
          ? '_seconds'
          : metric.type === 'rate'
            ? '_rate'
            : metric.type === 'counter'
              ? '_total'
              : '';
      expect(metric.series).toBe(`k6_${metric.name}${suffix}`);
    }
  });
});

describe('SLO selection', () => {
  it('slosOfKind partitions the catalog by indicator kind, in catalog order', () => {
    const kinds = [...new Set(SLOS.map((slo) => slo.indicator.kind))];
    const selected = kinds.flatMap((kind) => slosOfKind(kind).map((slo) => slo.id));
    expect([...selected].sort()).toEqual(SLOS.map((slo) => slo.id).sort());
    expect(slosOfKind('latency').map((slo) => slo.id)).toEqual([
      'auth_flow_p95',
      'token_refresh_p95',
      'session_validation_p95',
      'tool_execution_p95',
    ]);
    expect(slosOfKind('latency').every((slo) => slo.indicator.maxMs > 0)).toBe(true);
  });
});

describe('SLO thresholds', () => {
  it('derives the docs/design.md latency objectives for the oauth scenario', () => {
    const t = thresholdsFor('oauth', 'load');
    expect(t.oauth_auth_flow_duration).toEqual(['p(95)<200']);
    expect(t.oauth_token_refresh_duration).toEqual(['p(95)<100']);
    expect(t.oauth_session_validation_duration).toEqual(['p(95)<50']);
    expect(t.oauth_success?.[0]).toMatchObject({ threshold: 'rate>=0.99', abortOnFail: true });
  });

  it('keeps smoke thresholds without abort and only for the selected workloads', () => {
    const t = thresholdsFor('oauth', 'smoke', ['token_refresh']);
    expect(Object.keys(t).sort()).toEqual(['oauth_success', 'oauth_token_refresh_duration']);
    expect(t.oauth_success).toEqual(['rate>=0.99']);
  });

  it('makes the probe fail when its walk did not complete or its verdict failed, not on a compliance check', () => {
    const t = thresholdsFor('probe', 'smoke');
    expect(t.vigil_walks_completed).toEqual(['count==1']);
    expect(t['checks{verdict:walk}']).toEqual(['rate==1']);
    expect(t.checks).toBeUndefined();
  });

  it('gives every latency SLO measured by k6 a threshold in some scenario', () => {
    const all = new Set(SCENARIO_IDS.flatMap((id) => Object.keys(thresholdsFor(id, 'load'))));
    for (const slo of SLOS) {
      if (slo.indicator.kind === 'latency') expect(all.has(K6_METRICS[slo.indicator.metric].name)).toBe(true);
    }
  });

  it('sizes the streaming load shape to hold the concurrency SLO', () => {
    const slo = SLOS.find((s) => s.indicator.kind === 'concurrency');
    const shape = WORKLOADS.streaming.shapes.load;
    expect(shape.executor).toBe('constant-vus');
    if (shape.executor === 'constant-vus' && slo?.indicator.kind === 'concurrency')
      expect(shape.vus * STREAMS_PER_VU).toBeGreaterThanOrEqual(slo.indicator.minimum);
  });
});

describe('overrides', () => {
  it('accepts values inside the bounds and normalizes them', () => {
    const { values, errors } = validateOverrides('oauth', {
      vus: '10',
      duration: '30s',
      workloads: 'token_refresh',
    });
    expect(errors).toEqual([]);
    expect(values).toEqual({ vus: 10, duration: '30s', workloads: 'token_refresh' });
  });

  it('names the field of every bad value', () => {
    const { errors } = validateOverrides('oauth', {
      vus: 0,
      duration: '5 minutes',
      rate: 2.5,
      nope: 1,
      workloads: 'x',
    });
    expect(errors.map((e) => e.field).sort()).toEqual([
      'overrides.duration',
      'overrides.nope',
      'overrides.rate',
      'overrides.vus',
      'overrides.workloads',
    ]);
  });

  it('rejects tool arguments that are not a JSON object', () => {
    expect(validateOverrides('mcp', { toolArgs: '[1]' }).errors[0]?.field).toBe('overrides.toolArgs');
    expect(validateOverrides('probe', { vus: 5 }).errors[0]?.message).toMatch(/unknown parameter/);
  });

  it('scales ramps to a new peak and total duration', () => {
    const shape = applyOverrides(WORKLOADS.token_refresh.shapes.load, { rate: 50, duration: '90s' });
    expect(shape.executor).toBe('ramping-arrival-rate');
    if (shape.executor !== 'ramping-arrival-rate') return;
    expect(Math.max(...shape.stages.map((s) => s.target))).toBe(50);
    const total = shape.stages.reduce((sum, s) => sum + (parseDuration(s.duration) ?? 0), 0);
    expect(total).toBe(90_000);
  });

  it('builds k6 options for every scenario and profile', () => {
    for (const id of SCENARIO_IDS) {
      for (const profile of PROFILES) {
        const options = k6Options(id, profile);
        expect(Object.keys(options.scenarios)).toEqual([...SCENARIOS[id].workloads]);
        for (const s of Object.values(options.scenarios)) expect(typeof s.exec).toBe('string');
      }
    }
  });
});
