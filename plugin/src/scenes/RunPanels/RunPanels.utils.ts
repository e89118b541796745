/**
 * The Run detail page's panels as data: title, kind, unit and PromQL, built only with the catalog's
 * query builders (`@vigil/scenarios/catalog/promql.ts`, the ones the dashboards and alert rules
 * use) and filtered by the run's `testid` (the runner tags every k6 sample with it). RunPanels.tsx
 * turns them into scenes; tests read them directly.
 *
 * k6 pushes cumulative values per run, so the per-run queries (quantiles, counts) have data after
 * one push; the per-second ones need two pushes in the window (runs longer than ~10 s).
 */
import {
  k6BuiltinByRun,
  k6BuiltinRate,
  k6DroppedIterationsByRun,
  k6ErrorsByStepReason,
  k6QuantileByRun,
  objectiveLine,
} from '@vigil/scenarios/catalog/promql.ts';
import { scenarioById } from '@vigil/scenarios/catalog/scenarios.ts';
import { WORKLOADS, type WorkloadId } from '@vigil/scenarios/catalog/workloads.ts';
import { type SloOfKind, slosOfKind } from '@vigil/scenarios/catalog/slos.ts';

export type PanelKind = 'timeseries' | 'bargauge' | 'stat';

export interface PanelQuery {
  refId: string;
  expr: string;
  legend: string;
  /** One value per series (the latest), not a range. */
  instant?: boolean;
}

export interface PanelSpec {
  /** Stable id, e.g. `latency-auth_flow_p95` (tests and the page look panels up by it). */
  id: string;
  title: string;
  description: string;
  kind: PanelKind;
  unit: string;
  queries: PanelQuery[];
  /** What the panel shows without data (k6 emits some series only once something happens). */
  noValue?: string;
}

export interface PanelRun {
  id: string;
  scenario: string;
  kind: 'load' | 'probe';
  /** The run's overrides: a `workloads` override narrows the flows it measures. */
  overrides?: Record<string, string | number>;
}

export const QUANTILES = [0.5, 0.95, 0.99] as const;
/** Grafana's rate window: at least four scrape intervals, whatever the panel's resolution. */
export const RATE_WINDOW = '$__rate_interval';

const quantileName = (quantile: number) => `p${Math.round(quantile * 100)}`;
/** Per-run queries group by testid only: one series per quantile of this run. */
const BY_RUN = ['testid'] as const;

/**
 * The latency SLOs a run measures: those of its scenario's flows (or of the workloads it was
 * narrowed to); a probe walk times every flow's
 * metric once (scenarios/lib/probe-walk.ts), so a probe run has them all.
 */
export function latencySlosOf(run: PanelRun): Array<SloOfKind<'latency'>> {
  const latency = slosOfKind('latency');
  if (run.kind === 'probe') {
    return latency;
  }
  const workloads = typeof run.overrides?.workloads === 'string' ? run.overrides.workloads.split(',') : undefined;
  const flows: readonly string[] = workloads
    ? workloads.flatMap((id) => (id in WORKLOADS ? [WORKLOADS[id as WorkloadId].flow] : []))
    : (scenarioById(run.scenario)?.flows ?? []);
  return latency.filter((slo) => flows.includes(slo.flow));
}

/** Every panel of a run's page, in page order. */
export function runPanels(run: PanelRun): PanelSpec[] {
  const testid = { testid: run.id };
  const latency = latencySlosOf(run).map((slo): PanelSpec => ({
    id: `latency-${slo.id}`,
    title: `${slo.flow} latency`,
    description: `p50, p95 and p99 of ${slo.indicator.metric} over the run, against the SLO: ${slo.title}.`,
    kind: 'timeseries',
    unit: 's',
    queries: [
      ...QUANTILES.map((quantile, index) => ({
        refId: String.fromCharCode(65 + index),
        expr: k6QuantileByRun(slo.indicator.metric, quantile, testid, BY_RUN),
        legend: quantileName(quantile),
      })),
      {
        refId: 'SLO',
        expr: objectiveLine(slo.indicator.maxMs / 1000),
        legend: `SLO ${quantileName(slo.indicator.quantile)} < ${slo.indicator.maxMs} ms`,
      },
    ],
  }));
  return [
    ...latency,
    {
      id: 'errors',
      title: 'Errors by step and reason',
      description: 'Failed OAuth and MCP steps of the run, by the step that failed and why (cumulative).',
      kind: 'bargauge',
      unit: 'short',
      noValue: 'No errors',
      queries: [
        {
          refId: 'A',
          expr: k6ErrorsByStepReason('oauthErrors', testid),
          legend: 'oauth {{step}} · {{reason}}',
          instant: true,
        },
        {
          refId: 'B',
          expr: k6ErrorsByStepReason('mcpErrors', testid),
          legend: 'mcp {{step}} · {{reason}}',
          instant: true,
        },
      ],
    },
    {
      id: 'throughput',
      title: 'Throughput',
      description:
        'Iterations and HTTP requests per second over the rate window: empty for a run shorter than two k6 pushes.',
      kind: 'timeseries',
      unit: 'reqps',
      queries: [
        { refId: 'A', expr: k6BuiltinRate('iterations', RATE_WINDOW, testid, BY_RUN), legend: 'iterations/s' },
        { refId: 'B', expr: k6BuiltinRate('httpReqs', RATE_WINDOW, testid, BY_RUN), legend: 'HTTP requests/s' },
      ],
    },
    {
      id: 'vus',
      title: 'Virtual users',
      description: 'Active and allocated VUs of the run.',
      kind: 'timeseries',
      unit: 'short',
      queries: [
        { refId: 'A', expr: k6BuiltinByRun('vus', testid, BY_RUN), legend: 'active' },
        { refId: 'B', expr: k6BuiltinByRun('vusMax', testid, BY_RUN), legend: 'allocated' },
      ],
    },
    {
      id: 'dropped',
      title: 'Dropped iterations',
      description:
        'Iterations k6 could not start because no VU was free: above 0 the load generator was saturated, and the latency figures describe less load than asked for.',
      kind: 'stat',
      unit: 'short',
      noValue: '0 (none dropped)',
      queries: [{ refId: 'A', expr: k6DroppedIterationsByRun(testid, ['testid', 'scenario']), legend: '{{scenario}}' }],
    },
  ];
}
