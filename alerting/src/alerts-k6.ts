/** Alerts of k6 load runs (group `k6`): latency SLO breaches, success ratios, load-generator saturation. */
import {
  K6_BUILTIN_SERIES,
  K6_METRICS,
  RECORDED_SERIES,
  SLOS,
  flowLatencySeries,
  selector,
  type DashboardKey,
  type Flow,
  type Slo,
} from '@vigil/scenarios/catalog';
import type { AlertDef } from './alert-def.ts';
import { promNumber } from './rules.ts';
import { SLO_FOR } from './settings.ts';
import { label, text, value } from './template.ts';

const FLOW_DASHBOARD: Partial<Record<Flow, DashboardKey>> = { tool_execution: 'mcp', streaming: 'mcp' };
const RUN_VARS = ['target', 'testid'];
/** k6 SLO alerts are for load runs; probes have their own alerts and a one-sample p95 is noise. */
const NOT_PROBE = { kind: { op: '!=', value: 'probe' } } as const;

export function latencySloAlerts(): AlertDef[] {
  return (SLOS as readonly Slo[]).flatMap((slo) => {
    if (slo.indicator.kind !== 'latency') return [];
    const { metric, quantile, maxMs } = slo.indicator;
    const pct = `p${promNumber(quantile * 100)}`;
    return [
      {
        group: 'k6',
        alert: 'VigilFlowLatencySloBreach',
        expr: `${selector(flowLatencySeries(quantile), { slo: slo.id, ...NOT_PROBE })} > ${promNumber(maxMs / 1000)}`,
        for: SLO_FOR,
        labels: { severity: 'warning', slo: slo.id },
        summary: [text(`${slo.flow} ${pct} above its SLO on `), label('target')],
        description: [
          text(`Run `),
          label('testid'),
          text(' ('),
          label('profile'),
          text(`): ${pct} of ${K6_METRICS[metric].name} is `),
          value('humanizeDuration'),
          text(`, objective < ${maxMs} ms (SLO ${slo.id}: ${slo.title}).`),
        ],
        dashboard: FLOW_DASHBOARD[slo.flow] ?? 'oauth',
        dashboardVars: RUN_VARS,
      },
    ];
  });
}

export function successRatioAlerts(): AlertDef[] {
  return (SLOS as readonly Slo[]).flatMap((slo) => {
    if (slo.indicator.kind !== 'success_ratio') return [];
    const { metric, objective } = slo.indicator;
    return [
      {
        group: 'k6',
        alert: 'VigilSuccessRatioBelowObjective',
        expr: `${selector(RECORDED_SERIES.successRatio, { slo: slo.id, ...NOT_PROBE })} < ${promNumber(objective)}`,
        for: SLO_FOR,
        labels: { severity: 'critical', slo: slo.id },
        summary: [
          text(`${K6_METRICS[metric].name} below ${promNumber(objective * 100)}% for flow `),
          label('flow'),
          text(' on '),
          label('target'),
        ],
        description: [
          text('Run '),
          label('testid'),
          text(' ('),
          label('profile'),
          text(`): the worst tag set of ${K6_METRICS[metric].name} succeeds `),
          value('humanizePercentage'),
          text(`, objective ≥ ${promNumber(objective * 100)}% (SLO ${slo.id}: ${slo.title}).`),
        ],
        dashboard: metric === 'mcpSuccess' ? 'mcp' : 'oauth',
        dashboardVars: RUN_VARS,
      },
    ];
  });
}

export function loadGeneratorAlert(): AlertDef {
  return {
    group: 'k6',
    alert: 'VigilLoadGeneratorSaturated',
    expr: `${selector(RECORDED_SERIES.droppedIterations, NOT_PROBE)} > 0`,
    for: SLO_FOR,
    labels: { severity: 'warning' },
    summary: [text('k6 could not produce the requested load against '), label('target')],
    description: [
      text('Run '),
      label('testid'),
      text(' scenario '),
      label('scenario'),
      text(' dropped '),
      value('humanize'),
      text(
        ` iterations (${K6_BUILTIN_SERIES.droppedIterations}): the load generator ran out of VUs or CPU, so this run's latency figures do not describe the load asked for.`,
      ),
    ],
    dashboard: 'loadGenerator',
    dashboardVars: RUN_VARS,
  };
}
