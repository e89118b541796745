/** CI artefacts from a VigilSummary: a Markdown report, JUnit XML, and a step table for probes. */
import type { ProbeResult, VigilSummary } from '@vigil/scenarios/catalog';

export interface ReportMeta {
  runId: string;
  scenario: string;
  profile: string;
  target: string;
  status: string;
  exitCode: number | null;
  error: string | null;
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
  lines.push('## Thresholds', '', '| metric | threshold | result |', '|---|---|---|');
  for (const t of summary.thresholds)
    lines.push(`| ${cell(t.metric)} | \`${cell(t.expression)}\` | ${t.ok ? 'passed' : '**FAILED**'} |`);
  lines.push(
    '',
    '## Key metrics',
    '',
    '| metric | p50 | p95 | p99 | rate | count |',
    '|---|---:|---:|---:|---:|---:|',
  );
  for (const [name, m] of Object.entries(summary.metrics).sort(([a], [b]) => a.localeCompare(b))) {
    const v = m.values;
    lines.push(
      `| ${cell(name)} | ${fmt(v.med)} | ${fmt(v['p(95)'])} | ${fmt(v['p(99)'])} | ${fmt(v.rate, 3)} | ${fmt(v.count, 0)} |`,
    );
  }
  if (summary.probe) lines.push('', '## Probe steps', '', stepTable(summary.probe));
  lines.push('', 'Trend values in milliseconds.', '');
  return lines.join('\n');
}

const xml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** One testcase per threshold (and per probe step); a failure element when not ok. */
export function junitXml(summary: VigilSummary | null, meta: ReportMeta): string {
  const cases: string[] = [];
  let failures = 0;
  const suite = `vigil.${meta.scenario}`;
  const add = (name: string, ok: boolean, message: string) => {
    if (!ok) failures++;
    const failure = ok ? '' : `<failure message="${xml(message)}"/>`;
    cases.push(`    <testcase classname="${xml(suite)}" name="${xml(name)}">${failure}</testcase>`);
  };
  if (!summary) add('summary', false, meta.error ?? 'the script wrote no summary');
  for (const t of summary?.thresholds ?? [])
    add(`${t.metric}: ${t.expression}`, t.ok, `threshold ${t.expression} on ${t.metric} failed`);
  for (const s of summary?.probe?.steps ?? [])
    add(
      `step ${s.step}`,
      s.ok || Boolean(s.skipped),
      `${s.reason ?? 'failed'}${s.detail ? `: ${s.detail}` : ''}`,
    );
  if (summary && meta.status === 'error') add('run', false, meta.error ?? 'run error');
  const time = fmt((summary?.durationMs ?? 0) / 1000, 3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="vigil" tests="${cases.length}" failures="${failures}" time="${time}">`,
    `  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}" time="${time}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
