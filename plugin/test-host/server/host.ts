/**
 * The test host's HTTP server — a TEST DOUBLE of Grafana's HTTP server for one app plugin, on a
 * free loopback port. Serves the host page, its esbuild bundle, SystemJS, the plugin's dist/ at
 * /public/plugins/<id>/, @grafana/ui's icons, and plays the Grafana backend the app calls:
 *
 * - `GET|POST /api/plugins/<id>/settings`   plugin settings kept in memory (server/grafana-backend.ts)
 * - `/api/plugin-proxy/<id>/<path>`         dist/plugin.json `routes`, templated with the settings
 * - `/api/datasources/proxy/uid/<uid>/...`  → `prometheusUrl` / `alertmanagerUrl`
 * - `/api/alertmanager/<am uid>/api/v2/...` → `alertmanagerUrl` (Grafana's external Alertmanager API)
 *
 * Every API request is recorded in `requests` (method, path, status, upstream URL).
 */
import { readFile, stat } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { AMD_BUILTINS, SHARED_DEPENDENCY_NAMES } from '../src/shared-dependency-names';
import { type HostBundle, TEST_HOST_DIR, buildHostBundle, packageDir, systemJsDir } from './bundle';
import {
  type OrgRole,
  type PluginRoleRegistration,
  type PluginRoute,
  type PluginSettingsState,
  STRIPPED_REQUEST_HEADERS,
  STRIPPED_RESPONSE_HEADERS,
  type TestUser,
  amdExternals,
  applySettingsUpdate,
  buildUpstreamRequest,
  hasAccessToRoute,
  pluginSettingsDto,
  roleIncludes,
  selectRoute,
  userActions,
} from './grafana-backend';

export const GRAFANA_VERSION = '13.2.3';
export const PROMETHEUS_UID = 'vigil-prometheus';
export const ALERTMANAGER_UID = 'vigil-alertmanager';
export const TESTDATA_UID = 'gdev-testdata';

export interface TestHostOptions {
  /** The plugin build to serve; default plugin/dist. */
  distDir?: string;
  /** The runner's base URL: shorthand for `jsonData.runnerUrl` (provisioning/grafana/plugins/vigil-app.yml). */
  runnerUrl?: string;
  /** Where `/api/datasources/proxy/uid/vigil-prometheus/…` goes. Unset: those requests answer 502. */
  prometheusUrl?: string;
  /** Where the vigil-alertmanager datasource proxy and `/api/alertmanager/vigil-alertmanager/…` go. */
  alertmanagerUrl?: string;
  /** The plugin's stored jsonData (what provisioning or the config page saved). */
  jsonData?: Record<string, unknown>;
  /** The plugin's stored secure values: used server-side only, never sent to the browser. */
  secureJsonData?: Record<string, string>;
  /** The signed-in user's org role; default Editor. Plugin settings can only be saved as Admin. */
  role?: OrgRole;
  /** Overrides of the signed-in user (login, id, name, email). */
  user?: Partial<Pick<TestUser, 'id' | 'login' | 'name' | 'email' | 'isGrafanaAdmin'>>;
  /** Plugin enabled (default true). */
  enabled?: boolean;
  /** Replaces dist/plugin.json's `routes` — for the host's own tests, not for testing the app. */
  routesOverride?: PluginRoute[];
  /** Grafana feature toggles in boot data. */
  featureToggles?: Record<string, boolean>;
  theme?: 'dark' | 'light';
  /** Port to listen on (default: a free one). */
  port?: number;
}

export interface RecordedRequest {
  kind: 'settings' | 'plugin-proxy' | 'datasource-proxy' | 'alertmanager' | 'unhandled-api';
  method: string;
  /** Path and query as the browser sent it. */
  path: string;
  status: number;
  /** The URL forwarded to, for proxied requests. */
  upstream?: string;
  /** The plugin.json route that matched (plugin proxy). */
  route?: string;
  at: number;
}

