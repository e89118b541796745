/**
 * Generates `promtool test rules` unit tests for every alert definition from its test case below:
 * each case holds the series just under the objective (quiet), then a breach (pending until its
 * `for`, then firing with its labels and annotations), then a recovery (resolved). Expected
 * annotations are rendered from the same templates the rules use (template.ts).
 */
import path from 'node:path';
import { ALERT_GROUP_INTERVALS, alertDefinitions, dashboardLink, type AlertDef } from './alerts.ts';
import { ALERT_RULES_FILE, PROMTOOL_TESTS_FILE, RECORDING_RULES_FILE, toYaml } from './rule-files.ts';
import { durationSeconds } from './rules.ts';
import { render } from './template.ts';
import { type AlertCase, type Segment } from './promtool-case.ts';
import { ALERT_CASES, RECORDING_CASES } from './promtool-cases.ts';

/** One input series in promtool's expanding notation, built from consecutive segments. */
function seriesValues(segments: Array<{ segment: Segment; steps: number }>): string {
  const parts: string[] = [];
  let counter = 0;
  for (const { segment, steps } of segments) {
    if ('gauge' in segment) {
      parts.push(`${segment.gauge}x${steps - 1}`);
      counter = segment.gauge;
    } else {
      const start = segment.from ?? counter;
      const sign = segment.perStep < 0 ? '-' : '+';
      parts.push(`${start}${sign}${Math.abs(segment.perStep)}x${steps - 1}`);
      counter = start + segment.perStep * steps;
    }
  }
  return parts.join(' ');
}

function roundUp(seconds: number, step: number): number {
  return Math.ceil(seconds / step) * step;
}

function definitionsFor(testCase: AlertCase, defs: AlertDef[]): AlertDef[] {
  const matching = defs.filter(
    (def) =>
      def.alert === testCase.alert &&
      testCase.fires.includes(def.labels.severity) &&
      (testCase.match?.(def) ?? true),
  );
  if (matching.length !== testCase.fires.length) {
    throw new Error(
      `promtool case "${testCase.name}": expected ${testCase.fires.length} rule(s) of ${testCase.alert}, found ${matching.length}`,
    );
  }
  return matching;
}

function expectedAlert(def: AlertDef, testCase: AlertCase, value: number) {
  const labels = { ...testCase.labels, ...def.labels };
  return {
    exp_labels: labels,
    exp_annotations: {
      summary: render(def.summary, labels, value),
      description: render(def.description, labels, value),
      dashboard: render(dashboardLink(def), labels, value),
    },
  };
}

function alertTest(testCase: AlertCase, defs: AlertDef[]) {
  const matching = definitionsFor(testCase, defs);
  const first = matching[0] as AlertDef;
  const step = durationSeconds(testCase.interval);
  const groupInterval = Math.max(...matching.map((def) => durationSeconds(ALERT_GROUP_INTERVALS[def.group])));
  const forSeconds = Math.max(...matching.map((def) => durationSeconds(def.for)));
  const settle = durationSeconds(testCase.settle ?? '0s');
  const margin = settle + forSeconds + 3 * groupInterval;
  const underSteps = Math.ceil(margin / step) + 1;
  const breachSteps = Math.ceil(margin / step) + 2;
  const clears = durationSeconds(testCase.clears ?? testCase.settle ?? '0s');
  const recoverSteps = Math.ceil((clears + 3 * groupInterval) / step) + 2;
  const breachStart = underSteps * step;
  const recoverStart = breachStart + breachSteps * step;
  const quietAt = breachStart - step;
  const firingAt = roundUp(breachStart + settle + forSeconds + 2 * groupInterval, groupInterval);
  const resolvedAt = roundUp(recoverStart + clears + 2 * groupInterval, groupInterval);
  const value = typeof testCase.value === 'function' ? testCase.value(firingAt, breachStart) : testCase.value;
  const checks: Array<{ eval_time: string; alertname: string; exp_alerts: unknown[] }> = [
    { eval_time: `${quietAt}s`, alertname: first.alert, exp_alerts: [] },
  ];
  if (forSeconds > 0) {
    checks.push({
      eval_time: `${roundUp(breachStart, groupInterval) + forSeconds - groupInterval}s`,
      alertname: first.alert,
      exp_alerts: [],
    });
  }
  checks.push({
    eval_time: `${firingAt}s`,
    alertname: first.alert,
    exp_alerts: matching.map((def) => expectedAlert(def, testCase, value)),
  });
  checks.push({ eval_time: `${resolvedAt}s`, alertname: first.alert, exp_alerts: [] });
  return {
    name: `${first.alert}: ${testCase.name}`,
    interval: testCase.interval,
    input_series: testCase.inputs.map((input) => ({
      series: input.series,
      values: seriesValues([
        { segment: input.under, steps: underSteps },
        { segment: input.breach, steps: breachSteps },
        { segment: input.recover ?? input.under, steps: recoverSteps },
      ]),
    })),
    alert_rule_test: checks,
  };
}

function recordingTest(testCase: (typeof RECORDING_CASES)[number]) {
  return {
    name: `recording: ${testCase.name}`,
    interval: testCase.interval,
    input_series: testCase.inputs.map((input) => ({
      series: input.series,
      values: seriesValues([{ segment: input.segment, steps: testCase.steps }]),
    })),
    promql_expr_test: testCase.expect.map((e) => ({
      expr: e.expr,
      eval_time: e.evalTime,
      exp_samples: e.samples,
    })),
  };
}

/** Every alert definition must have at least one case: a new alert without a test fails generation. */
function assertEveryAlertTested(defs: AlertDef[]): void {
  for (const def of defs) {
    const tested = ALERT_CASES.some(
      (c) => c.alert === def.alert && c.fires.includes(def.labels.severity) && (c.match?.(def) ?? true),
    );
    if (!tested)
      throw new Error(
        `alert ${def.alert} (${def.labels.severity}, ${def.expr.slice(0, 60)}…) has no promtool case in promtool-cases.ts`,
      );
  }
}

export function promtoolTestsYaml(): string {
  const defs = alertDefinitions();
  assertEveryAlertTested(defs);
  const relative = (file: string) => path.relative(path.dirname(PROMTOOL_TESTS_FILE), file);
  return toYaml(
    'promtool unit tests: every alert fires after its `for`, stays quiet under its objective, resolves, carries its labels.',
    {
      rule_files: [relative(RECORDING_RULES_FILE), relative(ALERT_RULES_FILE)],
      evaluation_interval: '5s',
      tests: [...ALERT_CASES.map((c) => alertTest(c, defs)), ...RECORDING_CASES.map(recordingTest)],
    },
  );
}
