/**
 * The host's Grafana-backend double over real HTTP, against upstream stand-ins that record what
 * reaches them: plugin settings, the plugin proxy with a route table of the test's own, the
 * datasource proxy and the Alertmanager API. No browser.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type TestHost, startTestHost } from '../index';
import type { PluginRoute } from '../server/grafana-backend';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An upstream that records requests; `/events` streams until the test ends it. */
async function startUpstream() {
  const seen: Seen[] = [];
  const streams: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (req.url?.endsWith('/events')) {
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write('data: first\n\n');
        streams.push(res);
        return;
      }
      res.writeHead(req.url?.includes('missing') ? 404 : 200, {
        'Content-Type': 'application/json',
        'Set-Cookie': 'upstream=1',
        'X-Upstream': 'yes',
      });
      res.end(JSON.stringify({ ok: true, path: req.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        streams.forEach((stream) => stream.end());
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() })
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const SECRET = 'tok_not-for-the-browser';

const ROUTES: PluginRoute[] = [
  {
    path: 'api/runs/*',
    method: 'POST',
    url: '{{ .JsonData.runnerUrl }}/api/runs',
    reqRole: 'Editor',
    headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.runnerToken }}' }],
  },
  {
    path: 'api/*',
    method: 'GET',
    url: '{{ .JsonData.runnerUrl }}/api',
    reqRole: 'Viewer',
    headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.runnerToken }}' }],
  },
];

