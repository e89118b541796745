import pluginJson from './plugin.json';

/** `vigil-mcp-app` (also the catalog's PLUGIN_ID; src/plugin.test.ts checks they agree). */
export const PLUGIN_ID = pluginJson.id;

/** Where the app's pages live: `/a/vigil-mcp-app/<ROUTES.X>`. */
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;

/** The app's configuration page (runner URL and token, datasources). */
export const CONFIG_PAGE_URL = `/plugins/${PLUGIN_ID}`;

/** Grafana's plugin proxy for this app: `<PROXY_BASE_URL><runner path>` reaches the runner (src/plugin.json routes). */
export const PROXY_BASE_URL = `/api/plugin-proxy/${PLUGIN_ID}`;

/** The app's pages, relative to PLUGIN_BASE_URL. Each one is a `page` include in plugin.json. */
export enum ROUTES {
  Overview = 'overview',
  Runs = 'runs',
  Probes = 'probes',
  Targets = 'targets',
  Alerts = 'alerts',
}

/**
 * The RBAC actions of the app's roles (plugin.json `roles`): the proxy routes require `read` for
 * GET and `write` for everything else. Viewers get `read` (Vigil Reader), Editors both (Vigil Writer).
 */
export const RBAC_ACTIONS = {
  read: `${PLUGIN_ID}.runner:read`,
  write: `${PLUGIN_ID}.runner:write`,
} as const;
