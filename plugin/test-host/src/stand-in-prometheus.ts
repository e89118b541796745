/**
 * STAND-IN for Grafana's Prometheus datasource (a DataSourceApi named as such: Grafana's real one
 * is a core plugin that cannot run outside Grafana). It runs the real PromQL of each query against
 * a real Prometheus behind the host's datasource proxy
 * (`/api/datasources/proxy/uid/<uid>/api/v1/query` and `/query_range`, POST form as the
 * provisioned `httpMethod: POST`) and turns the answers into DataFrames.
 *
 * Follows Grafana's Prometheus where a panel's numbers depend on it: step = max(interval ×
 * intervalFactor, the query's / datasource's min interval (`timeInterval`), range / 11000), start
 * and end aligned to the step; `$__interval`, `$__interval_ms`, `$__rate_interval`
 * (max(interval + scrape, 4 × scrape)), `$__range`, `$__range_s`, `$__range_ms`; scene variables
 * through the TemplateSrv (regex-escaped, multi values as `(a|b)`); `legendFormat` (`{{label}}`);
 * `format: 'table'` for instant queries (Time, one column per label, `Value #<refId>`); a query's
 * Prometheus error as that query's error (`errors[]` with its refId). Query variables:
 * `label_names()`, `label_values(label)`, `label_values(metric, label)`, `metrics(regex)`,
 * `query_result(expr)`.
 * Not emulated: exemplars, heatmap format, incremental querying, the query editor, annotations,
 * ad hoc filters, the backend (`/api/ds/query`) path Grafana's own plugin takes.
 */
import {
  DataSourceApi,
  type DataFrame,
  type DataQuery,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type DataSourceJsonData,
  FieldType,
  LoadingState,
  type MetricFindValue,
  type ScopedVars,
  createDataFrame,
  rangeUtil,
} from '@grafana/data';
import type { BackendSrv, TemplateSrv } from '@grafana/runtime';
import { type Observable, from } from 'rxjs';

export interface PromQueryLike extends DataQuery {
  expr?: string;
  instant?: boolean;
  range?: boolean;
  format?: 'time_series' | 'table' | 'heatmap';
  legendFormat?: string;
  interval?: string;
  intervalFactor?: number;
}

export interface PromJsonData extends DataSourceJsonData {
  timeInterval?: string;
  httpMethod?: string;
}

type PromSample = [number, string];
interface PromSeries {
  metric: Record<string, string>;
  values?: PromSample[];
  value?: PromSample;
}
type PromResult =
  | { resultType: 'matrix'; result: PromSeries[] }
  | { resultType: 'vector'; result: PromSeries[] }
  | { resultType: 'scalar'; result: PromSample }
  | { resultType: 'string'; result: PromSample };

const MAX_POINTS = 11000;

export class StandInPrometheusDataSource extends DataSourceApi<PromQueryLike, PromJsonData> {
  readonly isStandIn = true;

  constructor(
    readonly instanceSettings: DataSourceInstanceSettings<PromJsonData>,
    private readonly backendSrv: BackendSrv,
    private readonly templateSrv: TemplateSrv
  ) {
    super(instanceSettings);
  }

  filterQuery(query: PromQueryLike): boolean {
    return !query.hide && Boolean(query.expr);
  }

  query(request: DataQueryRequest<PromQueryLike>): Observable<DataQueryResponse> {
    const targets = request.targets.filter((target) => this.filterQuery(target));
    return from(
      Promise.all(targets.map((target) => this.runTarget(target, request))).then((results) => {
        const data = results.flatMap((result) => result.frames);
        const errors = results.flatMap((result) => (result.error ? [result.error] : []));
        return {
          data,
          errors: errors.length ? errors : undefined,
          error: errors[0],
          state: errors.length ? LoadingState.Error : LoadingState.Done,
        } as DataQueryResponse;
      })
    );
  }

  async testDatasource() {
    await this.api('GET', 'api/v1/status/buildinfo', {});
    return { status: 'success', message: 'Successfully queried the Prometheus API.' };
  }