export interface TestHost {
  /** http://127.0.0.1:<port> */
  url: string;
  /** `url` + path, e.g. pageUrl('/a/vigil-mcp-app/home'). */
  pageUrl(pagePath: string): string;
  /** The API requests the page made, in order. */
  requests: RecordedRequest[];
  /** The stored settings as the browser may see them (secure values replaced by their names). */
  settings(): { enabled: boolean; jsonData: Record<string, unknown>; secureJsonFields: Record<string, boolean> };
  /** The signed-in user. */
  user: TestUser;
  /** Parsed dist/plugin.json. */
  pluginJson: Record<string, unknown>;
  /** The externals module.js's define() asks for. */
  externals: string[];
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.css': 'text/css; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.woff2': 'font/woff2',
};

export async function startTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const distDir = path.resolve(options.distDir ?? path.join(TEST_HOST_DIR, '..', 'dist'));
  const pluginJson = await readJson(path.join(distDir, 'plugin.json'));
  const moduleSource = await readFile(path.join(distDir, 'module.js'), 'utf8').catch(() => {
    throw new Error(`test host: ${distDir}/module.js is missing — run \`npm run build -w plugin\` first`);
  });
  const pluginId = String(pluginJson.id);
  if (pluginJson.type !== 'app') {
    throw new Error(`test host: ${pluginId} is a ${String(pluginJson.type)} plugin; the host emulates apps only`);
  }
  const externals = amdExternals(moduleSource);
  const missing = externals.filter((name) => !SHARED_DEPENDENCY_NAMES.includes(name) && !AMD_BUILTINS.includes(name));
  if (missing.length) {
    throw new Error(
      `test host: module.js needs externals the host does not provide: ${missing.join(', ')} ` +
        '(add them to test-host/src/shared-dependencies.ts and shared-dependency-names.ts)'
    );
  }
  const routes: PluginRoute[] = options.routesOverride ?? (pluginJson.routes as PluginRoute[] | undefined) ?? [];
  const pluginRoles = (pluginJson.roles as PluginRoleRegistration[] | undefined) ?? [];
  const bundle = await buildHostBundle();

  const role = options.role ?? 'Editor';
  const user: TestUser = {
    id: options.user?.id ?? 2,
    uid: `test-${role.toLowerCase()}`,
    login: options.user?.login ?? `test-${role.toLowerCase()}`,
    name: options.user?.name ?? `Test ${role}`,
    email: options.user?.email ?? `test-${role.toLowerCase()}@example.test`,
    orgId: 1,
    orgName: 'Main Org.',
    orgRole: role,
    isGrafanaAdmin: options.user?.isGrafanaAdmin ?? false,
  };
  let settings: PluginSettingsState = {
    enabled: options.enabled ?? true,
    pinned: false,
    jsonData: {
      ...(options.runnerUrl !== undefined ? { runnerUrl: options.runnerUrl } : {}),
      ...options.jsonData,
    },
    secureJsonData: { ...options.secureJsonData },
  };
  const requests: RecordedRequest[] = [];
  const upstreams: Record<string, string | undefined> = {
    [PROMETHEUS_UID]: options.prometheusUrl,
    [ALERTMANAGER_UID]: options.alertmanagerUrl,
  };

  let baseUrl = '';
  const record = (entry: Omit<RecordedRequest, 'at'>) => requests.push({ ...entry, at: Date.now() });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', 'http://test-host.invalid');
    const pathname = requestUrl.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const fullPath = pathname + requestUrl.search;

    if (pathname.startsWith('/api/')) {
      const settingsPath = `/api/plugins/${pluginId}/settings`;
      if (pathname === settingsPath) {
        if (method === 'GET') {
          sendJson(res, 200, pluginSettingsDto(pluginJson, settings));
        } else if (method === 'POST') {
          if (!userActions(user, pluginRoles).has('plugins:write')) {
            sendJson(res, 403, {
              accessErrorId: 'ACE0000000001',
              message: `You'll need additional permissions to perform this action. Permissions needed: plugins:write`,
              title: 'Access denied',
            });
          } else {
            settings = applySettingsUpdate(settings, JSON.parse((await readBody(req)).toString('utf8') || '{}'));
            sendJson(res, 200, { message: 'Plugin settings updated' });
          }
        } else {
          sendJson(res, 405, { message: 'Method not allowed' });
        }
        record({ kind: 'settings', method, path: fullPath, status: res.statusCode });
        return;
      }

      const proxyPrefix = `/api/plugin-proxy/${pluginId}`;
      if (pathname === proxyPrefix || pathname.startsWith(`${proxyPrefix}/`)) {
        const proxyPath = requestUrl.pathname.slice(proxyPrefix.length).replace(/^\//, '');
        const decision = selectRoute(routes, method, proxyPath, (route) => hasAccessToRoute(route, user, pluginRoles));
        if (decision.kind === 'not-found') {
          sendJson(res, 404, { message: 'plugin route match not found' });
          record({ kind: 'plugin-proxy', method, path: fullPath, status: 404 });
          return;
        }
        if (decision.kind === 'denied') {
          sendJson(res, 403, { message: 'plugin proxy route access denied' });
          record({ kind: 'plugin-proxy', method, path: fullPath, status: 403, route: decision.route.path });
          return;
        }
        let upstream;
        try {
          upstream = buildUpstreamRequest(
            decision.route,
            decision.proxyPath,
            requestUrl.search,
            { JsonData: settings.jsonData, SecureJsonData: settings.secureJsonData, URL: '' },
            user
          );
        } catch (error) {
          sendJson(res, 500, { message: 'Could not interpolate plugin route url', error: String(error) });
          record({ kind: 'plugin-proxy', method, path: fullPath, status: 500, route: decision.route.path });
          throw error;
        }
        const body = upstream.body !== undefined ? Buffer.from(upstream.body) : await readBody(req);
        const status = await forward(req, res, upstream.url, upstream.setHeaders, body);
        record({
          kind: 'plugin-proxy',
          method,
          path: fullPath,
          status,
          upstream: upstream.url.toString(),
          route: decision.route.path,
        });
        return;
      }

      const dsMatch = /^\/api\/datasources\/proxy\/uid\/([^/]+)(?:\/(.*))?$/.exec(pathname);
      if (dsMatch) {
        const [, uid, dsPath = ''] = dsMatch;
        const status = await datasourceProxy(req, res, uid, dsPath, requestUrl.search, method);
        record({ kind: 'datasource-proxy', method, path: fullPath, status, upstream: upstreamFor(uid, dsPath) });
        return;
      }

      const amMatch = /^\/api\/alertmanager\/([^/]+)\/(api\/v2\/.*)$/.exec(pathname);
      if (amMatch) {
        const [, uid, amPath] = amMatch;
        const status = await alertmanagerApi(req, res, uid, amPath, requestUrl.search, method);
        record({ kind: 'alertmanager', method, path: fullPath, status, upstream: upstreamFor(uid, amPath) });
        return;
      }

      sendJson(res, 404, { message: `Not found (the test host does not emulate ${method} ${pathname})` });
      record({ kind: 'unhandled-api', method, path: fullPath, status: 404 });
      return;
    }

    if (method !== 'GET' && method !== 'HEAD') {
      sendJson(res, 405, { message: 'Method not allowed' });
      return;
    }
    if (pathname.startsWith('/test-host/assets/')) {
      const file = bundle.files.get(pathname.slice('/test-host/assets/'.length));
      if (!file) {
        return sendText(res, 404, 'not found');
      }
      res.writeHead(200, { 'Content-Type': file.contentType, 'Cache-Control': 'no-store' });
      res.end(file.contents);
      return;
    }
    if (pathname.startsWith('/test-host/systemjs/')) {
      return sendFile(res, systemJsDir(), pathname.slice('/test-host/systemjs/'.length));
    }
    if (pathname.startsWith(`/public/plugins/${pluginId}/`)) {
      // Chunk URLs carry `?_cache=<hash>`; the files are served as built (their SRI hashes hold).
      return sendFile(res, distDir, decodeURIComponent(pathname.slice(`/public/plugins/${pluginId}/`.length)));
    }
    if (pathname.startsWith('/public/build/img/icons/')) {
      const relative = decodeURIComponent(pathname.slice('/public/build/img/icons/'.length));
      const iconsDir = path.join(packageDir('@grafana/ui'), 'dist', 'public', 'img', 'icons');
      const name = /^(?:unicons|custom|mono|solid)\/([\w-]+)\.svg$/.exec(relative)?.[1];
      if (name && !(await exists(path.join(iconsDir, relative))) && (await grafanaIconNames()).has(name)) {
        // An icon Grafana ships but @grafana/ui's package does not (e.g. spinner): a stand-in.
        res.writeHead(200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'no-store' });
        res.end(standInIcon(name));
        return;
      }
      return sendFile(res, iconsDir, relative);
    }
    if (pathname.startsWith('/public/fonts/')) {
      // Grafana's fonts are in no npm package: an empty answer makes the browser use its fallback
      // font (a decode warning, not an error).
      res.writeHead(200, { 'Content-Type': 'font/woff2', 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    if (pathname.startsWith('/public/')) {
      return sendText(res, 404, 'not found');
    }
    // Every other path is a page of the single-page app.
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(hostPage(bundle, bootData(), pluginId, externals));
  }

  function upstreamFor(uid: string, rest: string): string | undefined {
    const base = upstreams[uid];
    return base ? `${base.replace(/\/$/, '')}/${rest}` : undefined;
  }

  /** pkg/api/pluginproxy/ds_proxy.go for the two provisioned datasources. */
  async function datasourceProxy(
    req: IncomingMessage,
    res: ServerResponse,
    uid: string,
    dsPath: string,
    search: string,
    method: string
  ): Promise<number> {
    if (uid !== PROMETHEUS_UID && uid !== ALERTMANAGER_UID) {
      sendJson(res, 404, { message: 'Unable to find datasource' });
      return 404;
    }
    if (uid === PROMETHEUS_UID && method !== 'GET') {
      // The Prometheus plugin.json allow-lists these POSTs; other writes are refused.
      const allowed = [
        'api/v1/query',
        'api/v1/query_range',
        'api/v1/series',
        'api/v1/labels',
        'api/v1/query_exemplars',
      ];
      if (method !== 'POST' || !allowed.includes(dsPath.replace(/\/$/, ''))) {
        sendJson(res, 403, { message: `non allow-listed ${method}s not allowed on proxied Prometheus datasource` });
        return 403;
      }
    }
    const base = upstreams[uid];
    if (!base) {
      sendJson(res, 502, { message: `test host: no URL given for datasource ${uid}` });
      return 502;
    }
    const target = new URL(base);
    const url = new URL(target.origin);
    url.pathname = `${target.pathname.replace(/\/$/, '')}/${dsPath}`;
    url.search = search;
    return forward(req, res, url, {}, await readBody(req));
  }

  /** Grafana's external-Alertmanager API (the "lotex" proxy) for the provisioned Alertmanager. */
  async function alertmanagerApi(
    req: IncomingMessage,
    res: ServerResponse,
    uid: string,
    amPath: string,
    search: string,
    method: string
  ): Promise<number> {
    if (uid !== ALERTMANAGER_UID) {
      sendJson(res, 404, { message: 'Unable to find datasource' });
      return 404;
    }
    const writes =
      (method === 'POST' && amPath === 'api/v2/silences') ||
      (method === 'DELETE' && /^api\/v2\/silence\/[^/]+$/.test(amPath));
    if (method !== 'GET' && !writes) {
      sendJson(res, 404, { message: 'Not found' });
      return 404;
    }
    if (writes && !roleIncludes(user.orgRole, 'Editor')) {
      sendJson(res, 403, {
        message: `You'll need additional permissions to perform this action. Permissions needed: alert.silences:${method === 'POST' ? 'create' : 'write'}`,
      });
      return 403;
    }
    const base = upstreams[uid];
    if (!base) {
      sendJson(res, 502, { message: `test host: no URL given for ${uid}` });
      return 502;
    }
    const target = new URL(base);
    const url = new URL(target.origin);
    url.pathname = `${target.pathname.replace(/\/$/, '')}/${amPath}`;
    url.search = search;
    return forward(req, res, url, {}, await readBody(req));
  }

  function bootData() {
    return buildBootData({
      baseUrl,
      user,
      pluginJson,
      prometheusUrl: options.prometheusUrl,
      alertmanagerUrl: options.alertmanagerUrl,
      featureToggles: options.featureToggles ?? {},
      theme: options.theme ?? 'dark',
      actions: [...userActions(user, pluginRoles)],
    });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, { message: `test host: ${String(error)}` });
      } else {
        res.destroy();
      }
    });
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    pageUrl: (pagePath: string) => `${baseUrl}${pagePath.startsWith('/') ? '' : '/'}${pagePath}`,
    requests,
    settings: () => ({
      enabled: settings.enabled,
      jsonData: settings.jsonData,
      secureJsonFields: Object.fromEntries(Object.keys(settings.secureJsonData).map((key) => [key, true])),
    }),
    user,
    pluginJson,
    externals,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) {
          socket.destroy();
        }
      }),
  };
}

