import { readFileSync, readdirSync } from 'fs';
import path from 'path';
import { DASHBOARDS, PLUGIN_ID } from '@vigil/scenarios/catalog/dashboards.ts';
import { RBAC_ACTIONS, ROUTES } from './constants';
import pluginJson from './plugin.json';
import { type OpenApiMethod, openapi } from './test/openapi';

interface Route {
  path: string;
  method: string;
  url: string;
  reqRole: string;
  reqAction: string;
  headers: Array<{ name: string; content: string }>;
}
const routes = pluginJson.routes as Route[];
const RUNNER_URL = '{{ .JsonData.runnerUrl }}';

/**
 * Grafana's plugin proxy, as pkg/api/pluginproxy does it: the first route whose method matches and
 * whose path matches the requested path (exactly, or with a trailing `*` for the rest) wins; the
 * rest the `*` matched is appended to the route's URL.
 */
function proxy(method: string, requested: string): { route: Route; forwardedPath: string } | undefined {
  const wanted = requested.split('/');
  for (const route of routes) {
    if (route.method !== method) {
      continue;
    }
    const pattern = route.path.split('/');
    const wildcard = pattern[pattern.length - 1] === '*';
    const fixed = wildcard ? pattern.slice(0, -1) : pattern;
    const matches = wildcard
      ? wanted.length > fixed.length && fixed.every((part, i) => part === wanted[i])
      : wanted.length === fixed.length && fixed.every((part, i) => part === wanted[i]);
    if (matches) {
      const rest = wildcard ? wanted.slice(fixed.length).join('/') : '';
      const base = route.url.slice(RUNNER_URL.length);
      return { route, forwardedPath: rest ? `${base}/${rest}` : base };
    }
  }
  return undefined;
}

/**
 * The operations for machines, which the app never calls and must not open to browsers: health
 * and metrics for probes and Prometheus, and Alertmanager's webhook (POST /api/notifications).
 */
const MACHINE_OPERATIONS = ['GET /healthz', 'GET /metrics', 'GET /api/openapi.json', 'POST /api/notifications'];

/** The operations the app calls: every runner API operation but the ones for machines. */
const appOperations = Object.entries(openapi.paths)
  .flatMap(([template, operations]) =>
    (Object.keys(operations) as OpenApiMethod[]).map((method) => ({ template, method: method.toUpperCase() }))
  )
  .filter(({ template, method }) => !MACHINE_OPERATIONS.includes(`${method} ${template}`));

describe('plugin.json', () => {
  it('is the Vigil app of the catalog', () => {
    expect(pluginJson.id).toBe(PLUGIN_ID);
    expect(pluginJson.type).toBe('app');
    expect(pluginJson.name).toBe('Vigil');
    expect(pluginJson.info.description).not.toBe('');
    expect(pluginJson.info.keywords).toEqual(expect.arrayContaining(['mcp', 'oauth']));
  });

  it('needs Grafana 13 (React 19, @grafana/* 13), and the README says so', () => {
    expect(pluginJson.dependencies.grafanaDependency).toBe('>=13.0.0');
    const readme = readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain(`\`${pluginJson.dependencies.grafanaDependency}\``);
  });

  it.each(appOperations)('routes $method $template to the same runner path', ({ template, method }) => {
    const concrete = template.replace(/\{\w+\}/g, 'x_1');
    const hit = proxy(method, concrete.slice(1));
    expect(hit).toBeDefined();
    expect(hit?.forwardedPath).toBe(concrete);
  });

  it.each(MACHINE_OPERATIONS)('gives browsers no route to %s', (operation) => {
    const [method, template] = operation.split(' ');
    expect(proxy(method, template.slice(1))).toBeUndefined();
  });

  it('lets Viewers read and Editors change, by role and by RBAC action', () => {
    for (const route of routes) {
      const read = route.method === 'GET';
      expect([route.method, route.path, route.reqRole]).toEqual([route.method, route.path, read ? 'Viewer' : 'Editor']);
      expect([route.method, route.path, route.reqAction]).toEqual([
        route.method,
        route.path,
        read ? RBAC_ACTIONS.read : RBAC_ACTIONS.write,
      ]);
    }
  });

  it('sends the runner token from secureJsonData, server-side, on every route', () => {
    for (const route of routes) {
      expect(route.url.startsWith(`${RUNNER_URL}/`)).toBe(true);
      expect(route.headers).toEqual([{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.runnerToken }}' }]);
    }
  });

  it('declares the roles granting the route actions: read to Viewers, read and write to Editors', () => {
    const grants = (action: string) =>
      pluginJson.roles
        .filter((role) => role.role.permissions.some((p) => p.action === action))
        .flatMap((role) => role.grants);
    expect(grants(RBAC_ACTIONS.read).sort()).toEqual(['Editor', 'Viewer']);
    expect(grants(RBAC_ACTIONS.write)).toEqual(['Editor']);
    for (const role of pluginJson.roles) {
      for (const permission of role.role.permissions) {
        expect(permission.action.startsWith(`${PLUGIN_ID}.`)).toBe(true);
      }
    }
  });

  it('has a nav page per app route, Overview first and default', () => {
    const pages = pluginJson.includes.filter((include) => include.type === 'page' && include.path?.startsWith('/a/'));
    expect(pages.map((page) => page.path)).toEqual(Object.values(ROUTES).map((route) => `/a/%PLUGIN_ID%/${route}`));
    expect(pages.map((page) => page.name)).toEqual(['Overview', 'Runs', 'Probes', 'Targets', 'Alerts']);
    expect(pages.filter((page) => page.defaultNav).map((page) => page.name)).toEqual(['Overview']);
    expect(pages.every((page) => page.addToNav && page.role === 'Viewer' && page.action === RBAC_ACTIONS.read)).toBe(
      true
    );
  });

  it('includes every generated dashboard (provisioning/grafana/dashboards), named by its title, and nothing else', () => {
    const folder = path.resolve(__dirname, '..', '..', 'provisioning', 'grafana', 'dashboards');
    const generated = readdirSync(folder)
      .filter((file) => file.endsWith('.json'))
      .map((file) => {
        const dashboard = JSON.parse(readFileSync(path.join(folder, file), 'utf8'));
        return { path: `dashboards/${file}`, name: dashboard.title, uid: dashboard.uid };
      });
    const included = pluginJson.includes
      .filter((include) => include.type === 'dashboard')
      .map((include) => ({ path: include.path, name: include.name }));
    expect(included.sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      generated.map(({ path: file, name }) => ({ path: file, name })).sort((a, b) => a.path.localeCompare(b.path))
    );
    expect(generated.map((dashboard) => dashboard.uid).sort()).toEqual(
      Object.values(DASHBOARDS)
        .map((dashboard) => dashboard.uid)
        .sort()
    );
  });
});
