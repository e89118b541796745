/**
 * The probe's spec findings as the CLI shows them: sorted (most severe first, then by code), their
 * text from the catalog (FINDING_TEXT), evidence as `key=value` pairs, and `--fail-on`. Shared by
 * the terminal output, report.md, junit.xml and the SARIF log, so they all say the same thing in
 * the same order. Nothing from a run beyond the findings' own redacted evidence goes in, and even
 * that passes through `withoutUrlSecrets` (a URL keeps its origin and path only).
 */
import {
  atLeast,
  FINDING_SEVERITIES,
  type Finding,
  type FindingEvidence,
  type FindingSeverity,
  type ProbeResult,
} from '@vigil/scenarios/catalog';
import { FINDING_TEXT, type FindingText } from '@vigil/scenarios/catalog/findings-text.ts';

/** `vigil probe --fail-on`: findings of this severity or worse fail the run; `none`: never. */
export const FAIL_ON = ['none', ...FINDING_SEVERITIES] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** `vigil probe --strict` (the script's STRICT): `true` means high. */
export const STRICT_VALUES = ['true', ...FINDING_SEVERITIES] as const;

/** Higher is more severe; a severity this runner does not know ranks below info. */
const rank = (severity: string) => (FINDING_SEVERITIES as readonly string[]).indexOf(severity);
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The text of a code; a code from a newer script than this runner still gets a line. */
export function textOf(code: string): FindingText {
  return (
    (FINDING_TEXT as Partial<Record<string, FindingText>>)[code] ?? {
      title: code,
      spec: { name: '', url: '' },
      fix: '',
    }
  );
}

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/**
 * A URL without credentials, query and fragment: what may be shown of it. Cut as text, so a URL
 * with nothing to remove comes back unchanged (no normalisation, no added trailing slash).
 */
export function safeUrl(raw: string): string {
  // Userinfo first, up to the last `@` before the path: a password may hold `?` or `#`.
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/]*@/i, '$1').replace(/[?#].*$/s, '');
}

/** Every URL in a text reduced to `safeUrl`. */
export function withoutUrlSecrets(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => safeUrl(url));
}

/** Evidence with its string values passed through `withoutUrlSecrets`, keys sorted. */
export function safeEvidence(evidence: FindingEvidence): FindingEvidence {
  const out: FindingEvidence = {};
  for (const key of Object.keys(evidence ?? {}).sort(byName)) {
    const value = evidence[key]!;
    out[key] = typeof value === 'string' ? withoutUrlSecrets(value) : value;
  }
  return out;
}

const plainValue = /^[^\s"=[\]]+$/;

/** `authorizationServer=https://as/tenant1 document=rfc8414` (keys sorted; odd strings quoted). */
export function evidenceText(evidence: FindingEvidence): string {
  return Object.entries(safeEvidence(evidence))
    .map(([k, v]) => `${k}=${typeof v === 'string' && !plainValue.test(v) ? JSON.stringify(v) : String(v)}`)
    .join(' ');
}

/** Most severe first, then by code, step and evidence: the same findings always give the same order. */
export function sortedFindings(findings: readonly Finding[] | undefined): Finding[] {
  return [...(findings ?? [])].sort(
    (a, b) =>
      rank(b.severity) - rank(a.severity) ||
      byName(a.code, b.code) ||
      byName(a.step, b.step) ||
      byName(evidenceText(a.evidence), evidenceText(b.evidence)),
  );
}

/** Whether `--fail-on` makes this severity fail the run. */
export function failsOn(severity: FindingSeverity, failOn: FailOn | undefined): boolean {
  return failOn !== undefined && failOn !== 'none' && rank(severity) >= 0 && atLeast(severity, failOn);
}

/** The findings that fail the run under `--fail-on` (sorted). */
export function findingsAtOrAbove(probe: ProbeResult | undefined, failOn: FailOn | undefined): Finding[] {
  return sortedFindings(probe?.findings).filter((f) => failsOn(f.severity, failOn));
}

/** `2 (1 high, 1 info)` */
export function findingCounts(findings: readonly Finding[]): string {
  const counts = [...FINDING_SEVERITIES]
    .reverse()
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const other = findings.filter((f) => rank(f.severity) < 0).length;
  if (other) counts.push(`${other} of unknown severity`);
  return `${findings.length} (${counts.join(', ')})`;
}

export const NO_FINDINGS = 'no spec findings';
export const FINDINGS_PREDATED = 'no spec findings reported: the summary predates them';

function wrap(text: string, first: string, indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line = empty ? line + word : `${line} ${word}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

const INDENT = ' '.repeat(7);

/**
 * The terminal listing after the step table: a header, then per finding one line (severity, code,
 * step, title, evidence) and below it, indented, the fix wrapped at `width` and the spec.
 */
export function findingLines(probe: ProbeResult, width = 100): string {
  if (probe.findings === undefined) return FINDINGS_PREDATED;
  const findings = sortedFindings(probe.findings);
  const strict = probe.strict ? `; strict: ${probe.strict} or worse fail the walk` : '';
  if (findings.length === 0) return `${NO_FINDINGS}${strict}`;
  const lines = [`spec findings: ${findingCounts(findings)}${strict}`];
  for (const f of findings) {
    const text = textOf(f.code);
    const evidence = evidenceText(f.evidence);
    lines.push(
      `${f.severity.padEnd(6)} ${f.code} at ${f.step}: ${text.title}${evidence ? ` [${evidence}]` : ''}`,
    );
    if (text.fix) lines.push(...wrap(text.fix, `${INDENT}fix: `, `${INDENT}     `, width));
    if (text.spec.url) lines.push(`${INDENT}spec: ${text.spec.name}, ${text.spec.url}`);
  }
  return lines.join('\n');
}

/**
 * Replaces each of the run's secret values (4+ characters, as `scrub` does for k6.log) in every
 * string of `value`: the last guard before a report or SARIF file is written. Unlike `scrub`, it
 * leaves `Bearer <word>` alone, which the fixes quote (`WWW-Authenticate: Bearer resource_metadata=…`).
 */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  const kept = secrets.filter((s) => s.length >= 4);
  if (kept.length === 0) return value;
  const redact = (text: string) => kept.reduce((t, s) => t.split(s).join('[REDACTED]'), text);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [redact(k), walk(x)]));
    return v;
  };
  return walk(value) as T;
}