/** Forwards a request (Go's ReverseProxy as Grafana configures it) and streams the answer back. */
function forward(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  setHeaders: Record<string, string>,
  body: Buffer
): Promise<number> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !STRIPPED_REQUEST_HEADERS.has(name.toLowerCase())) {
      headers[name] = value;
    }
  }
  for (const [name, value] of Object.entries(setHeaders)) {
    for (const existing of Object.keys(headers)) {
      if (existing.toLowerCase() === name.toLowerCase()) {
        delete headers[existing];
      }
    }
    headers[name] = value;
  }
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
  if (body.length) {
    headers['content-length'] = String(body.length);
  }
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve) => {
    const upstream = transport.request(url, { method: req.method, headers }, (answer) => {
      const responseHeaders: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined && !STRIPPED_RESPONSE_HEADERS.has(name.toLowerCase())) {
          responseHeaders[name] = value;
        }
      }
      // proxyutil.SetProxyResponseHeaders
      responseHeaders['content-security-policy'] = 'sandbox';
      res.writeHead(answer.statusCode ?? 502, responseHeaders);
      answer.pipe(res);
      // A stream the browser closed ends with 'close' only.
      for (const event of ['end', 'error', 'close']) {
        answer.on(event, () => resolve(answer.statusCode ?? 502));
      }
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) {
        sendJson(res, 502, { message: `test host: upstream ${url.origin} unreachable: ${error.message}` });
      } else {
        res.destroy();
      }
      resolve(502);
    });
    res.on('close', () => upstream.destroy());
    upstream.end(body.length ? body : undefined);
  });
}

