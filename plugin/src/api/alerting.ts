/**
 * Vigil's alerts as Grafana serves them, for the Alerts page and the Overview:
 *
 * - firing alerts and silences from the Alertmanager datasource (jsonData.alertmanagerUid, default
 *   `vigil-alertmanager`) through Grafana's Alertmanager API for external Alertmanagers,
 *   `/api/alertmanager/<uid>/api/v2/…` (the API Grafana's own alerting pages use). Grafana checks
 *   the user's alerting permissions there (`alert.silences:create` for a silence), which the plain
 *   datasource proxy would not;
 * - pending alerts from the Prometheus datasource (`/api/datasources/proxy/uid/<uid>/api/v1/alerts`):
 *   Alertmanager only ever hears of alerts once they fire.
 *
 * Shapes are Alertmanager's v2 API (GettableAlert, PostableSilence) and Prometheus' `/api/v1/alerts`.
 * Failures are DatasourceErrors: RunnerErrors whose title and hint name the datasource, so the
 * pages show them like every other failure.
 */
import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { CONFIG_PAGE_HINT, RunnerError, type RunnerErrorKind } from './errors';

/** Alertmanager v2 `GettableAlert`. */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  fingerprint: string;
  generatorURL?: string;
  receivers: Array<{ name: string }>;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[]; inhibitedBy: string[] };
}

export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

/** Alertmanager v2 `PostableSilence`. */
export interface SilenceCreate {
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** One alert of Prometheus' `/api/v1/alerts`. */
export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing' | 'inactive';
  activeAt: string;
  value: string;
}

/** Every Vigil alert rule is named Vigil… (alerting/rules/vigil-alerts.rules.yml). */
export const VIGIL_ALERTNAME = /^Vigil/;
export const VIGIL_ALERT_FILTER = 'alertname=~"Vigil.*"';

type Source = 'alertmanager' | 'prometheus';
const SOURCE_NAMES: Record<Source, string> = { alertmanager: 'Alertmanager', prometheus: 'Prometheus' };

/** A failed call to a datasource: a RunnerError (so QueryContent and RunnerErrorAlert show it) that names it. */
export class DatasourceError extends RunnerError {
  constructor(
    kind: RunnerErrorKind,
    status: number,
    code: string,
    message: string,
    readonly source: Source,
    readonly uid: string
  ) {
    super(kind, status, code, message);
  }

  override get title(): string {
    const name = SOURCE_NAMES[this.source];
    switch (this.kind) {
      case 'unreachable':
        return `The ${name} datasource is not reachable`;
      case 'no_route':
        return `No ${name} datasource ${this.uid}`;
      case 'forbidden':
        return 'Not allowed';
      default:
        return `The ${name} datasource refused the request`;
    }
  }

  override get hint(): string {
    const name = SOURCE_NAMES[this.source];
    switch (this.kind) {
      case 'unreachable':
        return `Grafana could not reach the ${name} datasource ${this.uid}: check it under Connections → Data sources (Save & test), or choose another on ${CONFIG_PAGE_HINT}.`;
      case 'no_route':
        return `Grafana has no ${name} datasource with uid ${this.uid}: provision it (provisioning/grafana/datasources/vigil.yml) or choose another on ${CONFIG_PAGE_HINT}.`;
      case 'forbidden':
        return 'Your Grafana role does not allow this: reading alerts needs Viewer, creating a silence needs Editor (alert.silences:create). Ask a Grafana admin.';
      case 'network':
        return 'Grafana did not answer: check your network connection and reload the page.';
      default:
        return this.status >= 500
          ? `The ${name} datasource failed to answer: see the Grafana server log and the ${name} log.`
          : `The ${name} datasource refused the request: correct it and try again.`;
    }
  }
}

function bodyMessage(data: unknown): string | undefined {
  if (typeof data === 'string' && data.trim() !== '') {
    return data.trim();
  }
  if (typeof data === 'object' && data !== null) {
    const { message, error } = data as { message?: unknown; error?: unknown };
    if (typeof message === 'string') {
      return message;
    }
    if (typeof error === 'string') {
      return error;
    }
  }
  return undefined;
}

export function toDatasourceError(thrown: unknown, source: Source, uid: string): DatasourceError {
  const failure = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as {
    status?: unknown;
    statusText?: unknown;
    data?: unknown;
  };
  const status = typeof failure.status === 'number' ? failure.status : 0;
  if (status < 100) {
    return new DatasourceError('network', 0, 'network', 'The request got no answer.', source, uid);
  }
  const said = bodyMessage(failure.data) ?? (typeof failure.statusText === 'string' ? failure.statusText : '');
  const message = `${SOURCE_NAMES[source]} (${uid}) answered ${status}${said ? `: ${said}` : ''}.`;
  const kind: RunnerErrorKind =
    status === 502 || status === 503 || status === 504
      ? 'unreachable'
      : status === 403 || status === 401
        ? 'forbidden'
        : status === 404
          ? 'no_route'
          : 'grafana';
  return new DatasourceError(kind, status, `${source}_${status}`, message, source, uid);
}

async function call<T>(
  source: Source,
  uid: string,
  request: { url: string; method: 'GET' | 'POST'; params?: Record<string, unknown>; data?: unknown }
): Promise<T> {
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<T>({ ...request, showErrorAlert: false, showSuccessAlert: false })
    );
    return response.data;
  } catch (error) {
    throw toDatasourceError(error, source, uid);
  }
}

const alertmanagerApi = (uid: string, path: string) => `/api/alertmanager/${encodeURIComponent(uid)}/api/v2/${path}`;

export const alertingClient = {
  /** Vigil's alerts in Alertmanager: firing ones, silenced and inhibited included (the page says which). */
  alertmanagerAlerts: (uid: string) =>
    call<AlertmanagerAlert[]>('alertmanager', uid, {
      url: alertmanagerApi(uid, 'alerts'),
      method: 'GET',
      params: { filter: VIGIL_ALERT_FILTER, active: true, silenced: true, inhibited: true },
    }),

  /** Creates a silence; Alertmanager answers its id. */
  createSilence: (uid: string, silence: SilenceCreate) =>
    call<{ silenceID: string }>('alertmanager', uid, {
      url: alertmanagerApi(uid, 'silences'),
      method: 'POST',
      data: silence,
    }),

  /** Every alert Prometheus evaluates as pending or firing (filtered to Vigil's by the caller). */
  prometheusAlerts: async (uid: string) => {
    const answer = await call<{ status: string; data?: { alerts?: PrometheusAlert[] } }>('prometheus', uid, {
      url: `/api/datasources/proxy/uid/${encodeURIComponent(uid)}/api/v1/alerts`,
      method: 'GET',
    });
    return answer.data?.alerts ?? [];
  },
};
