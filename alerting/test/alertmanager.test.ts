import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertDefinitions } from '../src/alerts.ts';
import { ALERTING_DIR } from '../src/rule-files.ts';
import { AMTOOL, run } from './support/run.ts';

const SHIPPED = path.join(ALERTING_DIR, 'alertmanager.yml');
const EXAMPLE = path.join(ALERTING_DIR, 'alertmanager.receivers.example.yml');

async function routeOf(configFile: string, labels: Record<string, string>): Promise<string> {
  const args = [
    'config',
    'routes',
    'test',
    `--config.file=${configFile}`,
    ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
  ];
  const result = await run(AMTOOL, args);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim();
}

describe('alertmanager.yml', () => {
  it.each([SHIPPED, EXAMPLE])('passes amtool check-config: %s', async (file) => {
    const result = await run(AMTOOL, ['check-config', file], ALERTING_DIR);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('1 templates');
  });

  it.each([
    [
      { alertname: 'VigilProbeFailing', severity: 'critical', target: 'demo', probe: 'walk' },
      'vigil-critical',
    ],
    [{ alertname: 'VigilTargetDown', severity: 'critical', target: 'demo' }, 'vigil-critical'],
    [
      { alertname: 'VigilFlowLatencySloBreach', severity: 'warning', target: 'demo', flow: 'auth_flow' },
      'vigil-default',
    ],
    [{ alertname: 'SomethingElse' }, 'vigil-default'],
  ])('routes %o to %s', async (labels, receiver) => {
    expect(await routeOf(SHIPPED, labels)).toBe(receiver);
  });

  it.each([
    [{ alertname: 'VigilProbeFailing', severity: 'critical', target: 'demo' }, 'oncall-pagerduty,team-slack'],
    [{ alertname: 'VigilProbeToolsDrift', severity: 'warning', target: 'demo' }, 'team-slack'],
    [{ alertname: 'SomethingElse' }, 'team-email'],
  ])('example config routes %o to %s', async (labels, receivers) => {
    expect(await routeOf(EXAMPLE, labels)).toBe(receivers);
  });

  it('refers only to alert names the generated rules define', async () => {
    const known = new Set(alertDefinitions().map((def) => def.alert));
    for (const file of [SHIPPED, EXAMPLE]) {
      const text = await readFile(file, 'utf8');
      const referenced = new Set([...text.matchAll(/Vigil[A-Z][A-Za-z]+/g)].map((m) => m[0]));
      for (const name of referenced)
        expect(known.has(name), `${path.basename(file)} names ${name}`).toBe(true);
    }
  });

  it('inhibits every SLO alert of a target that is down', async () => {
    const text = await readFile(SHIPPED, 'utf8');
    const inhibited = /alertname=~"([^"]+)"/.exec(text)?.[1]?.split('|') ?? [];
    const sloAlerts = alertDefinitions().filter((def) => def.labels.slo || def.labels.flow);
    for (const def of sloAlerts)
      if (def.alert !== 'VigilTargetDown') expect(inhibited, def.alert).toContain(def.alert);
  });

  it('renders the notification templates', async () => {
    const result = await run(
      AMTOOL,
      [
        'template',
        'render',
        '--template.glob=templates/*.tmpl',
        '--template.text={{ template "vigil.title" . }}',
      ],
      ALERTING_DIR,
    );
    expect(result.code, result.stderr).toBe(0);
    // amtool's sample data has the status "alertstatus" and no alerts: this proves the templates parse and resolve.
    expect(result.stdout.trim()).toBe('[ALERTSTATUS]');
  });
});
