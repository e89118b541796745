/**
 * TEST DOUBLE of Grafana's DataSourceSrv (public/app/features/plugins/datasource_srv.ts) over the
 * datasources in `grafanaBootData.settings.datasources`, with a STAND-IN DataSourceApi per type:
 *
 * - `prometheus` → StandInPrometheusDataSource (real PromQL against the real Prometheus behind the
 *   datasource proxy, stand-in-prometheus.ts);
 * - `alertmanager` → StandInAlertmanagerDataSource: no queries (Grafana's has none a panel uses);
 *   its health check reads `/api/v2/status` through the datasource proxy;
 * - `testdata` → StandInTestDataDataSource: the `random_walk` scenario only, deterministic (seeded
 *   per refId and series), with TestData's `__server_names` / `__house_locations` aliases — what the
 *   create-plugin scaffold's pages query;
 * - `-- Mixed --` → StandInMixedDataSource: queries grouped by their own datasource.
 *
 * `get()` accepts a uid, a name, a `{ uid }` / `{ type }` ref, a `${variable}` (through the
 * TemplateSrv), or nothing (the default datasource); an unknown one rejects like Grafana
 * ("Datasource ... was not found"). Runtime datasources (scenes' `registerRuntimeDataSource`) are
 * kept and served too.
 */
import {
  DataSourceApi,
  type DataQuery,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type DataSourceRef,
  FieldType,
  LoadingState,
  type ScopedVars,
  createDataFrame,
} from '@grafana/data';
import type {
  BackendSrv,
  DataSourceSrv,
  GetDataSourceListFilters,
  RuntimeDataSourceRegistration,
  TemplateSrv,
} from '@grafana/runtime';
import { type Observable, from, lastValueFrom, of } from 'rxjs';

import { type PromJsonData, StandInPrometheusDataSource } from './stand-in-prometheus';

export const MIXED_UID = '-- Mixed --';

export class TestHostDataSourceSrv implements DataSourceSrv {
  private readonly instances = new Map<string, DataSourceApi>();
  private readonly runtime = new Map<string, DataSourceApi>();

  constructor(
    private readonly settings: Record<string, DataSourceInstanceSettings>,
    private readonly backendSrv: BackendSrv,
    private readonly templateSrv: TemplateSrv
  ) {}

  async get(ref?: DataSourceRef | string | null, scopedVars?: ScopedVars): Promise<DataSourceApi> {
    const instanceSettings = this.getInstanceSettings(ref, scopedVars);
    if (!instanceSettings) {
      const name = typeof ref === 'string' ? ref : (ref?.uid ?? ref?.type ?? 'default');
      throw new Error(`Datasource ${name} was not found`);
    }
    const runtime = this.runtime.get(instanceSettings.uid);
    if (runtime) {
      return runtime;
    }
    let instance = this.instances.get(instanceSettings.uid);
    if (!instance) {
      instance = this.create(instanceSettings);
      this.instances.set(instanceSettings.uid, instance);
    }
    return instance;
  }

  getList(filters: GetDataSourceListFilters = {}): DataSourceInstanceSettings[] {
    return this.all().filter((settings) => {
      const meta = settings.meta as unknown as Record<string, unknown>;
      if (
        filters.type &&
        (Array.isArray(filters.type) ? !filters.type.includes(settings.type) : filters.type !== settings.type)
      ) {
        return false;
      }
      if (filters.pluginId && filters.pluginId !== settings.meta.id) {
        return false;
      }
      for (const flag of ['metrics', 'alerting', 'annotations', 'logs', 'tracing'] as const) {
        if (filters[flag] && !meta[flag]) {
          return false;
        }
      }
      if (filters.mixed === false && settings.uid === MIXED_UID) {
        return false;
      }
      return filters.filter ? filters.filter(settings) : true;
    });
  }

  getInstanceSettings(
    ref?: DataSourceRef | string | null,
    scopedVars?: ScopedVars
  ): DataSourceInstanceSettings | undefined {
    const all = this.all();
    if (ref === undefined || ref === null || ref === 'default' || (typeof ref === 'object' && !ref.uid && !ref.type)) {
      return all.find((settings) => settings.isDefault) ?? all[0];
    }
    let key = typeof ref === 'string' ? ref : ref.uid;
    if (key && this.templateSrv.containsTemplate(key)) {
      key = this.templateSrv.replace(key, scopedVars);
    }
    if (key === MIXED_UID || (typeof ref === 'object' && ref.type === 'mixed' && !ref.uid)) {
      return all.find((settings) => settings.uid === MIXED_UID);
    }
    if (key) {
      return all.find((settings) => settings.uid === key || settings.name === key);
    }
    return all.find((settings) => typeof ref === 'object' && settings.type === ref.type);
  }

