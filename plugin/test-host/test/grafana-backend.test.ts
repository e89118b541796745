/**
 * The Grafana backend emulation's pure parts against a route table of the test's own: route
 * matching as Grafana's macaron tree does it, access checks, Go-template rendering, the upstream
 * request, and the settings DTO — and that dist/plugin.json's own routes are ones the host can
 * apply.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import {
  type PluginRoleRegistration,
  type PluginRoute,
  type TestUser,
  amdExternals,
  applySettingsUpdate,
  buildUpstreamRequest,
  hasAccessToRoute,
  joinUrlFragments,
  matchRoutePath,
  pluginSettingsDto,
  renderTemplate,
  selectRoute,
} from '../server/grafana-backend';

const here = path.dirname(fileURLToPath(import.meta.url));

function user(orgRole: TestUser['orgRole']): TestUser {
  return {
    id: 7,
    uid: 'u7',
    login: 'alice',
    name: 'Alice',
    email: 'alice@example.test',
    orgId: 1,
    orgName: 'Main Org.',
    orgRole,
    isGrafanaAdmin: false,
  };
}

const data = {
  JsonData: { runnerUrl: 'http://127.0.0.1:8090', nested: { port: 8090 }, flag: true },
  SecureJsonData: { runnerToken: 's3cret' },
  URL: '',
};

const routes: PluginRoute[] = [
  { path: 'readyz', method: 'GET', url: '{{ .JsonData.runnerUrl }}/readyz', reqRole: 'Viewer' },
  {
    path: 'api/runs/*',
    method: 'POST',
    url: '{{ .JsonData.runnerUrl }}/api/runs',
    reqRole: 'Editor',
    headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.runnerToken }}' }],
  },
  {
    path: 'api/*',
    url: '{{ .JsonData.runnerUrl }}/api',
    reqRole: 'Viewer',
    headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.runnerToken }}' }],
  },
];

describe('matchRoutePath (pkg/web/tree.go)', () => {
  it.each([
    ['readyz', 'readyz', {}],
    ['readyz', '/readyz/', {}],
    ['api/*', 'api/runs', { '*': 'runs' }],
    ['api/*', 'api/runs/42/events', { '*': 'runs/42/events' }],
    ['api/runs/:id', 'api/runs/42', { ':id': '42' }],
    ['api/runs/:id/stop', 'api/runs/42/stop', { ':id': '42' }],
    ['*', 'anything/at/all', { '*': 'anything/at/all' }],
  ])('%s matches %s', (pattern, requestPath, params) => {
    expect(matchRoutePath(pattern, requestPath)).toEqual(params);
  });

  it.each([
    ['readyz', 'readyz/more'],
    ['api/*', 'api'],
    ['api/*', 'api/'],
    ['api/runs/:id', 'api/runs'],
    ['api/runs/:id', 'api/runs/42/stop'],
    ['api/targets', 'api/target'],
  ])('%s does not match %s', (pattern, requestPath) => {
    expect(matchRoutePath(pattern, requestPath)).toBeNull();
  });

  it('refuses patterns it does not emulate', () => {
    expect(() => matchRoutePath('api/runs/:id(\\d+)', 'api/runs/1')).toThrow(/unsupported route path/);
    expect(() => matchRoutePath('api/*/stop', 'api/1/stop')).toThrow(/last segment/);
  });
});

