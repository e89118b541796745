/**
 * The production build (plugin/dist, as `npm run build -w plugin` left it — this test builds
 * nothing of the plugin) loaded by the Grafana test host in Debian's Chromium: every page
 * plugin.json `includes` declares and the config page open without a console error, a page error
 * or a failed request, and each leaves a screenshot in test-host/artifacts/. Then the stand-in
 * Prometheus datasource runs real PromQL against a real Prometheus through the datasource proxy.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type TestBrowser, type TestHost, launchBrowser, startTestHost, waitForHostReady } from '../index';
import { type RealPrometheus, startRealPrometheus } from './support/prometheus';

const here = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(here, '..', '..', 'dist');
const ARTIFACTS = path.resolve(here, '..', 'artifacts');
const pluginJson = JSON.parse(readFileSync(path.join(DIST, 'plugin.json'), 'utf8')) as {
  id: string;
  includes?: Array<{ type: string; path?: string; name: string }>;
};
const PAGES = (pluginJson.includes ?? [])
  .filter((include) => include.type === 'page' && include.path)
  .map((include) => ({ name: include.name, path: include.path! }));
const CONFIG_PAGE = `/plugins/${pluginJson.id}`;
const SECRET = 'tok_browser-must-never-see-this';

function artifact(pagePath: string): string {
  const slug = pagePath.replace(/^\/+/, '').replace(/[^\w-]+/g, '_') || 'root';
  return path.join(ARTIFACTS, `${slug}.png`);
}

/** Opens a page, waits for the host and the app to settle, checks the shell's error markers. */
async function open(browser: TestBrowser, host: TestHost, pagePath: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(host.pageUrl(pagePath));
  await waitForHostReady(page);
  expect(await page.getByTestId('test-host-not-found').count(), `${pagePath}: host says not found`).toBe(0);
  expect(await page.getByTestId('test-host-app-error').count(), `${pagePath}: no app root`).toBe(0);
  return page;
}

describe('the production build in the Grafana test host', () => {
  let browser: TestBrowser;
  let editorHost: TestHost;
  let adminHost: TestHost;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    [browser, editorHost, adminHost] = await Promise.all([
      launchBrowser(),
      startTestHost({ distDir: DIST, role: 'Editor' }),
      startTestHost({
        distDir: DIST,
        role: 'Admin',
        jsonData: { runnerUrl: 'http://127.0.0.1:9' },
        secureJsonData: { runnerToken: SECRET },
      }),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([editorHost?.close(), adminHost?.close()]);
  });

  it('declares pages to open', () => {
    expect(PAGES.length).toBeGreaterThan(0);
  });

  it.each(PAGES)('opens the $name page ($path) cleanly', async ({ path: pagePath }) => {
    const before = browser.problems.length;
    const page = await open(browser, editorHost, pagePath);
    await page.getByTestId('test-host-plugin-page').first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.screenshot({ path: artifact(pagePath), fullPage: true });
    await page.close();
    expect(browser.problems.slice(before)).toEqual([]);
  });

  it('opens the config page for an Admin without ever showing the secure value', async () => {
    const before = browser.problems.length;
    const page = await open(browser, adminHost, CONFIG_PAGE);
    await page.getByTestId('test-host-config-page').waitFor({ state: 'visible' });
    await page.screenshot({ path: artifact(CONFIG_PAGE), fullPage: true });
    expect(await page.content()).not.toContain(SECRET);
    const settings = await page.evaluate(
      async (id) => (await fetch(`/api/plugins/${id}/settings`)).text(),
      pluginJson.id
    );
    expect(settings).not.toContain(SECRET);
    expect(settings).toContain('"runnerToken":true');
    await page.close();
    expect(browser.problems.slice(before)).toEqual([]);
  });

  describe('the stand-in Prometheus datasource', () => {
    let prometheus: RealPrometheus;
    let host: TestHost;

    beforeAll(async () => {
      prometheus = await startRealPrometheus();
      host = await startTestHost({ distDir: DIST, prometheusUrl: prometheus.url });
    });

    afterAll(async () => {
      await host?.close();
      await prometheus?.stop();
    });

    it('runs range, instant-table, templated and failing PromQL through the datasource proxy', async () => {
      const before = browser.problems.length;
      const page = await open(browser, host, '/');
      const answer = await page.evaluate(async () => {
        const ds = await window.__testHost.runtime!.getDataSourceSrv().get({ uid: 'vigil-prometheus' });
        const to = Date.now();
        const from = to - 10 * 60_000;
        const request = {
          requestId: 'stand-in-check',
          interval: '15s',
          intervalMs: 15_000,
          range: { from: new Date(from), to: new Date(to), raw: { from: 'now-10m', to: 'now' } },
          scopedVars: {},
          timezone: 'utc',
          app: 'test',
          startTime: to,
          targets: [
            { refId: 'A', expr: 'vector(42)', range: true, legendFormat: 'answer' },
            { refId: 'B', expr: 'label_replace(vector(7), "run", "r1", "", "")', instant: true, format: 'table' },
            { refId: 'C', expr: 'sum(rate(nothing_here_total[$__rate_interval]))', range: true },
            { refId: 'D', expr: 'this is not promql', range: true },
          ],
        };
        const response = await new Promise<any>((resolve, reject) => {
          const result = ds.query(request as never) as any;
          if (typeof result.then === 'function') {
            result.then(resolve, reject);
          } else {
            result.subscribe({ next: resolve, error: reject });
          }
        });
        return {
          frames: response.data.map((frame: any) => ({
            refId: frame.refId,
            name: frame.name,
            fields: frame.fields.map((field: any) => ({
              name: field.name,
              type: field.type,
              values: Array.from(field.values),
              displayNameFromDS: field.config?.displayNameFromDS,
            })),
          })),
          errors: (response.errors ?? []).map((error: any) => ({ refId: error.refId, message: error.message })),
        };
      });
      await page.close();

      const byRef = (refId: string) => answer.frames.filter((frame: { refId: string }) => frame.refId === refId);
      const [range] = byRef('A');
      expect(range.fields.map((field: { name: string }) => field.name)).toEqual(['Time', 'Value']);
      expect(range.fields[1].displayNameFromDS).toBe('answer');
      expect(new Set(range.fields[1].values)).toEqual(new Set([42]));
      expect(range.fields[0].values.length).toBeGreaterThan(30);
      expect(range.fields[0].values.every((time: number) => time % 15_000 === 0)).toBe(true);

      const [table] = byRef('B');
      expect(table.fields.map((field: { name: string }) => field.name)).toEqual(['Time', 'run', 'Value #B']);
      expect(table.fields[1].values).toEqual(['r1']);
      expect(table.fields[2].values).toEqual([7]);

      expect(byRef('C')).toEqual([]);
      expect(answer.errors).toEqual([{ refId: 'D', message: expect.stringMatching(/parse error/) }]);

      const proxied = host.requests.filter((entry) => entry.kind === 'datasource-proxy');
      expect(proxied.map((entry) => `${entry.method} ${entry.path}`)).toEqual(
        expect.arrayContaining(['POST /api/datasources/proxy/uid/vigil-prometheus/api/v1/query_range'])
      );
      expect(proxied.every((entry) => entry.upstream?.startsWith(prometheus.url))).toBe(true);
      // A PromQL error is the query's error, not a failed page: Prometheus answers 400 and Chromium
      // logs that resource as failed, which is expected here.
      const problems = browser.problems.slice(before);
      expect(problems.every((problem) => /status of 400/.test(problem.text))).toBe(true);
    });
  });
});
