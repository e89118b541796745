import type { BadgeColor } from '@grafana/ui';
import type { Finding, FindingSeverity, ProbeResult } from '../../api/types';

export const SEVERITY_ORDER: readonly FindingSeverity[] = ['info', 'low', 'medium', 'high'];

export const SEVERITY_COLORS: Record<FindingSeverity, BadgeColor> = {
  high: 'red',
  medium: 'orange',
  low: 'blue',
  info: 'darkgrey',
};

/** Most severe first, then by code, then by step: the order of the CLI and the reports. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(b.severity) - SEVERITY_ORDER.indexOf(a.severity) ||
      a.code.localeCompare(b.code) ||
      a.step.localeCompare(b.step)
  );
}

/** Evidence as `key=value` pairs, sorted by key. */
export function evidenceText(evidence: Finding['evidence']): string {
  return Object.keys(evidence)
    .sort()
    .map((key) => `${key}=${String(evidence[key])}`)
    .join(' ');
}

export interface ResultStatus {
  text: string;
  color: BadgeColor;
  tooltip?: string;
}

/** A probe's state from its last result: never run, runner error (not the target's fault), passing, failing. */
export function resultStatus(result: ProbeResult | null | undefined): ResultStatus {
  if (!result) {
    return { text: 'never run', color: 'darkgrey' };
  }
  if (result.runnerError) {
    return {
      text: 'runner error',
      color: 'orange',
      tooltip: `The runner could not run the walk (${result.runnerError.code}): ${result.runnerError.message}`,
    };
  }
  if (result.ok) {
    return { text: 'passing', color: 'green' };
  }
  return { text: result.failedStep ? `failing at ${result.failedStep}` : 'failing', color: 'red' };
}

/**
 * Failed walks in a row, newest first, as `probe_consecutive_failures` counts them: results the
 * runner could not produce (runner errors) say nothing about the target and are skipped.
 */
export function failingStreak(results: readonly ProbeResult[]): number {
  let streak = 0;
  for (const result of results) {
    if (result.runnerError) {
      continue;
    }
    if (result.ok) {
      break;
    }
    streak += 1;
  }
  return streak;
}
