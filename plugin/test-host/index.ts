/**
 * The Grafana test host — a TEST DOUBLE of Grafana's frontend shell and of the backend APIs an
 * app plugin calls, for browser tests of the production plugin build. Never shipped; nothing in
 * plugin/src may import it. See README.md.
 */
export {
  ALERTMANAGER_UID,
  GRAFANA_VERSION,
  PROMETHEUS_UID,
  type RecordedRequest,
  type TestHost,
  type TestHostOptions,
  startTestHost,
} from './server/host';
export {
  type BrowserProblem,
  type TestBrowser,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  launchBrowser,
  waitForHostReady,
} from './server/browser';
export type { OrgRole, PluginRoute, TestUser } from './server/grafana-backend';