describe('the Grafana backend double', () => {
  let runner: Awaited<ReturnType<typeof startUpstream>>;
  let prometheus: Awaited<ReturnType<typeof startUpstream>>;
  let alertmanager: Awaited<ReturnType<typeof startUpstream>>;
  let editor: TestHost;
  let viewer: TestHost;
  let admin: TestHost;

  beforeAll(async () => {
    [runner, prometheus, alertmanager] = await Promise.all([startUpstream(), startUpstream(), startUpstream()]);
    const common = {
      runnerUrl: runner.url,
      prometheusUrl: prometheus.url,
      alertmanagerUrl: alertmanager.url,
      secureJsonData: { runnerToken: SECRET },
      routesOverride: ROUTES,
    };
    [editor, viewer, admin] = await Promise.all([
      startTestHost({ ...common, role: 'Editor' }),
      startTestHost({ ...common, role: 'Viewer' }),
      startTestHost({ ...common, role: 'Admin', jsonData: { extra: 'kept until saved' } }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([editor?.close(), viewer?.close(), admin?.close()]);
    await Promise.all([runner?.close(), prometheus?.close(), alertmanager?.close()]);
  });

  describe('plugin settings', () => {
    it('answers the meta with secureJsonFields and never a secure value', async () => {
      const answer = await request(`${editor.url}/api/plugins/vigil-mcp-app/settings`);
      expect(answer.status).toBe(200);
      const dto = JSON.parse(answer.body);
      expect(dto).toMatchObject({
        id: 'vigil-mcp-app',
        type: 'app',
        enabled: true,
        jsonData: { runnerUrl: runner.url },
        secureJsonFields: { runnerToken: true },
        baseUrl: 'public/plugins/vigil-mcp-app',
      });
      expect(answer.body).not.toContain(SECRET);
    });

    it('refuses to save for an Editor, as Grafana does (plugins:write is Admin-only)', async () => {
      const answer = await request(`${editor.url}/api/plugins/vigil-mcp-app/settings`, {
        method: 'POST',
        body: JSON.stringify({ jsonData: {} }),
      });
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body).message).toMatch(/plugins:write/);
    });

    it('saves for an Admin: jsonData replaced, secure keys merged, values still hidden', async () => {
      const saved = await request(`${admin.url}/api/plugins/vigil-mcp-app/settings`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ enabled: true, jsonData: { runnerUrl: runner.url }, secureJsonData: { other: 'x' } }),
      });
      expect(saved.status).toBe(200);
      expect(JSON.parse(saved.body)).toEqual({ message: 'Plugin settings updated' });
      expect(admin.settings()).toEqual({
        enabled: true,
        jsonData: { runnerUrl: runner.url },
        secureJsonFields: { runnerToken: true, other: true },
      });
      const read = await request(`${admin.url}/api/plugins/vigil-mcp-app/settings`);
      expect(read.body).not.toContain(SECRET);
      expect(admin.requests.map((r) => [r.kind, r.method, r.status])).toEqual([
        ['settings', 'POST', 200],
        ['settings', 'GET', 200],
      ]);
    });
  });

  describe('the plugin proxy', () => {
    it('forwards by the route table: path, query, token header, user context; strips cookies', async () => {
      const before = runner.seen.length;
      const answer = await request(`${editor.url}/api/plugin-proxy/vigil-mcp-app/api/runs/42?limit=5`, {
        headers: { Cookie: 'grafana_session=abc', Origin: 'http://evil.test', 'X-Grafana-Context': 'forged' },
      });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ ok: true, path: '/api/runs/42?limit=5' });
      expect(answer.headers['set-cookie']).toBeUndefined();
      expect(answer.headers['x-upstream']).toBe('yes');
      expect(answer.headers['content-security-policy']).toBe('sandbox');
      const upstream = runner.seen[before];
      expect(upstream.url).toBe('/api/runs/42?limit=5');
      expect(upstream.headers.authorization).toBe(`Bearer ${SECRET}`);
      expect(upstream.headers.cookie).toBeUndefined();
      expect(upstream.headers.origin).toBeUndefined();
      expect(JSON.parse(String(upstream.headers['x-grafana-context']))).toMatchObject({
        Login: 'test-editor',
        UserID: 2,
        OrgRole: 'Editor',
      });
      expect(editor.requests.at(-1)).toMatchObject({
        kind: 'plugin-proxy',
        status: 200,
        route: 'api/*',
        upstream: `${runner.url}/api/runs/42?limit=5`,
      });
    });

    it('passes bodies and upstream statuses through', async () => {
      const before = runner.seen.length;
      const created = await request(`${editor.url}/api/plugin-proxy/vigil-mcp-app/api/runs/start`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ scenario: 'oauth' }),
      });
      expect(created.status).toBe(200);
      expect(runner.seen[before]).toMatchObject({
        method: 'POST',
        url: '/api/runs/start',
        body: '{"scenario":"oauth"}',
      });
      const missing = await request(`${editor.url}/api/plugin-proxy/vigil-mcp-app/api/missing`);
      expect(missing.status).toBe(404);
    });

    it('answers 403 for a role the route does not allow, 404 when no route fits', async () => {
      const before = runner.seen.length;
      const denied = await request(`${viewer.url}/api/plugin-proxy/vigil-mcp-app/api/runs/start`, { method: 'POST' });
      expect(denied.status).toBe(403);
      expect(JSON.parse(denied.body)).toEqual({ message: 'plugin proxy route access denied' });
      const none = await request(`${viewer.url}/api/plugin-proxy/vigil-mcp-app/api/runs/1`, { method: 'DELETE' });
      expect(none.status).toBe(404);
      expect(JSON.parse(none.body)).toEqual({ message: 'plugin route match not found' });
      expect(runner.seen.length).toBe(before);
    });

    it('streams answers (server-sent events arrive before the upstream ends)', async () => {
      const first = await new Promise<string>((resolve, reject) => {
        const req = http.get(`${editor.url}/api/plugin-proxy/vigil-mcp-app/api/runs/42/events`, (res) => {
          res.once('data', (chunk: Buffer) => {
            resolve(chunk.toString());
            req.destroy();
          });
        });
        req.on('error', reject);
      });
      expect(first).toBe('data: first\n\n');
    });
  });

  describe('the datasource proxy and the Alertmanager API', () => {
    it('sends Prometheus reads (GET, and the allow-listed POSTs) to prometheusUrl and refuses other writes', async () => {
      const before = prometheus.seen.length;
      const read = await request(`${editor.url}/api/datasources/proxy/uid/vigil-prometheus/api/v1/query?query=up`);
      expect(read.status).toBe(200);
      const posted = await request(`${editor.url}/api/datasources/proxy/uid/vigil-prometheus/api/v1/query_range`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'query=up&start=1&end=2&step=1',
      });
      expect(posted.status).toBe(200);
      expect(prometheus.seen.slice(before).map((seen) => [seen.method, seen.url, seen.body])).toEqual([
        ['GET', '/api/v1/query?query=up', ''],
        ['POST', '/api/v1/query_range', 'query=up&start=1&end=2&step=1'],
      ]);
      const refused = await request(
        `${editor.url}/api/datasources/proxy/uid/vigil-prometheus/api/v1/admin/tsdb/delete_series`,
        {
          method: 'POST',
        }
      );
      expect(refused.status).toBe(403);
      expect((await request(`${editor.url}/api/datasources/proxy/uid/nope/api/v1/query`)).status).toBe(404);
    });

    it('answers the external Alertmanager API: reads for everyone, silences for Editors', async () => {
      const before = alertmanager.seen.length;
      expect(
        (await request(`${viewer.url}/api/alertmanager/vigil-alertmanager/api/v2/alerts?active=true`)).status
      ).toBe(200);
      const silence = { matchers: [], startsAt: '', endsAt: '', createdBy: 'x', comment: 'y' };
      const refused = await request(`${viewer.url}/api/alertmanager/vigil-alertmanager/api/v2/silences`, {
        method: 'POST',
        body: JSON.stringify(silence),
      });
      expect(refused.status).toBe(403);
      const created = await request(`${editor.url}/api/alertmanager/vigil-alertmanager/api/v2/silences`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(silence),
      });
      expect(created.status).toBe(200);
      expect(
        (await request(`${editor.url}/api/alertmanager/vigil-alertmanager/api/v2/alerts`, { method: 'POST' })).status
      ).toBe(404);
      expect(alertmanager.seen.slice(before).map((seen) => `${seen.method} ${seen.url}`)).toEqual([
        'GET /api/v2/alerts?active=true',
        'POST /api/v2/silences',
      ]);
    });

    it('answers 502 when the test gave no URL, and 404 (recorded) for APIs it does not emulate', async () => {
      const bare = await startTestHost({ routesOverride: [] });
      try {
        expect((await request(`${bare.url}/api/datasources/proxy/uid/vigil-prometheus/api/v1/query`)).status).toBe(502);
        expect((await request(`${bare.url}/api/user/preferences`)).status).toBe(404);
        expect(bare.requests.map((r) => r.kind)).toEqual(['datasource-proxy', 'unhandled-api']);
      } finally {
        await bare.close();
      }
    });
  });

  describe('start-up checks', () => {
    it('refuses a build that needs an external the host does not share', async () => {
      const dist = await mkdtemp(path.join(os.tmpdir(), 'vigil-test-host-dist-'));
      try {
        await writeFile(path.join(dist, 'plugin.json'), JSON.stringify({ id: 'x-app', type: 'app', name: 'X' }));
        await writeFile(path.join(dist, 'module.js'), 'define(["react","left-pad"],(a,b)=>({}));');
        await expect(startTestHost({ distDir: dist })).rejects.toThrow(/externals the host does not provide: left-pad/);
      } finally {
        await rm(dist, { recursive: true, force: true });
      }
    });
  });
});
