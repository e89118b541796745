/**
 * Building blocks shared by the Vigil dashboards: the datasource, the template variables, query
 * targets and the few panel shapes every dashboard repeats (latency against its SLO line, a ratio
 * against its objective, a per-run table). Queries always come from the catalog's PromQL builders
 * (@vigil/scenarios/catalog promql.ts), which the app plugin uses too.
 */
import {
  MappingType,
  QueryVariableBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
  type DataSourceRef,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import {
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  VisibilityMode,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanelBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as StateTimelinePanelBuilder } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE_UIDS, objectiveLine, type Matchers } from '@vigil/scenarios/catalog';

export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: DATASOURCE_UIDS.prometheus };

/**
 * Grafana's rate window for the time-window panels: at least four scrape (or push) intervals, so
 * `rate()` has two samples. Short runs push once; those panels stay empty for them by design, the
 * per-run panels (cumulative values filtered by testid) cover them.
 */
export const RATE_WINDOW = '$__rate_interval';
/** The dashboard's time range, for "over the selected period" panels. */
export const RANGE_WINDOW = '$__range';

/** Multi-value regex matchers for the dashboard variables (`All` becomes `.*`). */
export function variableMatchers(...names: string[]): Matchers {
  return Object.fromEntries(names.map((name) => [name, { op: '=~', value: `$${name}` }]));
}

interface VariableOptions {
  dependsOn?: string[];
  sort?: VariableSort;
  description?: string;
}

function multiValueVariable(name: string, query: string, opts: VariableOptions): QueryVariableBuilder {
  return new QueryVariableBuilder(name)
    .label(name)
    .datasource(PROMETHEUS)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(opts.sort ?? VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ text: 'All', value: '$__all', selected: true });
}

/** A `label_values(series, label)` variable, optionally narrowed by the variables before it. */
export function labelValuesVariable(
  name: string,
  label: string,
  series: string,
  opts: VariableOptions = {},
): QueryVariableBuilder {
  const narrowing = (opts.dependsOn ?? []).map((dep) => `${dep}=~"$${dep}"`).join(', ');
  const query = `label_values(${narrowing ? `${series}{${narrowing}}` : series}, ${label})`;
  return multiValueVariable(name, query, opts).description(
    opts.description ?? `Values of the ${label} label on ${series}`,
  );
}

/**
 * A `query_result(expr)` variable taking `label` from each result series: for labels an
 * expression derives (label_values only reads stored series).
 */
export function queryResultVariable(
  name: string,
  label: string,
  expr: string,
  description: string,
): QueryVariableBuilder {
  return multiValueVariable(name, `query_result(${expr})`, {})
    .regex(`/${label}="([^"]+)"/`)
    .description(description);
}

/** `target` then `testid` (newest first), both read from `series`. */
export function runVariables(series: string): QueryVariableBuilder[] {
  return [
    labelValuesVariable('target', 'target', series, {
      description: 'The system under test (the runner target name)',
    }),
    labelValuesVariable('testid', 'testid', series, {
      dependsOn: ['target'],
      sort: VariableSort.AlphabeticalDesc,
      description: 'One k6 run: per-run panels show its cumulative values',
    }),
  ];
}

export interface QuerySpec {
  expr: string;
  legend?: string;
  /** Instant queries for per-run tables and stats; range otherwise. */
  instant?: boolean;
}

function target(spec: QuerySpec, refId: string): DataqueryBuilder {
  const query = new DataqueryBuilder()
    .expr(spec.expr)
    .refId(refId)
    .legendFormat(spec.legend ?? '__auto');
  if (spec.instant) query.instant().format(PromQueryFormat.Table);
  else query.range();
  return query;
}

function withTargets<T extends { withTarget(t: DataqueryBuilder): T }>(panel: T, specs: QuerySpec[]): T {
  specs.forEach((spec, index) => panel.withTarget(target(spec, String.fromCharCode(65 + index))));
  return panel;
}

export function thresholds(steps: Array<{ value: number | null; color: string }>): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);
}

/** Green under the bound, red at or over it. */
export function upperBound(bound: number): ThresholdsConfigBuilder {
  return thresholds([
    { value: null, color: 'green' },
    { value: bound, color: 'red' },
  ]);
}

/** Red under the objective, green at or over it. */
export function lowerBound(objective: number): ThresholdsConfigBuilder {
  return thresholds([
    { value: null, color: 'red' },
    { value: objective, color: 'green' },
  ]);
}

