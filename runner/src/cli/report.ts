/**
 * CI artefacts from a VigilSummary: a Markdown report, JUnit XML, and a step table for probes.
 * Every list is sorted here (failed thresholds first, errors by count, findings most severe first)
 * so the same summary always gives the same bytes; summaries written before `value`, `errors`,
 * `failedChecks` and `findings` existed still render (without those figures).
 */
import {
  formatMeasured,
  type ErrorBreakdown,
  type ErrorCount,
  type FailedCheck,
  type Finding,
  type ProbeResult,
  type ThresholdResult,
  type VigilSummary,
} from '@vigil/scenarios/catalog';
import { evidenceText, failsOn, findingsAtOrAbove, sortedFindings, textOf, type FailOn } from './findings.ts';

export interface ReportMeta {
  runId: string;
  scenario: string;
  profile: string;
  target: string;
  status: string;
  exitCode: number | null;
  error: string | null;
  /** `vigil probe --fail-on`: findings of this severity or worse fail the run (absent: none). */
  failOn?: FailOn;
}

const fmt = (n: number | undefined, digits = 1) =>
  typeof n === 'number' && Number.isFinite(n) ? n.toFixed(digits) : '–';
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function stepTable(probe: ProbeResult): string {
  const rows = probe.steps.map((s) => {
    const state = s.skipped ? 'skipped' : s.ok ? 'ok' : 'FAILED';
    return `| ${s.step} | ${state} | ${fmt(s.durationMs, 0)} | ${cell([s.reason, s.detail].filter(Boolean).join(': '))} |`;
  });
  return ['| step | result | ms | detail |', '|---|---|---:|---|', ...rows].join('\n');
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Failed thresholds first, then by metric and expression. */
export function sortedThresholds(summary: VigilSummary): ThresholdResult[] {
  return [...summary.thresholds].sort(
    (a, b) => Number(a.ok) - Number(b.ok) || byName(a.metric, b.metric) || byName(a.expression, b.expression),
  );
}

const BREAKDOWNS: Array<{ by: ErrorBreakdown; title: string }> = [
  { by: 'reason', title: 'By reason' },
  { by: 'step', title: 'By step' },
  { by: 'status', title: 'By HTTP status (0: no response)' },
];
/** Rows per breakdown in report.md, and error lines in a JUnit failure. */
const TOP_ERRORS = 10;

function sortedErrors(summary: VigilSummary): ErrorCount[] {
  return [...(summary.errors ?? [])]
    .filter((e) => e.count > 0)
    .sort(
      (a, b) =>
        b.count - a.count || byName(a.metric, b.metric) || byName(a.by, b.by) || byName(a.value, b.value),
    );
}

function sortedFailedChecks(summary: VigilSummary): FailedCheck[] {
  return [...(summary.failedChecks ?? [])]
    .filter((c) => c.fails > 0)
    .sort((a, b) => b.fails - a.fails || byName(a.name, b.name));
}

function thresholdSection(summary: VigilSummary): string[] {
  const lines = ['## Thresholds', ''];
  if (summary.thresholds.length === 0) return [...lines, 'The script has no thresholds.'];
  lines.push('| result | metric | measured | threshold |', '|---|---|---|---|');
  for (const t of sortedThresholds(summary))
    lines.push(
      `| ${t.ok ? 'passed' : '**FAILED**'} | ${cell(t.metric)} | ${cell(formatMeasured(t.expression, t.value))} | \`${cell(t.expression)}\` |`,
    );
  return lines;
}

function failedCheckSection(summary: VigilSummary): string[] {
  const checks = sortedFailedChecks(summary);
  if (checks.length === 0) return [];
  const lines = ['', '## Failed checks', '', '| check | fails | passes |', '|---|---:|---:|'];
  for (const c of checks) lines.push(`| ${cell(c.name)} | ${c.fails} | ${c.passes} |`);
  return lines;
}

function errorSection(summary: VigilSummary): string[] {
  const errors = sortedErrors(summary);
  if (errors.length === 0) return [];
  const lines = ['', '## Top errors', ''];
  for (const { by, title } of BREAKDOWNS) {
    const rows = errors.filter((e) => e.by === by).slice(0, TOP_ERRORS);
    if (rows.length === 0) continue;
    lines.push(`### ${title}`, '', `| counter | ${by} | count |`, '|---|---|---:|');
    for (const e of rows) lines.push(`| ${cell(e.metric)} | ${cell(e.value)} | ${e.count} |`);
    lines.push('');
  }
  lines.pop();
  return lines;
}

function probeSections(probe: ProbeResult): string[] {
  const lines = ['## Probe steps', '', stepTable(probe), ''];
  if (probe.failedStep) lines.push(`The walk stopped at **${probe.failedStep}**.`, '');
  lines.push('## Compliance', '');
  if (probe.compliance.length === 0) lines.push('No compliance check was observed.');
  else {
    lines.push('| check | result |', '|---|---|');
    for (const c of probe.compliance) lines.push(`| ${cell(c.name)} | ${c.ok ? 'ok' : '**FAILED**'} |`);
  }
  const facts: string[] = [];
  if (probe.toolCount !== undefined || probe.toolsHash)
    facts.push(`- tools/list: ${probe.toolCount ?? '–'} tools, sha256 \`${cell(probe.toolsHash ?? '–')}\``);
  if (probe.tokenExpiresInSeconds !== undefined)
    facts.push(`- access token expires in ${probe.tokenExpiresInSeconds} s`);
  if (facts.length) lines.push('', ...facts);
  return [...lines, ''];
}

function findingSection(probe: ProbeResult, failOn: FailOn | undefined): string[] {
  const lines = ['## Spec findings', ''];
  if (probe.findings === undefined)
    return [...lines, 'No spec findings reported: the summary predates them.', ''];
  const findings = sortedFindings(probe.findings);
  if (findings.length === 0) lines.push('No spec findings.');
  else {
    lines.push('| severity | code | step | title | evidence | fix | spec |', '|---|---|---|---|---|---|---|');
    for (const f of findings) {
      const text = textOf(f.code);
      const spec = text.spec.url ? `[${cell(text.spec.name)}](${cell(text.spec.url)})` : '';
      lines.push(
        `| ${cell(f.severity)} | ${cell(f.code)} | ${cell(f.step)} | ${cell(text.title)} | ${cell(evidenceText(f.evidence))} | ${cell(text.fix)} | ${spec} |`,
      );
    }
  }
  const notes: string[] = [];
  if (probe.strict) notes.push(`Strict mode: findings of **${probe.strict}** or worse fail the walk.`);
  if (failOn && failOn !== 'none') {
    const n = findingsAtOrAbove(probe, failOn).length;
    notes.push(
      `\`--fail-on ${failOn}\`: **${n}** finding${n === 1 ? '' : 's'} at or above ${failOn} ${n === 1 ? 'fails' : n ? 'fail' : 'would fail'} the run${n ? ' (exit 1)' : ''}.`,
    );
  }
  if (notes.length) lines.push('', ...notes);
  return [...lines, ''];
}

function keyMetricSection(summary: VigilSummary): string[] {
  const lines = [
    '',
    '## Key metrics',
    '',
    '| metric | p50 | p95 | p99 | rate | count |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const [name, m] of Object.entries(summary.metrics).sort(([a], [b]) => byName(a, b))) {
    const v = m.values;
    lines.push(
      `| ${cell(name)} | ${fmt(v.med)} | ${fmt(v['p(95)'])} | ${fmt(v['p(99)'])} | ${fmt(v.rate, 3)} | ${fmt(v.count, 0)} |`,
    );
  }
  return [...lines, '', 'Trend values in milliseconds.'];
}

export function markdownReport(summary: VigilSummary | null, meta: ReportMeta): string {
  const lines = [
    `# Vigil run ${meta.runId}`,
    '',
    `- scenario: **${meta.scenario}**, profile: **${meta.profile}**, target: **${meta.target}**`,
    `- status: **${meta.status}** (k6 exit ${meta.exitCode ?? '–'})`,
  ];
  if (meta.error) lines.push(`- error: ${cell(meta.error)}`);
  if (!summary) return [...lines, '', 'No summary was written by the script.', ''].join('\n');
  lines.push(
    `- duration: ${fmt(summary.durationMs / 1000)} s; checks: ${summary.checks.passes} passed, ${summary.checks.fails} failed`,
    '',
  );
  // A probe is one walk: its steps and compliance say what happened. Run-wide figures (a 0 ms
  // iteration, http_req_failed from the held stream's expected timeout) would only confuse.
  if (summary.probe)
    lines.push(...probeSections(summary.probe), ...findingSection(summary.probe, meta.failOn));
  lines.push(...thresholdSection(summary), ...failedCheckSection(summary), ...errorSection(summary));
  if (!summary.probe) lines.push(...keyMetricSection(summary));
  lines.push('');
  return lines.join('\n');
}

const xml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** `oauth_success: rate = 0.931, threshold rate>=0.99 not met` */
export function thresholdFailureMessage(t: ThresholdResult): string {
  return `${t.metric}: ${formatMeasured(t.expression, t.value)}, threshold ${t.expression} not met`;
}

/** The text of a failed threshold's JUnit failure: the run's top errors and failed checks. */
export function failureDetails(summary: VigilSummary): string {
  const lines: string[] = [];
  const errors = sortedErrors(summary).slice(0, TOP_ERRORS);
  if (errors.length) {
    lines.push('Top errors:');
    for (const e of errors) lines.push(`  ${e.metric} ${e.by} ${e.value}: ${e.count}`);
  }
  const checks = sortedFailedChecks(summary);
  if (checks.length) {
    lines.push('Failed checks:');
    for (const c of checks) lines.push(`  ${c.name}: ${c.fails} failed, ${c.passes} passed`);
  }
  return lines.join('\n');
}

/** The JUnit text of a finding code: each occurrence's severity, step and evidence, the fix, the spec. */
function findingDetails(occurrences: Finding[]): string {
  const text = textOf(occurrences[0]!.code);
  const lines = occurrences.map((f) => {
    const evidence = evidenceText(f.evidence);
    return `${f.severity} at ${f.step}${evidence ? `: ${evidence}` : ''}`;
  });
  if (text.fix) lines.push(`fix: ${text.fix}`);
  if (text.spec.url) lines.push(`spec: ${text.spec.name}, ${text.spec.url}`);
  return lines.join('\n');
}

/**
 * The findings suite: one testcase per code seen (most severe first, then by code), a failure when
 * its severity is at or above `--fail-on` (never with `none`), else the same text as system-out.
 */
function findingSuite(probe: ProbeResult | undefined, failOn: FailOn | undefined) {
  const byCode = new Map<string, Finding[]>();
  for (const f of sortedFindings(probe?.findings)) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f]);
  const suite = 'vigil.probe.findings';
  let failures = 0;
  const cases = [...byCode.entries()].map(([code, occurrences]) => {
    const worst = occurrences[0]!;
    const body = xml(findingDetails(occurrences));
    const open = `    <testcase classname="${suite}" name="${xml(code)}">`;
    if (!failsOn(worst.severity, failOn)) return `${open}<system-out>${body}</system-out></testcase>`;
    failures++;
    return `${open}<failure message="${xml(textOf(code).title)}" type="${xml(worst.severity)}">${body}</failure></testcase>`;
  });
  return { suite, cases, failures };
}

