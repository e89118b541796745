/**
 * Links out of the app: the provisioned dashboards (uids from the catalog's DASHBOARDS) with a
 * run's variables and time range, and Explore with a query. Grafana's URL formats: dashboards
 * take `var-<name>` and `from`/`to` (epoch ms); Explore takes `panes` (JSON) since Grafana 10.
 */
import { DASHBOARDS, type DashboardKey } from '@vigil/scenarios/catalog/dashboards.ts';

export interface TimeWindow {
  /** Epoch milliseconds. */
  from: number;
  to: number;
}

export function dashboardUrl(key: DashboardKey, variables: Record<string, string> = {}, window?: TimeWindow): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(variables)) {
    params.set(`var-${name}`, value);
  }
  if (window) {
    params.set('from', String(window.from));
    params.set('to', String(window.to));
  }
  const query = params.toString();
  return `/d/${DASHBOARDS[key].uid}${query ? `?${query}` : ''}`;
}

/** Explore with one or more PromQL queries against a Prometheus datasource. */
export function exploreUrl(datasourceUid: string, exprs: readonly string[], window?: TimeWindow): string {
  const datasource = { type: 'prometheus', uid: datasourceUid };
  const pane = {
    datasource: datasourceUid,
    queries: exprs.map((expr, index) => ({ refId: String.fromCharCode(65 + index), expr, datasource })),
    range: window ? { from: String(window.from), to: String(window.to) } : { from: 'now-1h', to: 'now' },
  };
  const params = new URLSearchParams({ schemaVersion: '1', orgId: '1', panes: JSON.stringify({ vigil: pane }) });
  return `/explore?${params.toString()}`;
}