interface BootDataInput {
  baseUrl: string;
  user: TestUser;
  pluginJson: Record<string, unknown>;
  prometheusUrl?: string;
  alertmanagerUrl?: string;
  featureToggles: Record<string, boolean>;
  theme: 'dark' | 'light';
  actions: string[];
}

function datasourceMeta(id: string, name: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name,
    type: 'datasource',
    module: `core:plugin/${id}`,
    baseUrl: `public/app/plugins/datasource/${id}`,
    info: {
      author: { name: 'Grafana Labs' },
      description: '',
      links: [],
      logos: { small: '', large: '' },
      screenshots: [],
      updated: '',
      version: GRAFANA_VERSION,
    },
    ...extra,
  };
}

/**
 * `window.grafanaBootData` (pkg/api/dtos/frontend_settings.go): the settings a plugin reads
 * through @grafana/runtime's `config`. Datasources as provisioned in
 * provisioning/grafana/datasources/vigil.yml, plus the TestData the scaffold's pages use.
 */
export function buildBootData(input: BootDataInput) {
  const { user, pluginJson } = input;
  const pluginId = String(pluginJson.id);
  const info = (pluginJson.info ?? {}) as Record<string, unknown>;
  const datasources = {
    'Vigil Prometheus': {
      id: 1,
      uid: PROMETHEUS_UID,
      type: 'prometheus',
      name: 'Vigil Prometheus',
      meta: datasourceMeta('prometheus', 'Prometheus', {
        metrics: true,
        alerting: true,
        annotations: true,
        backend: true,
        queryOptions: { minInterval: true },
      }),
      url: `/api/datasources/proxy/uid/${PROMETHEUS_UID}`,
      access: 'proxy',
      isDefault: true,
      readOnly: true,
      jsonData: {
        prometheusType: 'Prometheus',
        prometheusVersion: '2.42.0',
        httpMethod: 'POST',
        timeInterval: '15s',
        manageAlerts: false,
        alertmanagerUid: ALERTMANAGER_UID,
      },
    },
    'Vigil Alertmanager': {
      id: 2,
      uid: ALERTMANAGER_UID,
      type: 'alertmanager',
      name: 'Vigil Alertmanager',
      meta: datasourceMeta('alertmanager', 'Alertmanager', { alerting: false, backend: true }),
      url: `/api/datasources/proxy/uid/${ALERTMANAGER_UID}`,
      access: 'proxy',
      isDefault: false,
      readOnly: true,
      jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
    },
    [TESTDATA_UID]: {
      id: 3,
      uid: TESTDATA_UID,
      type: 'testdata',
      name: TESTDATA_UID,
      meta: datasourceMeta('grafana-testdata-datasource', 'TestData', { metrics: true, aliasIDs: ['testdata'] }),
      url: `/api/datasources/proxy/uid/${TESTDATA_UID}`,
      access: 'proxy',
      isDefault: false,
      readOnly: true,
      jsonData: {},
    },
  };
  const permissions = Object.fromEntries(
    [
      ...input.actions,
      'datasources:query',
      'datasources:explore',
      'dashboards:read',
      'folders:read',
      'alert.instances:read',
      'alert.rules:read',
      ...(roleIncludes(user.orgRole, 'Editor')
        ? ['dashboards:create', 'dashboards:write', 'alert.silences:create', 'alert.silences:write']
        : []),
    ].map((action) => [action, true])
  );
  return {
    user: {
      isSignedIn: true,
      id: user.id,
      uid: user.uid,
      login: user.login,
      email: user.email,
      name: user.name,
      externalUserId: '',
      theme: input.theme,
      lightTheme: input.theme === 'light',
      orgCount: 1,
      orgId: user.orgId,
      orgName: user.orgName,
      orgRole: user.orgRole,
      isGrafanaAdmin: user.isGrafanaAdmin,
      gravatarUrl: '',
      timezone: 'utc',
      weekStart: 'monday',
      locale: 'en-US',
      language: 'en-US',
      helpFlags1: 0,
      hasEditPermissionInFolders: roleIncludes(user.orgRole, 'Editor'),
      analytics: { identifier: user.login },
      authenticatedBy: 'password',
      permissions,
    },
    settings: {
      appUrl: `${input.baseUrl}/`,
      appSubUrl: '',
      namespace: 'default',
      buildInfo: {
        version: GRAFANA_VERSION,
        versionString: `Grafana v${GRAFANA_VERSION} (test host)`,
        commit: 'test-host',
        commitShort: 'test-host',
        edition: 'Open Source',
        env: 'production',
        latestVersion: GRAFANA_VERSION,
        hasUpdate: false,
        hideVersion: false,
        buildstamp: 0,
      },
      datasources,
      defaultDatasource: 'Vigil Prometheus',
      minRefreshInterval: '5s',
      panels: {},
      apps: {
        [pluginId]: {
          id: pluginId,
          path: `public/plugins/${pluginId}/module.js`,
          version: (info.version as string | undefined) ?? '',
          preload: Boolean(pluginJson.preload),
          angular: { detected: false, hideDeprecation: false },
          loadingStrategy: 'script',
          extensions: pluginJson.extensions ?? {
            addedLinks: [],
            addedComponents: [],
            addedFunctions: [],
            exposedComponents: [],
            extensionPoints: [],
          },
          dependencies: pluginJson.dependencies ?? {},
        },
      },
      featureToggles: input.featureToggles,
      unifiedAlertingEnabled: true,
      unifiedAlerting: { minInterval: '10s' },
      liveEnabled: false,
      rbacEnabled: true,
      anonymousEnabled: false,
      authProxyEnabled: false,
      exploreEnabled: true,
      helpEnabled: false,
      profileEnabled: true,
      newsFeedEnabled: false,
      dateFormats: {
        fullDate: 'YYYY-MM-DD HH:mm:ss',
        interval: {
          millisecond: 'HH:mm:ss.SSS',
          second: 'HH:mm:ss',
          minute: 'HH:mm',
          hour: 'MM/DD HH:mm',
          day: 'MM/DD',
          month: 'YYYY-MM',
          year: 'YYYY',
        },
        useBrowserLocale: false,
        defaultTimezone: 'utc',
        defaultWeekStart: 'monday',
      },
      grafanaJavascriptAgent: { enabled: false },
      analytics: { enabled: false },
      reporting: { enabled: false },
      pluginCatalogURL: 'https://grafana.com/grafana/plugins/',
      pluginsCDNBaseURL: '',
      windowTitlePrefix: 'Grafana - ',
    },
    navTree: [],
    assets: { dark: '', light: '' },
  };
}

