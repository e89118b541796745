import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { alertDefinitions } from '../src/alerts.ts';
import {
  ALERTING_DIR,
  ALERT_RULES_FILE,
  PROMTOOL_TESTS_FILE,
  RECORDING_RULES_FILE,
} from '../src/rule-files.ts';
import { PROMTOOL, run } from './support/run.ts';

const scratch: string[] = [];
afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A copy of rules/ and of the tests of `alert`, whose alert rules file went through `mutate`. */
async function mutatedCopy(mutate: (rules: string) => string, alert: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-alerting-mutant-'));
  scratch.push(dir);
  await cp(path.join(ALERTING_DIR, 'rules'), path.join(dir, 'rules'), { recursive: true });
  await cp(path.join(ALERTING_DIR, 'promtool'), path.join(dir, 'promtool'), { recursive: true });
  const rulesFile = path.join(dir, 'rules', path.basename(ALERT_RULES_FILE));
  const original = await readFile(rulesFile, 'utf8');
  const mutated = mutate(original);
  expect(mutated, 'mutation did not change the rules').not.toBe(original);
  await writeFile(rulesFile, mutated);
  const testsFile = path.join(dir, 'promtool', path.basename(PROMTOOL_TESTS_FILE));
  const tests = parse(await readFile(testsFile, 'utf8')) as { tests: Array<{ name: string }> };
  tests.tests = tests.tests.filter((t) => t.name.startsWith(`${alert}:`));
  await writeFile(testsFile, stringify(tests));
  return testsFile;
}

describe('promtool', () => {
  it('checks both rule files', async () => {
    const result = await run(PROMTOOL, ['check', 'rules', RECORDING_RULES_FILE, ALERT_RULES_FILE]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/SUCCESS: \d+ rules found[\s\S]*SUCCESS: \d+ rules found/);
  });

  it('passes the unit tests of every alert', async () => {
    const result = await run(
      PROMTOOL,
      ['test', 'rules', path.basename(PROMTOOL_TESTS_FILE)],
      path.dirname(PROMTOOL_TESTS_FILE),
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('SUCCESS');
  });

  it('has a unit test naming every alert rule', async () => {
    const tests = parse(await readFile(PROMTOOL_TESTS_FILE, 'utf8')) as { tests: Array<{ name: string }> };
    const names = tests.tests.map((t) => t.name);
    for (const alert of new Set(alertDefinitions().map((def) => def.alert))) {
      expect(
        names.some((name) => name.startsWith(`${alert}:`)),
        alert,
      ).toBe(true);
    }
  });

  it.each([
    [
      'a looser latency bound',
      (rules: string) =>
        rules.replace(
          /(VigilFlowLatencySloBreach[\s\S]*?expr: .*> )([\d.]+)/,
          (_m, head: string, bound: string) => `${head}${Number(bound) * 2}`,
        ),
      'VigilFlowLatencySloBreach',
    ],
    [
      'more failed runs in a row before the probe alert',
      (rules: string) => rules.replace(/(alert: VigilProbeFailing\n\s+expr: .*?)>= \d+/, '$1>= 5'),
      'VigilProbeFailing',
    ],
    [
      'a dropped step label',
      (rules: string) => rules.replace('"step", "none"', '"step", "unknown"'),
      'VigilProbeFailing',
    ],
  ])('fails when the rules drift: %s', async (_what, mutate, alert) => {
    const testsFile = await mutatedCopy(mutate, alert);
    const result = await run(PROMTOOL, ['test', 'rules', path.basename(testsFile)], path.dirname(testsFile));
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(alert);
  });
});