  async metricFindQuery(
    query: string | { query?: string },
    options?: { scopedVars?: ScopedVars }
  ): Promise<MetricFindValue[]> {
    const text = this.templateSrv.replace(typeof query === 'string' ? query : (query.query ?? ''), options?.scopedVars);
    const toValues = (values: string[]) => [...new Set(values)].sort().map((value) => ({ text: value, value }));
    let match: RegExpExecArray | null;
    if (/^\s*label_names\(\s*\)\s*$/.test(text)) {
      return toValues(await this.api<string[]>('GET', 'api/v1/labels', {}));
    }
    if ((match = /^\s*label_values\(\s*([a-zA-Z_]\w*)\s*\)\s*$/.exec(text))) {
      return toValues(await this.api<string[]>('GET', `api/v1/label/${match[1]}/values`, {}));
    }
    if ((match = /^\s*label_values\(\s*(.+)\s*,\s*([a-zA-Z_]\w*)\s*\)\s*$/.exec(text))) {
      const label = match[2];
      const series = await this.api<Array<Record<string, string>>>('GET', 'api/v1/series', { 'match[]': match[1] });
      return toValues(series.map((labels) => labels[label]).filter((value): value is string => value !== undefined));
    }
    if ((match = /^\s*metrics\(\s*(.*)\s*\)\s*$/.exec(text))) {
      const regex = new RegExp(match[1] || '.*');
      const names = await this.api<string[]>('GET', 'api/v1/label/__name__/values', {});
      return toValues(names.filter((name) => regex.test(name)));
    }
    if ((match = /^\s*query_result\(\s*(.+)\s*\)\s*$/.exec(text))) {
      const result = await this.api<PromResult>('POST', 'api/v1/query', {
        query: match[1],
        time: String(Date.now() / 1000),
      });
      if (result.resultType !== 'vector') {
        return [];
      }
      return result.result.map((series) => {
        const textValue = `${formatSeriesName(series.metric)} ${series.value?.[1]} ${(series.value?.[0] ?? 0) * 1000}`;
        return { text: textValue, value: textValue };
      });
    }
    return [];
  }

  private async runTarget(target: PromQueryLike, request: DataQueryRequest<PromQueryLike>) {
    const start = request.range.from.valueOf() / 1000;
    const end = request.range.to.valueOf() / 1000;
    const rangeSeconds = Math.max(0, Math.ceil(end - start));
    const scrapeInterval = rangeUtil.intervalToSeconds(this.instanceSettings.jsonData.timeInterval || '15s');
    const minInterval = rangeUtil.intervalToSeconds(
      this.templateSrv.replace(
        target.interval || this.instanceSettings.jsonData.timeInterval || '15s',
        request.scopedVars
      )
    );
    const requestInterval = request.intervalMs ? request.intervalMs / 1000 : minInterval;
    let safeInterval = rangeSeconds / MAX_POINTS;
    if (safeInterval > 1) {
      safeInterval = Math.ceil(safeInterval);
    }
    const step = Math.max(requestInterval * (target.intervalFactor || 1), minInterval, safeInterval);
    const rateInterval = Math.max(step + scrapeInterval, 4 * scrapeInterval);
    const scopedVars: ScopedVars = {
      ...request.scopedVars,
      __interval: { text: `${step}s`, value: `${step}s` },
      __interval_ms: { text: String(step * 1000), value: step * 1000 },
      __rate_interval: { text: `${rateInterval}s`, value: `${rateInterval}s` },
      __range: { text: `${rangeSeconds}s`, value: `${rangeSeconds}s` },
      __range_s: { text: String(rangeSeconds), value: rangeSeconds },
      __range_ms: { text: String(rangeSeconds * 1000), value: rangeSeconds * 1000 },
    };
    const expr = this.templateSrv.replace(target.expr ?? '', scopedVars, interpolateQueryExpr);
    const instant = Boolean(target.instant) && !target.range;
    try {
      if (instant) {
        const result = await this.api<PromResult>('POST', 'api/v1/query', { query: expr, time: String(end) });
        return { frames: toFrames(result, target, expr, undefined) };
      }
      const alignedStart = Math.floor(start / step) * step;
      const alignedEnd = Math.floor(end / step) * step;
      const result = await this.api<PromResult>('POST', 'api/v1/query_range', {
        query: expr,
        start: String(alignedStart),
        end: String(alignedEnd),
        step: String(step),
      });
      return { frames: toFrames(result, target, expr, step) };
    } catch (error) {
      const failure = error as { status?: number; data?: { error?: string; message?: string }; message?: string };
      const queryError: DataQueryError = {
        refId: target.refId,
        status: failure.status,
        message: failure.data?.error ?? failure.data?.message ?? failure.message ?? String(error),
      };
      return { frames: [] as DataFrame[], error: queryError };
    }
  }

