import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { flowLatencySeries, slosOfKind } from '@vigil/scenarios/catalog';
import { alertDefinitions } from '../src/alerts.ts';
import { promtoolTestsYaml } from '../src/promtool-yaml.ts';
import { ALERTING_DIR, generatedFiles } from '../src/rule-files.ts';

describe('generated files', () => {
  it.each(Object.entries(generatedFiles(promtoolTestsYaml)))(
    '%s is up to date (run `npm run generate -w alerting`)',
    async (file, expected) => {
      const committed = await readFile(file, 'utf8').catch(() => '');
      expect(
        committed,
        `${path.relative(ALERTING_DIR, file)} is stale: run npm run generate -w alerting`,
      ).toBe(expected);
    },
  );

  it('has one latency alert per latency SLO, with the catalog bound in seconds', () => {
    const latencySlos = slosOfKind('latency');
    const alerts = alertDefinitions().filter((def) => def.alert === 'VigilFlowLatencySloBreach');
    expect(alerts.map((def) => def.labels.slo).sort()).toEqual(latencySlos.map((slo) => slo.id).sort());
    for (const slo of latencySlos) {
      if (slo.indicator.kind !== 'latency') continue;
      const def = alerts.find((a) => a.labels.slo === slo.id);
      expect(def?.expr).toContain(flowLatencySeries(slo.indicator.quantile));
      expect(def?.expr).toMatch(new RegExp(`> ${slo.indicator.maxMs / 1000}$`));
    }
  });

  it('gives every alert severity, flow or probe, target, summary, description with the value, dashboard link', async () => {
    const { ALERT_RULES_FILE } = await import('../src/rule-files.ts');
    const file = parse(await readFile(ALERT_RULES_FILE, 'utf8')) as {
      groups: Array<{
        rules: Array<{
          alert: string;
          expr: string;
          labels: Record<string, string>;
          annotations: Record<string, string>;
        }>;
      }>;
    };
    const rules = file.groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThan(10);
    for (const rule of rules) {
      expect(['critical', 'warning'], rule.alert).toContain(rule.labels.severity);
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
      expect(rule.annotations.description, rule.alert).toMatch(/\{\{ \$value \| humanize\w* \}\}/);
      expect(rule.annotations.dashboard, rule.alert).toMatch(/\/d\/vigil-[a-z-]+/);
    }
  });
});