function hostPage(bundle: HostBundle, bootData: unknown, pluginId: string, externals: string[]): string {
  const script = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  const pageConfig = { pluginId, moduleUrl: `/public/plugins/${pluginId}/module.js`, externals };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Grafana test host</title>
<meta name="description" content="A test double of Grafana's frontend shell (plugin/test-host), never shipped">
<link rel="icon" href="data:,">
${bundle.stylesheets.map((name) => `<link rel="stylesheet" href="/test-host/assets/${name}">`).join('\n')}
<style>
/* STAND-IN for what Grafana's own stylesheet (public/sass, base/_reboot.scss) adds to @grafana/ui's GlobalStyles */
body { margin: 0; }
</style>
<script>
window.grafanaBootData = ${script(bootData)};
window.__grafana_public_path__ = '/public/';
window.__testHostConfig = ${script(pageConfig)};
</script>
<script src="/test-host/systemjs/system.js"></script>
<script src="/test-host/systemjs/extras/amd.js"></script>
<script src="/test-host/systemjs/extras/named-register.js"></script>
</head>
<body class="theme-${(bootData as { user: { theme: string } }).user.theme}">
<div id="reactRoot"></div>
<script type="module" src="/test-host/assets/${bundle.entry}"></script>
</body>
</html>
`;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    (info) => info.isFile(),
    () => false
  );
}

let iconNames: Promise<Set<string>> | undefined;

/** The icon names Grafana knows (@grafana/data's availableIconsIndex). */
function grafanaIconNames(): Promise<Set<string>> {
  iconNames ??= readFile(path.join(packageDir('@grafana/data'), 'dist', 'esm', 'types', 'icon.mjs'), 'utf8').then(
    (source) => {
      const body = /availableIconsIndex\s*=\s*\{([\s\S]*?)\};/.exec(source)?.[1] ?? '';
      const names = new Set([...body.matchAll(/["']?([\w-]+)["']?\s*:\s*true/g)].map((match) => match[1]));
      if (names.size < 100) {
        throw new Error('test host: could not read availableIconsIndex from @grafana/data');
      }
      return names;
    }
  );
  return iconNames;
}

function standInIcon(name: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" data-stand-in-icon="${name}"><title>${name} (stand-in)</title><circle cx="12" cy="12" r="8" fill="none" stroke="currentColor" stroke-width="2"/></svg>`;
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`test host: cannot read ${file} (${String(error)}) — run \`npm run build -w plugin\` first`);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

async function sendFile(res: ServerResponse, root: string, relative: string): Promise<void> {
  const file = path.resolve(root, relative);
  if (!file.startsWith(path.resolve(root) + path.sep)) {
    return sendText(res, 403, 'forbidden');
  }
  try {
    if (!(await stat(file)).isFile()) {
      return sendText(res, 404, 'not found');
    }
    const contents = await readFile(file);
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
    });
    res.end(contents);
  } catch {
    sendText(res, 404, 'not found');
  }
}