  async reload(): Promise<void> {
    this.instances.clear();
  }

  registerRuntimeDataSource(entry: RuntimeDataSourceRegistration): void {
    const { dataSource } = entry;
    if (this.runtime.has(dataSource.uid)) {
      throw new Error(`A runtime data source with uid ${dataSource.uid} has already been registered`);
    }
    this.runtime.set(dataSource.uid, dataSource as unknown as DataSourceApi);
  }

  private all(): DataSourceInstanceSettings[] {
    const runtimeSettings = [...this.runtime.values()].map(
      (ds) => (ds as unknown as { instanceSettings: DataSourceInstanceSettings }).instanceSettings
    );
    return [...Object.values(this.settings), ...runtimeSettings, mixedInstanceSettings()];
  }

  private create(settings: DataSourceInstanceSettings): DataSourceApi {
    switch (settings.type) {
      case 'prometheus':
        return new StandInPrometheusDataSource(
          settings as DataSourceInstanceSettings<PromJsonData>,
          this.backendSrv,
          this.templateSrv
        ) as unknown as DataSourceApi;
      case 'alertmanager':
        return new StandInAlertmanagerDataSource(settings, this.backendSrv);
      case 'testdata':
      case 'grafana-testdata-datasource':
        return new StandInTestDataDataSource(settings, this.templateSrv);
      case 'mixed':
        return new StandInMixedDataSource(settings, this);
      default:
        throw new Error(`test host: no stand-in for datasource type "${settings.type}" (${settings.uid})`);
    }
  }
}

function mixedInstanceSettings(): DataSourceInstanceSettings {
  return {
    id: -1,
    uid: MIXED_UID,
    name: MIXED_UID,
    type: 'mixed',
    access: 'direct',
    readOnly: true,
    jsonData: {},
    meta: {
      id: 'mixed',
      name: MIXED_UID,
      type: 'datasource',
      mixed: true,
      metrics: true,
      module: 'core:plugin/mixed',
      baseUrl: '',
      info: {
        author: { name: 'Grafana Labs' },
        description: '',
        links: [],
        logos: { small: '', large: '' },
        screenshots: [],
        updated: '',
        version: '',
      },
    } as never,
  };
}

/** STAND-IN for Grafana's Alertmanager datasource. */
export class StandInAlertmanagerDataSource extends DataSourceApi {
  readonly isStandIn = true;

  constructor(
    readonly instanceSettings: DataSourceInstanceSettings,
    private readonly backendSrv: BackendSrv
  ) {
    super(instanceSettings);
  }

  query(): Observable<DataQueryResponse> {
    return of({ data: [], state: LoadingState.Done });
  }

  async testDatasource() {
    await this.backendSrv.get(`${this.instanceSettings.url}/api/v2/status`, undefined, undefined, {
      showErrorAlert: false,
    });
    return { status: 'success', message: 'Health check passed.' };
  }
}

interface TestDataQuery extends DataQuery {
  scenarioId?: string;
  seriesCount?: number;
  alias?: string;
  min?: number;
  max?: number;
  startValue?: number;
  spread?: number;
  noise?: number;
}

const SERVER_NAMES = [
  'Backend-ops-01',
  'Backend-ops-02',
  'Frontend-web-01',
  'Frontend-web-02',
  'Database-01',
  'Cache-01',
];
const HOUSE_LOCATIONS = ['Cellar', 'Living room', 'Kitchen', 'Bedroom', 'Bathroom', 'Hallway', 'Attic', 'Garage'];

/** STAND-IN for Grafana's TestData datasource: `random_walk` only. */
export class StandInTestDataDataSource extends DataSourceApi<TestDataQuery> {
  readonly isStandIn = true;

  constructor(
    readonly instanceSettings: DataSourceInstanceSettings,
    private readonly templateSrv: TemplateSrv
  ) {
    super(instanceSettings);
  }

