/** report.md and junit.xml from hand-made VigilSummaries: order, old summaries, probes. */
import type { Finding, VigilSummary } from '@vigil/scenarios/catalog';
import { FINDING_TEXT } from '@vigil/scenarios/catalog/findings-text.ts';
import { describe, expect, it } from 'vitest';
import { findingLines } from '../src/cli/findings.ts';
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

const FINDINGS: Finding[] = [
  { code: 'WWW_AUTHENTICATE_NO_RESOURCE_METADATA', severity: 'info', step: 'discovery', evidence: {} },
  { code: 'REFRESH_NOT_ROTATED', severity: 'medium', step: 'refresh', evidence: { rotated: false } },
  {
    code: 'AS_ISSUER_MISMATCH',
    severity: 'high',
    step: 'discovery',
    evidence: {
      field: 'issuer',
      metadataIssuer: 'http://127.0.0.1:1',
      authorizationServer: 'http://127.0.0.1:1/tenant1?tenant_key=k-77#x',
      document: 'rfc8414',
    },
  },
  {
    code: 'REGISTRATION_AUTH_METHOD_UNADVERTISED',
    severity: 'low',
    step: 'registration',
    evidence: { method: 'none' },
  },
];
const ISSUER_EVIDENCE =
  'authorizationServer=http://127.0.0.1:1/tenant1 document=rfc8414 field=issuer metadataIssuer=http://127.0.0.1:1';
const PROBE_META: ReportMeta = { ...META, scenario: 'probe', status: 'passed', exitCode: 0 };

/** `null`: a summary from before findings existed (no `findings` field). */
function findingsSummary(findings: Finding[] | null = FINDINGS): VigilSummary {
  return {
    version: 1,
    scenario: 'probe',
    profile: 'smoke',
    ok: true,
    thresholds: [{ metric: 'walks_completed', expression: 'count==1', ok: true, value: 1 }],
    metrics: {},
    checks: { passes: 3, fails: 0 },
    durationMs: 1000,
    probe: {
      ok: true,
      steps: [{ step: 'discovery', ok: true, durationMs: 3 }],
      compliance: [{ name: 'S256 advertised', ok: true }],
      ...(findings ? { findings } : {}),
    },
  };
}

/** The findings testcases of a junit.xml: [name, failure message or null]. */
function findingCases(junit: string): Array<[string, string | null]> {
  return [
    ...junit.matchAll(
      /<testcase classname="vigil\.probe\.findings" name="([^"]+)">(?:<failure message="([^"]*)")?/g,
    ),
  ].map((m) => [m[1]!, m[2] ?? null]);
}