describe('selectRoute and hasAccessToRoute (pkg/api/pluginproxy)', () => {
  const access = (role: TestUser['orgRole']) => (route: PluginRoute) => hasAccessToRoute(route, user(role));

  it('takes the first route whose method and path fit, with the wildcard as the proxy path', () => {
    const decision = selectRoute(routes, 'POST', 'api/runs/start', access('Editor'));
    expect(decision).toMatchObject({ kind: 'matched', route: routes[1], proxyPath: 'start' });
    expect(selectRoute(routes, 'GET', 'api/runs/1', access('Viewer'))).toMatchObject({
      kind: 'matched',
      route: routes[2],
      proxyPath: 'runs/1',
    });
    expect(selectRoute(routes, 'GET', 'readyz', access('Viewer'))).toMatchObject({ proxyPath: '' });
  });

  it('answers denied (403) without falling through to a later route the user could use', () => {
    expect(selectRoute(routes, 'POST', 'api/runs/start', access('Viewer'))).toMatchObject({ kind: 'denied' });
  });

  it('answers not-found when no route fits the method and path', () => {
    expect(selectRoute(routes, 'DELETE', 'readyz', access('Admin'))).toEqual({ kind: 'not-found' });
    expect(selectRoute(routes, 'GET', 'metrics', access('Admin'))).toEqual({ kind: 'not-found' });
  });

  it('orders roles Admin ⊇ Editor ⊇ Viewer', () => {
    const editorRoute: PluginRoute = { path: 'x', reqRole: 'Editor' };
    expect(hasAccessToRoute(editorRoute, user('Viewer'))).toBe(false);
    expect(hasAccessToRoute(editorRoute, user('Editor'))).toBe(true);
    expect(hasAccessToRoute(editorRoute, user('Admin'))).toBe(true);
    expect(hasAccessToRoute({ path: 'x' }, user('Viewer'))).toBe(true);
  });

  it('checks reqAction against plugin.json roles granted to basic roles, before reqRole', () => {
    const roles: PluginRoleRegistration[] = [
      { role: { name: 'Reader', permissions: [{ action: 'app.runner:read' }] }, grants: ['Viewer'] },
      { role: { name: 'Writer', permissions: [{ action: 'app.runner:write' }] }, grants: ['Editor'] },
    ];
    const write: PluginRoute = { path: 'x', reqRole: 'Viewer', reqAction: 'app.runner:write' };
    expect(hasAccessToRoute(write, user('Viewer'), roles)).toBe(false);
    expect(hasAccessToRoute(write, user('Editor'), roles)).toBe(true);
    expect(hasAccessToRoute(write, user('Admin'), roles)).toBe(true);
    expect(hasAccessToRoute({ path: 'x', reqAction: 'app.runner:read' }, user('Viewer'), roles)).toBe(true);
    expect(hasAccessToRoute({ path: 'x', reqAction: 'app.other:read' }, user('Admin'), roles)).toBe(false);
  });
});

describe('renderTemplate (Go text/template as Grafana uses it)', () => {
  it('reads JsonData, SecureJsonData and nested keys', () => {
    expect(renderTemplate('{{ .JsonData.runnerUrl }}/api', data)).toBe('http://127.0.0.1:8090/api');
    expect(renderTemplate('Bearer {{.SecureJsonData.runnerToken}}', data)).toBe('Bearer s3cret');
    expect(renderTemplate('{{ .JsonData.nested.port }} {{ .JsonData.flag }}', data)).toBe('8090 true');
  });

  it('prints <no value> for a missing key, as Go does with maps, unless orEmpty', () => {
    expect(renderTemplate('Bearer {{ .SecureJsonData.missing }}', data)).toBe('Bearer <no value>');
    expect(renderTemplate('{{ .JsonData.missing | orEmpty }}x', data)).toBe('x');
    expect(renderTemplate('{{ orEmpty .JsonData.missing }}x', data)).toBe('x');
  });

  it('refuses what it does not emulate', () => {
    expect(() => renderTemplate('{{ if .JsonData.flag }}a{{ end }}', data)).toThrow(/unsupported template action/);
    expect(() => renderTemplate('{{ .JsonData.x | upper }}', data)).toThrow(/unsupported template function/);
    expect(() => renderTemplate('{{ .Settings.x }}', data)).toThrow(/does not exist/);
  });
});