function legend(): VizLegendOptionsBuilder {
  return new VizLegendOptionsBuilder()
    .showLegend(true)
    .displayMode(LegendDisplayMode.Table)
    .placement(LegendPlacement.Bottom)
    .calcs(['lastNotNull', 'max']);
}

export function timeseries(
  title: string,
  description: string,
  unit: string,
  specs: QuerySpec[],
): TimeseriesPanelBuilder {
  const panel = new TimeseriesPanelBuilder()
    .title(title)
    .description(description)
    .datasource(PROMETHEUS)
    .unit(unit)
    .legend(legend())
    // Auto draws the points when they are sparse: a short run pushes once, a single point.
    .showPoints(VisibilityMode.Auto)
    .pointSize(5)
    .spanNulls(true)
    .height(8)
    .span(12);
  return withTargets(panel, specs);
}

export interface Objective {
  value: number;
  label: string;
  /** 'max': the measured value must stay under it; 'min': at or above it. */
  kind: 'max' | 'min';
}

/**
 * Measured series plus one constant series per SLO bound (from the catalog), drawn as dashed red
 * lines; the first bound also colours the thresholds.
 */
export function againstObjective(
  title: string,
  description: string,
  unit: string,
  specs: QuerySpec[],
  objectives: Objective | Objective[],
): TimeseriesPanelBuilder {
  const lines = Array.isArray(objectives) ? objectives : [objectives];
  const primary = lines[0];
  if (!primary) throw new Error(`objectives: panel "${title}" needs at least one objective`);
  const panel = timeseries(title, description, unit, [
    ...specs,
    ...lines.map((line) => ({ expr: objectiveLine(line.value), legend: line.label })),
  ])
    .thresholds(primary.kind === 'max' ? upperBound(primary.value) : lowerBound(primary.value))
    .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
  // byNames (object options) rather than byName (string options): the dashboard JSON schema
  // only admits object-valued matcher options and override values.
  panel.withOverride({
    matcher: { id: 'byNames', options: { mode: 'include', names: lines.map((line) => line.label) } },
    properties: [
      { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
      { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
    ],
  });
  return panel;
}

export function stat(title: string, description: string, unit: string, specs: QuerySpec[]): StatPanelBuilder {
  const panel = new StatPanelBuilder()
    .title(title)
    .description(description)
    .datasource(PROMETHEUS)
    .unit(unit)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .height(6)
    .span(6);
  return withTargets(
    panel,
    specs.map((spec) => ({ instant: true, ...spec })),
  );
}

/** Status over time: one lane per series, coloured by the 1/0 value mappings. */
export function stateTimeline(
  title: string,
  description: string,
  specs: QuerySpec[],
  mappings: ValueMapping[],
): StateTimelinePanelBuilder {
  const panel = new StateTimelinePanelBuilder()
    .title(title)
    .description(description)
    .datasource(PROMETHEUS)
    .mappings(mappings)
    .showValue(VisibilityMode.Never)
    .height(8)
    .span(24);
  return withTargets(panel, specs);
}

/** Instant per-run table: one row per label set, the value in the last column. */
export function table(
  title: string,
  description: string,
  unit: string,
  specs: QuerySpec[],
): TablePanelBuilder {
  const panel = new TablePanelBuilder()
    .title(title)
    .description(description)
    .datasource(PROMETHEUS)
    .unit(unit)
    .withTransformation({ id: 'organize', options: { excludeByName: { Time: true } } })
    .height(8)
    .span(12);
  return withTargets(
    panel,
    specs.map((spec) => ({ ...spec, instant: true })),
  );
}

/** Value mappings for 1/0 status series. */
export function statusMappings(okText: string, failText: string): ValueMapping[] {
  return [
    {
      type: MappingType.ValueToText,
      options: {
        '1': { text: okText, color: 'green', index: 0 },
        '0': { text: failText, color: 'red', index: 1 },
      },
    },
  ];
}

/** For a 0/1 flag that is bad when set (1 → failText, red; 0 → okText, green). */
export function flagMappings(okText: string, failText: string): ValueMapping[] {
  return [
    {
      type: MappingType.ValueToText,
      options: {
        '0': { text: okText, color: 'green', index: 0 },
        '1': { text: failText, color: 'red', index: 1 },
      },
    },
  ];
}

export function msToSeconds(ms: number): number {
  return ms / 1000;
}
