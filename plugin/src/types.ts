/**
 * The app's settings as Grafana stores them (`/api/plugins/vigil-mcp-app/settings`). jsonData is
 * readable by every user of the app; secureJsonData is write-only: Grafana encrypts it and only the
 * plugin proxy reads it (the runner token in the routes' Authorization header). The browser only
 * learns whether a secure field is set, from `secureJsonFields`.
 */
export interface VigilJsonData {
  /** The runner's base URL as Grafana's server reaches it, e.g. `http://vigil-runner:8090`. */
  runnerUrl?: string;
  /** The Prometheus datasource the app's panels query (default: the catalog's `vigil-prometheus`). */
  prometheusUid?: string;
  /** The Alertmanager datasource of the Alerts page (default: the catalog's `vigil-alertmanager`). */
  alertmanagerUid?: string;
}

export interface VigilSecureJsonData {
  /** The runner's VIGIL_TOKEN. */
  runnerToken?: string;
}