describe('buildUpstreamRequest (the proxy director)', () => {
  it('joins the route URL with the proxy path, keeps the query, sets headers and X-Grafana-Context', () => {
    const upstream = buildUpstreamRequest(routes[2], 'runs/42', '?limit=5', data, user('Editor'));
    expect(upstream.url.toString()).toBe('http://127.0.0.1:8090/api/runs/42?limit=5');
    expect(upstream.setHeaders.Authorization).toBe('Bearer s3cret');
    const context = JSON.parse(upstream.setHeaders['X-Grafana-Context']);
    expect(context).toMatchObject({ Login: 'alice', UserID: 7, OrgID: 1, OrgRole: 'Editor' });
    expect(upstream.body).toBeUndefined();
  });

  it('uses the route URL alone when the route has no wildcard', () => {
    expect(buildUpstreamRequest(routes[0], '', '', data, user('Viewer')).url.toString()).toBe(
      'http://127.0.0.1:8090/readyz'
    );
  });

  it('renders a route body and refuses datasource-only route features', () => {
    const withBody: PluginRoute = {
      path: 'x',
      url: 'http://h/x',
      body: { token: '{{ .SecureJsonData.runnerToken }}' },
    };
    expect(JSON.parse(buildUpstreamRequest(withBody, '', '', data, user('Viewer')).body!)).toEqual({ token: 's3cret' });
    expect(() =>
      buildUpstreamRequest({ path: 'x', url: 'http://h', tokenAuth: {} }, '', '', data, user('Viewer'))
    ).toThrow(/tokenAuth/);
    expect(() =>
      buildUpstreamRequest({ path: 'x', url: '{{ .JsonData.nothing }}' }, '', '', data, user('Viewer'))
    ).toThrow(/not a URL/);
  });

  it('joins fragments like util.JoinURLFragments', () => {
    expect(joinUrlFragments('/api', 'runs')).toBe('/api/runs');
    expect(joinUrlFragments('/api/', '/runs')).toBe('/api/runs');
    expect(joinUrlFragments('/api', '')).toBe('/api');
  });
});

describe('plugin settings', () => {
  const pluginJson = { id: 'x-app', type: 'app', name: 'X', info: {}, includes: [] };

  it('shows which secure fields are set, never their values', () => {
    const dto = pluginSettingsDto(pluginJson, {
      enabled: true,
      pinned: false,
      jsonData: { runnerUrl: 'http://r' },
      secureJsonData: { runnerToken: 's3cret' },
    });
    expect(dto.secureJsonFields).toEqual({ runnerToken: true });
    expect(JSON.stringify(dto)).not.toContain('s3cret');
    expect(dto).not.toHaveProperty('secureJsonData');
  });

  it('replaces jsonData and merges secureJsonData on update, as Grafana does', () => {
    const before = { enabled: true, pinned: false, jsonData: { a: 1, b: 2 }, secureJsonData: { t: 'old', k: 'keep' } };
    const after = applySettingsUpdate(before, { jsonData: { a: 3 }, secureJsonData: { t: 'new' } });
    expect(after).toEqual({
      enabled: true,
      pinned: false,
      jsonData: { a: 3 },
      secureJsonData: { t: 'new', k: 'keep' },
    });
    expect(applySettingsUpdate(before, { enabled: false }).jsonData).toEqual({});
  });
});

describe('the production build', () => {
  const dist = path.resolve(here, '..', '..', 'dist');

  it('is an AMD module whose externals the host can list', () => {
    const externals = amdExternals(readFileSync(path.join(dist, 'module.js'), 'utf8'));
    expect(externals).toContain('react');
    expect(externals).toContain('@grafana/data');
  });

  it('has a route table (if any) the host can apply: every route matches, renders and is checked', () => {
    const pluginJson = JSON.parse(readFileSync(path.join(dist, 'plugin.json'), 'utf8'));
    const distRoutes: PluginRoute[] = pluginJson.routes ?? [];
    const roles: PluginRoleRegistration[] = pluginJson.roles ?? [];
    const settings = {
      JsonData: { runnerUrl: 'http://127.0.0.1:1' },
      SecureJsonData: { runnerToken: 't' },
      URL: '',
    };
    for (const route of distRoutes) {
      const samplePath = route.path.replace(/:\w+/g, '1').replace(/\*$/, 'x');
      expect(matchRoutePath(route.path, samplePath), route.path).not.toBeNull();
      expect(() => hasAccessToRoute(route, user('Admin'), roles), route.path).not.toThrow();
      const upstream = buildUpstreamRequest(route, '', '', settings, user('Admin'));
      expect(upstream.url.origin, route.path).toBe('http://127.0.0.1:1');
      expect(Object.values(upstream.setHeaders).join(' '), route.path).not.toContain('<no value>');
    }
  });
});
