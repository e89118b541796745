/**
 * handleSummary's VigilSummary built from hand-made k6 summary data (the shape k6 1.x/2.x hands
 * to handleSummary), and the catalog's observer thresholds it relies on.
 */
import { describe, expect, it } from 'vitest';
import {
  OBSERVED_STATUSES,
  OBSERVER_EXPRESSION,
  PROFILES,
  REASONS,
  SCENARIO_IDS,
  STEPS,
  formatMeasured,
  isObserverThreshold,
  k6Options,
  observerThresholds,
  thresholdsFor,
  type Threshold,
} from '../catalog/index.ts';
import { buildSummary, summaryText, type K6SummaryData } from '../lib/summary.ts';

// lib/summary.ts reads k6's __ENV only as a default argument; the tests always pass their own.
declare global {
  var __ENV: Record<string, string | undefined>;
}

const expressionOf = (t: Threshold) => (typeof t === 'string' ? t : t.threshold);

const trend = (p95: number, count: number) => ({
  type: 'trend',
  contains: 'time',
  values: {
    avg: p95 / 2,
    min: 1,
    med: p95 / 2,
    max: p95 * 2,
    'p(90)': p95 * 0.9,
    'p(95)': p95,
    'p(99)': p95,
    count,
  },
});

/** A failed oauth run as k6 hands it to handleSummary: SLO thresholds, observers, nested groups. */
function failedRunData(): K6SummaryData {
  return {
    state: { testRunDurationMs: 12_345 },
    setup_data: { client: { clientSecret: 'never-copied-secret' } },
    root_group: {
      name: '',
      path: '',
      groups: [
        {
          name: 'outer',
          path: '::outer',
          checks: [
            { name: 'token refresh succeeds', path: '::outer::token refresh succeeds', passes: 1, fails: 3 },
          ],
          groups: [
            {
              name: 'inner',
              path: '::outer::inner',
              checks: [
                { name: 'authorization flow yields tokens', path: '::outer::inner::a', passes: 2, fails: 7 },
                { name: 'zz passes only', path: '::outer::inner::z', passes: 5, fails: 0 },
              ],
              groups: [],
            },
          ],
        },
        {
          name: 'broken',
          groups: null,
          checks: [{ name: 42 }, null, { name: 'all good', passes: 9, fails: 0 }],
        },
      ],
      checks: [
        {
          name: 'authorization flow yields tokens',
          path: '::authorization flow yields tokens',
          passes: 1,
          fails: 1,
        },
        { name: 'aa same fails', path: '::aa', passes: 0, fails: 3 },
      ],
    },
    metrics: {
      oauth_auth_flow_duration: {
        type: 'trend',
        values: trend(312.4, 10).values,
        thresholds: { 'p(95)<200': { ok: false } },
      },
      oauth_token_refresh_duration: {
        type: 'trend',
        values: trend(0, 0).values,
        thresholds: { 'p(95)<100': { ok: true } },
      },
      oauth_success: {
        type: 'rate',
        values: { rate: 0.931, passes: 27, fails: 2 },
        thresholds: { 'rate>=0.99': { ok: false } },
      },
      'mcp_success{flow:streaming}': {
        type: 'rate',
        values: { rate: 1, passes: 4, fails: 0 },
        thresholds: { 'rate>=0.99': { ok: true } },
      },
      vigil_walks_completed: {
        type: 'counter',
        values: { count: 1, rate: 0.1 },
        thresholds: { 'count==1': { ok: true } },
      },
      oauth_errors: { type: 'counter', values: { count: 9, rate: 0.7 } },
      'oauth_errors{reason:server_error}': {
        type: 'counter',
        values: { count: 7, rate: 0.5 },
        thresholds: { [OBSERVER_EXPRESSION]: { ok: true } },
      },
      'oauth_errors{reason:invalid_grant}': {
        type: 'counter',
        values: { count: 2, rate: 0.1 },
        thresholds: { [OBSERVER_EXPRESSION]: { ok: true } },
      },
      'oauth_errors{reason:timeout}': {
        type: 'counter',
        values: { count: 0, rate: 0 },
        thresholds: { [OBSERVER_EXPRESSION]: { ok: true } },
      },
      'oauth_errors{step:authorization}': {
        type: 'counter',
        values: { count: 7, rate: 0.5 },
        thresholds: { [OBSERVER_EXPRESSION]: { ok: true } },
      },
      'oauth_errors{step:refresh}': {
        type: 'counter',
        values: { count: 2, rate: 0.1 },
        thresholds: { [OBSERVER_EXPRESSION]: { ok: true } },
      },
      'oauth_errors{status:503}': {
        type: 'counter',
        values: { count: 7, rate: 0.5 },
        thresholds: { [OBSERVER_EXPRESSION]: { ok: true } },
      },
      // An observer k6 reported as failed still is no threshold of the run (it cannot fail in k6).
      'mcp_errors{step:tools_call}': {
        type: 'counter',
        values: { count: 2, rate: 0.1 },
        thresholds: { [OBSERVER_EXPRESSION]: { ok: false } },
      },
      iteration_duration: { type: 'trend', values: trend(50, 12).values },
    },
  };
}