  private async api<T>(method: 'GET' | 'POST', path: string, params: Record<string, string>): Promise<T> {
    const url = `${this.instanceSettings.url}/${path}`;
    const usePost = method === 'POST' && (this.instanceSettings.jsonData.httpMethod ?? 'POST').toUpperCase() === 'POST';
    const response = await this.backendSrv.datasourceRequest<{ status: string; data: T; error?: string }>(
      usePost
        ? {
            url,
            method: 'POST',
            data: new URLSearchParams(params).toString(),
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            showErrorAlert: false,
          }
        : { url, method: 'GET', params, showErrorAlert: false }
    );
    if (response.data.status !== 'success') {
      throw { status: response.status, data: response.data };
    }
    return response.data.data;
  }
}

/** Grafana's Prometheus `interpolateQueryExpr`: escape for a regex matcher, multi values as (a|b). */
export function interpolateQueryExpr(value: unknown, variable?: { multi?: boolean; includeAll?: boolean }): string {
  if (!variable?.multi && !variable?.includeAll) {
    return Array.isArray(value) ? value.join(',') : prometheusRegularEscape(String(value ?? ''));
  }
  if (!Array.isArray(value)) {
    return prometheusSpecialRegexEscape(String(value ?? ''));
  }
  const escaped = value.map((item) => prometheusSpecialRegexEscape(String(item)));
  return escaped.length === 1 ? escaped[0] : `(${escaped.join('|')})`;
}

function prometheusRegularEscape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\\\'");
}

function prometheusSpecialRegexEscape(value: string): string {
  return value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]\'+?.()|]/g, '\\\\$&');
}

function parseSampleValue(text: string): number {
  if (text === '+Inf') {
    return Number.POSITIVE_INFINITY;
  }
  if (text === '-Inf') {
    return Number.NEGATIVE_INFINITY;
  }
  return parseFloat(text);
}

export function formatSeriesName(labels: Record<string, string>): string {
  const { __name__: name = '', ...rest } = labels;
  const pairs = Object.entries(rest)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}="${value}"`);
  return pairs.length ? `${name}{${pairs.join(', ')}}` : name;
}

function legendName(target: PromQueryLike, labels: Record<string, string>): string | undefined {
  const format = target.legendFormat;
  if (!format || format === '__auto') {
    return undefined;
  }
  return format.replace(/\{\{\s*(.+?)\s*\}\}/g, (_match, label: string) => labels[label] ?? '');
}

function toFrames(result: PromResult, target: PromQueryLike, expr: string, step: number | undefined): DataFrame[] {
  const meta = {
    typeVersion: [0, 1] as [number, number],
    executedQueryString: step ? `Expr: ${expr}\nStep: ${step}s` : `Expr: ${expr}`,
  };
  if (result.resultType === 'scalar' || result.resultType === 'string') {
    const [time, value] = result.result;
    return [
      createDataFrame({
        refId: target.refId,
        meta,
        fields: [
          { name: 'Time', type: FieldType.time, values: [time * 1000] },
          result.resultType === 'scalar'
            ? { name: 'Value', type: FieldType.number, values: [parseSampleValue(value)] }
            : { name: 'Value', type: FieldType.string, values: [value] },
        ],
      }),
    ];
  }
  if (result.resultType === 'vector' && target.format === 'table') {
    const labelNames = [...new Set(result.result.flatMap((series) => Object.keys(series.metric)))].sort();
    return [
      createDataFrame({
        refId: target.refId,
        meta: { ...meta, preferredVisualisationType: 'table' },
        fields: [
          {
            name: 'Time',
            type: FieldType.time,
            values: result.result.map((series) => (series.value?.[0] ?? 0) * 1000),
          },
          ...labelNames.map((label) => ({
            name: label,
            type: FieldType.string,
            values: result.result.map((series) => series.metric[label] ?? ''),
          })),
          {
            name: `Value #${target.refId}`,
            type: FieldType.number,
            values: result.result.map((series) => parseSampleValue(series.value?.[1] ?? 'NaN')),
          },
        ],
      }),
    ];
  }
  return result.result.map((series) => {
    const samples = series.values ?? (series.value ? [series.value] : []);
    const displayName = legendName(target, series.metric);
    return createDataFrame({
      refId: target.refId,
      name: displayName ?? formatSeriesName(series.metric),
      meta: { ...meta, type: 'timeseries-multi' as never },
      fields: [
        {
          name: 'Time',
          type: FieldType.time,
          values: samples.map(([time]) => time * 1000),
          config: step ? { interval: step * 1000 } : {},
        },
        {
          name: 'Value',
          type: FieldType.number,
          values: samples.map(([, value]) => parseSampleValue(value)),
          labels: series.metric,
          config: displayName !== undefined ? { displayNameFromDS: displayName } : {},
        },
      ],
    });
  });
}
