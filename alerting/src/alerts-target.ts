/** Alerts of the target's health (group `target`): down, memory and CPU, session-store latency. */
import {
  K6_BUILTIN_SERIES,
  RECORDED_SERIES,
  SLOS,
  slosOfKind,
  scrapeUp,
  selector,
  withTargetLabel,
  type Slo,
} from '@vigil/scenarios/catalog';
import type { AlertDef } from './alert-def.ts';
import { promNumber } from './rules.ts';
import { RESOURCE_FOR, SCRAPE_DOWN_FOR } from './settings.ts';
import { label, text, value } from './template.ts';

function resourceAlerts(): AlertDef[] {
  const stressActive = `count by (target) (${selector(K6_BUILTIN_SERIES.vus, { profile: 'stress' })})`;
  const defs: AlertDef[] = [];
  for (const slo of SLOS as readonly Slo[]) {
    const i = slo.indicator;
    if (i.kind !== 'resource') continue;
    const series =
      i.resource === 'rss_bytes' ? RECORDED_SERIES.targetResidentMemory : RECORDED_SERIES.targetCpuRatio;
    const format = i.resource === 'rss_bytes' ? 'humanize1024' : 'humanizePercentage';
    const shown = (v: number) =>
      i.resource === 'rss_bytes' ? `${promNumber(v / 1024 / 1024)} MiB` : `${promNumber(v * 100)}%`;
    const what = i.resource === 'rss_bytes' ? 'resident memory' : 'CPU';
    for (const [severity, bound, condition] of [
      ['warning', i.max, ` unless on (target) ${stressActive}`],
      ['critical', i.maxUnderStress, ''],
    ] as const) {
      defs.push({
        group: 'target',
        alert: i.resource === 'rss_bytes' ? 'VigilTargetMemoryHigh' : 'VigilTargetCpuHigh',
        expr: `(${series} > ${promNumber(bound)})${condition}`,
        for: RESOURCE_FOR,
        labels: { severity, flow: slo.flow },
        summary: [text(`Target `), label('target'), text(` ${what} above ${shown(bound)}`)],
        description: [
          text(`${what} of `),
          label('instance'),
          text(' is '),
          value(format),
          text(
            `, bound ${shown(bound)}${severity === 'warning' ? ' outside stress runs' : ' even under stress'} (SLO ${slo.id}: ${slo.title}).`,
          ),
        ],
        dashboard: 'targetResources',
        dashboardVars: ['target'],
      });
    }
  }
  return defs;
}

export function targetAlerts(): AlertDef[] {
  const sessionStore = slosOfKind('target_latency')[0];
  const defs: AlertDef[] = [
    {
      group: 'target',
      alert: 'VigilTargetDown',
      expr: `${withTargetLabel((m) => `max by (target, instance) (${scrapeUp('target', m)})`)} == 0`,
      for: SCRAPE_DOWN_FOR,
      labels: { severity: 'critical', flow: 'server_resources' },
      summary: [text('Target '), label('target'), text(' is down')],
      description: [
        text('Prometheus cannot scrape '),
        label('instance'),
        text(' (up = '),
        value('humanize'),
        text('); its SLO alerts are silenced while it is down.'),
      ],
      dashboard: 'targetResources',
      dashboardVars: ['target'],
    },
    ...resourceAlerts(),
  ];
  if (sessionStore) {
    const { maxMs } = sessionStore.indicator;
    defs.push({
      group: 'target',
      alert: 'VigilSessionStoreSlow',
      expr: `${RECORDED_SERIES.sessionStoreP95} > ${promNumber(maxMs / 1000)}`,
      for: RESOURCE_FOR,
      labels: { severity: 'warning', flow: sessionStore.flow },
      summary: [text('Session store of '), label('target'), text(' is slow')],
      description: [
        text('Redis operation p95 is '),
        value('humanizeDuration'),
        text(`, objective < ${maxMs} ms (SLO ${sessionStore.id}: ${sessionStore.title}).`),
      ],
      dashboard: 'targetResources',
      dashboardVars: ['target'],
    });
  }
  return defs;
}