describe('buildSummary from k6 summary data', () => {
  const summary = buildSummary('oauth', 'load', failedRunData());

  it('gives every threshold the measured value of the aggregation its expression reads', () => {
    expect(summary.thresholds).toEqual([
      { metric: 'mcp_success{flow:streaming}', expression: 'rate>=0.99', ok: true, value: 1 },
      { metric: 'oauth_auth_flow_duration', expression: 'p(95)<200', ok: false, value: 312.4 },
      { metric: 'oauth_success', expression: 'rate>=0.99', ok: false, value: 0.931 },
      // A trend without samples has no value (k6 reports zeros for it).
      { metric: 'oauth_token_refresh_duration', expression: 'p(95)<100', ok: true },
      { metric: 'vigil_walks_completed', expression: 'count==1', ok: true, value: 1 },
    ]);
  });

  it('reads avg, med, max and a rate without samples the same way', () => {
    const data: K6SummaryData = {
      metrics: {
        oauth_auth_flow_duration: {
          type: 'trend',
          values: trend(300, 4).values,
          thresholds: { 'avg<100': { ok: false }, 'med<100': { ok: false }, 'max<1000': { ok: true } },
        },
        oauth_success: {
          type: 'rate',
          values: { rate: 0, passes: 0, fails: 0 },
          thresholds: { 'rate>=0.99': { ok: false } },
        },
      },
    };
    const values = Object.fromEntries(
      buildSummary('oauth', 'smoke', data).thresholds.map((t) => [t.expression, t.value]),
    );
    expect(values).toEqual({ 'avg<100': 150, 'max<1000': 600, 'med<100': 150, 'rate>=0.99': undefined });
  });

  it('leaves the observer thresholds out of thresholds, ok and metrics', () => {
    expect(summary.thresholds.some((t) => t.expression === OBSERVER_EXPRESSION)).toBe(false);
    expect(summary.ok).toBe(false);
    const passing = failedRunData();
    for (const key of ['oauth_auth_flow_duration', 'oauth_success'])
      passing.metrics![key]!.thresholds = Object.fromEntries(
        Object.keys(passing.metrics![key]!.thresholds!).map((e) => [e, { ok: true }]),
      );
    // mcp_errors{step:tools_call} says ok: false, but it is an observer: the run is ok.
    expect(buildSummary('oauth', 'load', passing).ok).toBe(true);
    expect(Object.keys(summary.metrics).filter((k) => k.includes('_errors{'))).toEqual([]);
    expect(summary.metrics.oauth_errors?.values.count).toBe(9);
    expect(summary.metrics['mcp_success{flow:streaming}']?.type).toBe('rate');
  });

  it('collects the error counts of the observer sub-metrics, count > 0, by count then name', () => {
    expect(summary.errors).toEqual([
      { metric: 'oauth_errors', by: 'reason', value: 'server_error', count: 7 },
      { metric: 'oauth_errors', by: 'status', value: '503', count: 7 },
      { metric: 'oauth_errors', by: 'step', value: 'authorization', count: 7 },
      { metric: 'mcp_errors', by: 'step', value: 'tools_call', count: 2 },
      { metric: 'oauth_errors', by: 'reason', value: 'invalid_grant', count: 2 },
      { metric: 'oauth_errors', by: 'step', value: 'refresh', count: 2 },
    ]);
  });

  it('collects the failed checks from nested groups, merged by name, by fails then name', () => {
    expect(summary.failedChecks).toEqual([
      { name: 'authorization flow yields tokens', passes: 3, fails: 8 },
      { name: 'aa same fails', passes: 0, fails: 3 },
      { name: 'token refresh succeeds', passes: 1, fails: 3 },
    ]);
  });

  it('caps the failed checks at ten and survives a missing or odd group tree', () => {
    const many: K6SummaryData = {
      root_group: {
        checks: Array.from({ length: 15 }, (_, i) => ({ name: `check ${i}`, passes: 0, fails: i + 1 })),
      },
    };
    const checks = buildSummary('oauth', 'smoke', many).failedChecks ?? [];
    expect(checks).toHaveLength(10);
    expect(checks[0]).toEqual({ name: 'check 14', passes: 0, fails: 15 });
    for (const root_group of [undefined, null, 'x', { checks: 'x', groups: 3 }])
      expect(buildSummary('oauth', 'smoke', { root_group }).failedChecks).toEqual([]);
  });

  it('stays secret-free and says the measured values on stdout', () => {
    const json = JSON.stringify(summary);
    expect(json).not.toContain('never-copied-secret');
    const text = summaryText(summary);
    expect(text).toContain('FAIL oauth_auth_flow_duration p(95)<200 (p(95) = 312.4 ms)');
    expect(text).toContain('FAIL oauth_success rate>=0.99 (rate = 0.931)');
    expect(text).toContain('FAIL check authorization flow yields tokens: 8 failed, 3 passed');
    expect(text).toContain('error oauth_errors reason=server_error: 7');
  });
});