describe('spec findings in report.md, junit.xml and on the terminal', () => {
  it('report.md: a findings table, most severe first then by code, with evidence, fix and spec link', () => {
    const report = markdownReport(findingsSummary(), PROBE_META);
    expect(report.indexOf('## Compliance')).toBeLessThan(report.indexOf('## Spec findings'));
    expect(report.indexOf('## Spec findings')).toBeLessThan(report.indexOf('## Thresholds'));
    expect(report).toContain(
      '## Spec findings\n\n| severity | code | step | title | evidence | fix | spec |\n|---|---|---|---|---|---|---|\n',
    );
    const rows = report.split('\n').filter((l) => /^\| (high|medium|low|info) \|/.test(l));
    expect(rows.map((r) => r.split(' | ').slice(0, 3))).toEqual([
      ['| high', 'AS_ISSUER_MISMATCH', 'discovery'],
      ['| medium', 'REFRESH_NOT_ROTATED', 'refresh'],
      ['| low', 'REGISTRATION_AUTH_METHOD_UNADVERTISED', 'registration'],
      ['| info', 'WWW_AUTHENTICATE_NO_RESOURCE_METADATA', 'discovery'],
    ]);
    const t = FINDING_TEXT.AS_ISSUER_MISMATCH;
    expect(rows[0]).toBe(
      `| high | AS_ISSUER_MISMATCH | discovery | ${t.title} | ${ISSUER_EVIDENCE} | ${t.fix} | [${t.spec.name}](${t.spec.url}) |`,
    );
    expect(rows[1]).toContain('| rotated=false |');
    expect(rows[3]).toContain(`| ${FINDING_TEXT.WWW_AUTHENTICATE_NO_RESOURCE_METADATA.title} |  |`);
    expect(report).not.toContain('k-77');
  });

  it('report.md says when there are none, when the summary predates findings, and strict and --fail-on', () => {
    expect(markdownReport(findingsSummary([]), PROBE_META)).toContain(
      '## Spec findings\n\nNo spec findings.\n',
    );
    expect(markdownReport(findingsSummary(null), PROBE_META)).toContain(
      '## Spec findings\n\nNo spec findings reported: the summary predates them.\n',
    );
    const summary = findingsSummary();
    summary.probe!.strict = 'medium';
    const report = markdownReport(summary, { ...PROBE_META, failOn: 'high' });
    expect(report).toContain('Strict mode: findings of **medium** or worse fail the walk.');
    expect(report).toContain('`--fail-on high`: **1** finding at or above high fails the run (exit 1).');
    expect(markdownReport(findingsSummary(), { ...PROBE_META, failOn: 'none' })).not.toContain('--fail-on');
    expect(markdownReport(failedSummary(), META)).not.toContain('## Spec findings');
  });

  it('junit.xml: one testcase per code, a failure exactly for those at or above --fail-on', () => {
    const summary = findingsSummary([...FINDINGS, { ...FINDINGS[1]!, evidence: { rotated: 'again' } }]);
    const order = [
      'AS_ISSUER_MISMATCH',
      'REFRESH_NOT_ROTATED',
      'REGISTRATION_AUTH_METHOD_UNADVERTISED',
      'WWW_AUTHENTICATE_NO_RESOURCE_METADATA',
    ];
    const failing = (failOn: ReportMeta['failOn']) =>
      findingCases(junitXml(summary, { ...PROBE_META, failOn }))
        .filter(([, m]) => m !== null)
        .map(([n]) => n);
    expect(findingCases(junitXml(summary, PROBE_META)).map(([n]) => n)).toEqual(order);
    expect(failing(undefined)).toEqual([]);
    expect(failing('none')).toEqual([]);
    expect(failing('high')).toEqual(order.slice(0, 1));
    expect(failing('medium')).toEqual(order.slice(0, 2));
    expect(failing('low')).toEqual(order.slice(0, 3));
    expect(failing('info')).toEqual(order);

    const junit = junitXml(summary, { ...PROBE_META, failOn: 'medium' });
    const t = FINDING_TEXT.AS_ISSUER_MISMATCH;
    const esc = (x: string) =>
      x
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&apos;');
    expect(junit).toContain(
      `<testcase classname="vigil.probe.findings" name="AS_ISSUER_MISMATCH"><failure message="${esc(t.title)}" type="high">` +
        esc(`high at discovery: ${ISSUER_EVIDENCE}\nfix: ${t.fix}\nspec: ${t.spec.name}, ${t.spec.url}`) +
        '</failure></testcase>',
    );
    // A code seen twice is one testcase with both occurrences.
    expect(junit).toContain(esc('medium at refresh: rotated=again\nmedium at refresh: rotated=false\nfix: '));
    // Below --fail-on: no failure, the same text as system-out.
    expect(junit).toMatch(
      /<testcase classname="vigil\.probe\.findings" name="REGISTRATION_AUTH_METHOD_UNADVERTISED"><system-out>low at registration: method=none\nfix: /,
    );
    expect(junit).toContain('<testsuite name="vigil.probe.findings" tests="4" failures="2" time="0.000">');
    expect(junit).toContain('<testsuites name="vigil" tests="6" failures="2" time="1.000">');
    expect(junit).not.toContain('k-77');
    expect(findingCases(junitXml(findingsSummary([]), PROBE_META))).toEqual([]);
  });

  it('are the same bytes whatever order findings and evidence keys come in', () => {
    const summary = findingsSummary();
    const shuffled = findingsSummary(
      [...FINDINGS]
        .reverse()
        .map((f) => ({ ...f, evidence: Object.fromEntries(Object.entries(f.evidence).reverse()) })),
    );
    const meta = { ...PROBE_META, failOn: 'low' as const };
    expect(markdownReport(shuffled, meta)).toBe(markdownReport(summary, meta));
    expect(junitXml(shuffled, meta)).toBe(junitXml(summary, meta));
    expect(findingLines(shuffled.probe!)).toBe(findingLines(summary.probe!));
  });

  it('terminal: one line per finding, most severe first, the fix wrapped on indented lines', () => {
    const summary = findingsSummary();
    summary.probe!.strict = 'high';
    const text = findingLines(summary.probe!);
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      'spec findings: 4 (1 high, 1 medium, 1 low, 1 info); strict: high or worse fail the walk',
    );
    const heads = lines.filter((l) => /^\S/.test(l)).slice(1);
    const t = FINDING_TEXT.AS_ISSUER_MISMATCH;
    expect(heads).toEqual([
      `high   AS_ISSUER_MISMATCH at discovery: ${t.title} [${ISSUER_EVIDENCE}]`,
      `medium REFRESH_NOT_ROTATED at refresh: ${FINDING_TEXT.REFRESH_NOT_ROTATED.title} [rotated=false]`,
      `low    REGISTRATION_AUTH_METHOD_UNADVERTISED at registration: ${FINDING_TEXT.REGISTRATION_AUTH_METHOD_UNADVERTISED.title} [method=none]`,
      `info   WWW_AUTHENTICATE_NO_RESOURCE_METADATA at discovery: ${FINDING_TEXT.WWW_AUTHENTICATE_NO_RESOURCE_METADATA.title}`,
    ]);
    // The fix under its finding, wrapped at 100 columns, indented; then the spec.
    const first = lines.indexOf(heads[0]!);
    const block = lines.slice(first + 1, lines.indexOf(heads[1]!));
    expect(block.every((l) => l.startsWith('       '))).toBe(true);
    expect(block.slice(0, -1).every((l) => l.length <= 100)).toBe(true);
    expect(block.length).toBeGreaterThan(2);
    expect(block[0]).toMatch(/^ {7}fix: /);
    expect(block.at(-1)).toBe(`       spec: ${t.spec.name}, ${t.spec.url}`);
    const fix = block
      .slice(0, -1)
      .map((l) => l.trim())
      .join(' ')
      .replace(/^fix: /, '');
    expect(fix).toBe(t.fix);
    expect(text).not.toContain('k-77');
    expect(findingLines(findingsSummary([]).probe!)).toBe('no spec findings');
    expect(findingLines(findingsSummary(null).probe!)).toBe(
      'no spec findings reported: the summary predates them',
    );
  });
});
