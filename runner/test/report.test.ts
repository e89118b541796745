/** report.md and junit.xml from hand-made VigilSummaries: order, old summaries, probes. */
import type { VigilSummary } from '@vigil/scenarios/catalog';
import { describe, expect, it } from 'vitest';
import { junitXml, markdownReport, type ReportMeta } from '../src/cli/report.ts';

const META: ReportMeta = {
  runId: 'r1',
  scenario: 'oauth',
  profile: 'smoke',
  target: 'demo',
  status: 'failed',
  exitCode: 99,
  error: null,
};

function failedSummary(): VigilSummary {
  return {
    version: 1,
    scenario: 'oauth',
    profile: 'smoke',
    ok: false,
    thresholds: [
      { metric: 'oauth_token_refresh_duration', expression: 'p(95)<100', ok: true, value: 12.34 },
      { metric: 'oauth_success', expression: 'rate>=0.99', ok: false, value: 0.98999 },
      { metric: 'oauth_auth_flow_duration', expression: 'p(95)<200', ok: false, value: 312.44 },
    ],
    metrics: { oauth_success: { type: 'rate', values: { rate: 0.98999 } } },
    checks: { passes: 10, fails: 4 },
    failedChecks: [
      { name: 'token refresh succeeds', passes: 5, fails: 1 },
      { name: 'authorization flow yields tokens', passes: 5, fails: 3 },
    ],
    errors: [
      { metric: 'oauth_errors', by: 'step', value: 'refresh', count: 1 },
      { metric: 'oauth_errors', by: 'reason', value: 'timeout', count: 3 },
      { metric: 'oauth_errors', by: 'step', value: 'authorization', count: 3 },
      { metric: 'oauth_errors', by: 'reason', value: 'invalid_grant', count: 1 },
    ],
    durationMs: 5000,
  };
}

describe('report.md and junit.xml', () => {
  it('are the same bytes whatever order the summary lists things in; failed thresholds first', () => {
    const summary = failedSummary();
    const shuffled = {
      ...summary,
      thresholds: [...summary.thresholds].reverse(),
      errors: [...(summary.errors ?? [])].reverse(),
      failedChecks: [...(summary.failedChecks ?? [])].reverse(),
    };
    const report = markdownReport(summary, META);
    expect(markdownReport(shuffled, META)).toBe(report);
    expect(junitXml(shuffled, META)).toBe(junitXml(summary, META));
    expect(report.split('\n').filter((l) => /^\| (passed|\*\*FAILED\*\*) \|/.test(l))).toEqual([
      '| **FAILED** | oauth_auth_flow_duration | p(95) = 312.4 ms | `p(95)<200` |',
      '| **FAILED** | oauth_success | rate = 0.98999 | `rate>=0.99` |',
      '| passed | oauth_token_refresh_duration | p(95) = 12.3 ms | `p(95)<100` |',
    ]);
    expect(report).toContain(
      '| oauth_errors | timeout | 3 |\n| oauth_errors | invalid_grant | 1 |\n\n### By step',
    );
    expect(report).toContain(
      '| authorization flow yields tokens | 3 | 5 |\n| token refresh succeeds | 1 | 5 |',
    );
  });

  it('render a summary written before measured values, errors and failed checks existed', () => {
    const { failedChecks: _checks, errors: _errors, ...old } = failedSummary();
    const summary: VigilSummary = { ...old, thresholds: old.thresholds.map(({ value: _v, ...t }) => t) };
    const report = markdownReport(summary, META);
    expect(report).toContain('| **FAILED** | oauth_success | rate: no data | `rate>=0.99` |');
    expect(report).not.toContain('## Failed checks');
    expect(report).not.toContain('## Top errors');
    expect(junitXml(summary, META)).toContain(
      '<failure message="oauth_success: rate: no data, threshold rate&gt;=0.99 not met"/>',
    );
  });

  it('mark a failed compliance check and the step where a probe walk stopped', () => {
    const summary: VigilSummary = {
      ...failedSummary(),
      scenario: 'probe',
      metrics: { iteration_duration: { type: 'trend', values: { med: 0 } } },
      probe: {
        ok: false,
        failedStep: 'token',
        steps: [
          { step: 'discovery', ok: true, durationMs: 3 },
          { step: 'token', ok: false, durationMs: 5, reason: 'server_error', detail: 'HTTP 503' },
        ],
        compliance: [{ name: 'S256 advertised', ok: false }],
      },
    };
    const report = markdownReport(summary, { ...META, scenario: 'probe' });
    expect(report).toContain('| token | FAILED | 5 | server_error: HTTP 503 |');
    expect(report).toContain('The walk stopped at **token**.');
    expect(report).toContain('| S256 advertised | **FAILED** |');
    expect(report).not.toContain('iteration_duration');
    expect(report.indexOf('## Probe steps')).toBeLessThan(report.indexOf('## Thresholds'));
  });
});