describe('observer thresholds (catalog)', () => {
  it('observe every reason, step and listed status on both error counters, from the catalog lists', () => {
    const observers = observerThresholds();
    for (const counter of ['oauth_errors', 'mcp_errors']) {
      for (const reason of REASONS) expect(observers[`${counter}{reason:${reason}}`]).toEqual(['count>=0']);
      for (const step of STEPS) expect(observers[`${counter}{step:${step}}`]).toEqual(['count>=0']);
      for (const status of OBSERVED_STATUSES)
        expect(observers[`${counter}{status:${status}}`]).toEqual(['count>=0']);
    }
    expect(Object.keys(observers)).toHaveLength(
      2 * (REASONS.length + STEPS.length + OBSERVED_STATUSES.length),
    );
    for (const [metric, list] of Object.entries(observers))
      for (const t of list) expect(isObserverThreshold(metric, expressionOf(t))).toBe(true);
  });

  it('k6Options adds the observers and keeps the SLO thresholds exactly; no SLO threshold is an observer', () => {
    for (const id of SCENARIO_IDS) {
      for (const profile of PROFILES) {
        const slo = thresholdsFor(id, profile);
        expect(k6Options(id, profile).thresholds).toEqual({ ...slo, ...observerThresholds() });
        for (const [metric, list] of Object.entries(slo))
          for (const t of list) expect(isObserverThreshold(metric, expressionOf(t)), metric).toBe(false);
      }
    }
    expect(isObserverThreshold('oauth_errors{reason:server_error}', 'count>0')).toBe(false);
    expect(isObserverThreshold('oauth_errors{reason:not_a_reason}', 'count>=0')).toBe(false);
    expect(isObserverThreshold('oauth_success{reason:server_error}', 'count>=0')).toBe(false);
  });

  it('formats measured values so they never look on the wrong side of the bound', () => {
    expect(formatMeasured('p(95)<200', 312.44)).toBe('p(95) = 312.4 ms');
    expect(formatMeasured('rate>=0.99', 0.931)).toBe('rate = 0.931');
    expect(formatMeasured('rate>=0.99', 0.98999)).toBe('rate = 0.98999');
    expect(formatMeasured('p(95)<200', 199.96)).toBe('p(95) = 199.96 ms');
    expect(formatMeasured('count==1', 0)).toBe('count = 0');
    expect(formatMeasured('p(95)<200', undefined)).toBe('p(95): no data');
  });
});