/**
 * One testcase per threshold (and per probe step); a failure element when not ok. A probe's
 * findings are a second suite (`findingSuite`).
 */
export function junitXml(summary: VigilSummary | null, meta: ReportMeta): string {
  const cases: string[] = [];
  let failures = 0;
  const suite = `vigil.${meta.scenario}`;
  const add = (name: string, ok: boolean, message: string, body = '') => {
    if (!ok) failures++;
    const failure = ok
      ? ''
      : body
        ? `<failure message="${xml(message)}">${xml(body)}</failure>`
        : `<failure message="${xml(message)}"/>`;
    cases.push(`    <testcase classname="${xml(suite)}" name="${xml(name)}">${failure}</testcase>`);
  };
  if (!summary) add('summary', false, meta.error ?? 'the script wrote no summary');
  const details = summary ? failureDetails(summary) : '';
  for (const t of summary ? sortedThresholds(summary) : [])
    add(`${t.metric}: ${t.expression}`, t.ok, thresholdFailureMessage(t), details);
  for (const s of summary?.probe?.steps ?? [])
    add(
      `step ${s.step}`,
      s.ok || Boolean(s.skipped),
      `${s.reason ?? 'failed'}${s.detail ? `: ${s.detail}` : ''}`,
    );
  if (summary && meta.status === 'error') add('run', false, meta.error ?? 'run error');
  const time = fmt((summary?.durationMs ?? 0) / 1000, 3);
  const findings = findingSuite(summary?.probe, meta.failOn);
  const findingSuiteXml = findings.cases.length
    ? [
        `  <testsuite name="${findings.suite}" tests="${findings.cases.length}" failures="${findings.failures}" time="0.000">`,
        ...findings.cases,
        '  </testsuite>',
      ]
    : [];
  const tests = cases.length + findings.cases.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="vigil" tests="${tests}" failures="${failures + findings.failures}" time="${time}">`,
    `  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}" time="${time}">`,
    ...cases,
    '  </testsuite>',
    ...findingSuiteXml,
    '</testsuites>',
    '',
  ].join('\n');
}