  query(request: DataQueryRequest<TestDataQuery>): Observable<DataQueryResponse> {
    const data = request.targets
      .filter((target) => !target.hide)
      .flatMap((target) => {
        const scenario = target.scenarioId ?? 'random_walk';
        if (scenario !== 'random_walk') {
          throw new Error(`test host: the TestData stand-in only runs random_walk, not "${scenario}"`);
        }
        const alias = target.alias ? this.templateSrv.replace(target.alias, request.scopedVars) : undefined;
        return randomWalk({ ...target, alias }, request);
      });
    return of({ data, state: LoadingState.Done });
  }

  async testDatasource() {
    return { status: 'success', message: 'Data source is working' };
  }
}

function randomWalk(target: TestDataQuery, request: DataQueryRequest<TestDataQuery>) {
  const from = request.range.from.valueOf();
  const to = request.range.to.valueOf();
  const points = Math.max(2, Math.min(request.maxDataPoints ?? 100, 1000));
  const stepMs = Math.max(1, Math.floor((to - from) / (points - 1)));
  const count = Math.max(1, target.seriesCount ?? 1);
  const min = target.min ?? Number.NEGATIVE_INFINITY;
  const max = target.max ?? Number.POSITIVE_INFINITY;
  const spread = target.spread ?? 1;
  return Array.from({ length: count }, (_unused, index) => {
    const random = seededRandom(`${target.refId}:${index}`);
    let value = target.startValue ?? (Number.isFinite(min) && Number.isFinite(max) ? (min + max) / 2 : random() * 100);
    const times: number[] = [];
    const values: number[] = [];
    for (let time = from; time <= to; time += stepMs) {
      value = Math.min(max, Math.max(min, value + (random() - 0.5) * spread));
      times.push(time);
      values.push(value + (target.noise ? (random() - 0.5) * target.noise : 0));
    }
    const name = seriesName(target, index);
    // TestData's backend names the value field, not the frame, after the series.
    return createDataFrame({
      refId: target.refId,
      fields: [
        { name: 'time', type: FieldType.time, values: times },
        { name: name, type: FieldType.number, values, config: {} },
      ],
    });
  });
}

function seriesName(target: TestDataQuery, index: number): string {
  if (target.alias === '__server_names') {
    return SERVER_NAMES[index % SERVER_NAMES.length];
  }
  if (target.alias === '__house_locations') {
    return HOUSE_LOCATIONS[index % HOUSE_LOCATIONS.length];
  }
  if (target.alias) {
    return target.alias;
  }
  return `${target.refId}-series${index === 0 ? '' : `-${index}`}`;
}

function seededRandom(seed: string): () => number {
  let state = 2166136261;
  for (let i = 0; i < seed.length; i++) {
    state = Math.imul(state ^ seed.charCodeAt(i), 16777619);
  }
  return () => {
    state = Math.imul(state ^ (state >>> 15), 2246822507);
    state = Math.imul(state ^ (state >>> 13), 3266489909);
    state ^= state >>> 16;
    return (state >>> 0) / 4294967296;
  };
}

/** STAND-IN for Grafana's Mixed datasource: each query goes to its own datasource. */
export class StandInMixedDataSource extends DataSourceApi {
  readonly isStandIn = true;

  constructor(
    readonly instanceSettings: DataSourceInstanceSettings,
    private readonly srv: TestHostDataSourceSrv
  ) {
    super(instanceSettings);
  }

  query(request: DataQueryRequest<DataQuery>): Observable<DataQueryResponse> {
    const groups = new Map<string, DataQuery[]>();
    for (const target of request.targets) {
      const uid = target.datasource?.uid ?? 'default';
      groups.set(uid, [...(groups.get(uid) ?? []), target]);
    }
    return from(
      Promise.all(
        [...groups.entries()].map(async ([uid, targets]) => {
          const ds = await this.srv.get(uid === 'default' ? null : { uid }, request.scopedVars);
          const answer = ds.query({ ...request, targets });
          return answer instanceof Promise ? answer : lastValueFrom(answer);
        })
      ).then((answers) => {
        const errors = answers.flatMap((answer) => answer.errors ?? (answer.error ? [answer.error] : []));
        return {
          data: answers.flatMap((answer) => answer.data),
          errors: errors.length ? errors : undefined,
          state: errors.length ? LoadingState.Error : LoadingState.Done,
        };
      })
    );
  }

  async testDatasource() {
    return { status: 'success', message: '' };
  }
}
