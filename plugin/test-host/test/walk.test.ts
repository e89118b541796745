/**
 * The browser walk: the production build (plugin/dist) in the Grafana test host, against a whole
 * local Vigil stack started by `vigil up` (test/support/stack.ts: a real `vigil serve`, Redis, the
 * reference OAuth MCP server, Prometheus and Alertmanager; k6 is the TEST DOUBLE that runs the real
 * scripts through the test-only adapter). One signed-in Admin goes through the app with clicks and
 * typing only, the way a newcomer would:
 *
 *   configuration (runner URL provisioned, token typed, saved, Test connection)
 *   → Targets: a new target on the reference server → Probes: a new probe on it, Run now, its walk,
 *   its page → Runs → New run (oauth, smoke, token_refresh only) → the run's page, polling from
 *   active to passed: thresholds with measured values, scene panels with frames from the real
 *   Prometheus → Mark as baseline → Runs, Overview, Alerts.
 *
 * Any console error, page error or failed request fails the walk, as does an API the host does not
 * emulate. Each page leaves `artifacts/walk-<step>.png`; with VIGIL_UPDATE_SCREENSHOTS=1 the walk
 * also refreshes the README screenshots in docs/images/ (off by default, so a run does not dirty
 * the tree).
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type TestBrowser, type TestHost, launchBrowser, startTestHost, waitForHostReady } from '../index';
import { type LocalStack, startLocalStack } from './support/stack';

const here = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(here, '..', '..', 'dist');
const ARTIFACTS = path.resolve(here, '..', 'artifacts');
const DOCS_IMAGES = path.resolve(here, '..', '..', '..', 'docs', 'images');
const UPDATE_SCREENSHOTS = process.env.VIGIL_UPDATE_SCREENSHOTS === '1';
/** The README screenshots: the viewport's width, at most this tall (the rest of a long page is cut). */
const DOCS_MAX_HEIGHT = 1_400;
const VIEWPORT = { width: 1280, height: 800 };

const PLUGIN_ID = 'vigil-mcp-app';
/** New ones: the stack already has a target and a probe named `reference` (stack/src/bootstrap.ts). */
const TARGET = 'walk-target';
const PROBE = 'walk-probe';
const RUN_STATUSES = ['queued', 'running', 'passed', 'failed', 'error', 'stopped', 'interrupted', 'timeout'];

/** The walk's own clock: every wait below is bounded, and so is the whole. */
const WALK_TIMEOUT_MS = 180_000;
const STEP_TIMEOUT_MS = 20_000;

describe('the browser walk: vigil up, then the app in the Grafana test host, as a user', () => {
  let stack: LocalStack;
  let host: TestHost;
  let browser: TestBrowser;
  let page: Page;
  const timings: Array<{ step: string; ms: number }> = [];
  const screenshots: string[] = [];

  beforeAll(async () => {
    const started = Date.now();
    await mkdir(ARTIFACTS, { recursive: true });
    // a previous walk's screenshots would pass for this one's
    for (const file of await readdir(ARTIFACTS)) {
      if (file.startsWith('walk-')) {
        await rm(path.join(ARTIFACTS, file), { force: true });
      }
    }
    stack = await startLocalStack({ readyTimeoutMs: 90_000 });
    timings.push({ step: 'vigil up (Ready.)', ms: Date.now() - started });
    // The runner URL is provisioned (provisioning/grafana/plugins/vigil-app.yml); the token is typed
    // on the configuration page below, as someone installing the app by hand does.
    host = await startTestHost({
      distDir: DIST,
      runnerUrl: stack.state.runnerUrl,
      prometheusUrl: stack.state.prometheusUrl,
      alertmanagerUrl: stack.state.alertmanagerUrl,
      role: 'Admin',
    });
    browser = await launchBrowser({ viewport: VIEWPORT });
    page = await browser.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    timings.push({ step: 'stack, host and browser ready', ms: Date.now() - started });
  }, 120_000);

  afterAll(async () => {
    await page?.close().catch(() => undefined);
    await browser?.close();
    await host?.close();
    const stopped = await stack?.stop();
    console.log(
      `[walk] ${timings.map(({ step, ms }) => `${step} ${(ms / 1000).toFixed(1)} s`).join(' | ')}\n` +
        `[walk] screenshots: ${screenshots.join(', ')}${UPDATE_SCREENSHOTS ? ` (+ docs/images/)` : ''}`
    );
    expect(stopped?.leftovers ?? [], 'vigil down left something behind').toEqual([]);
  }, 75_000);

  /** One step of the walk: timed, named in its failure, and followed by the no-problem check. */
  async function step(name: string, body: () => Promise<void>): Promise<void> {
    const started = Date.now();
    const before = browser.problems.length;
    try {
      await body();
    } catch (error) {
      // what the page showed, for whoever reads the failure
      await page
        .screenshot({ path: path.join(ARTIFACTS, `walk-failed-${slug(name)}.png`), fullPage: true })
        .catch(() => undefined);
      await writeFile(path.join(ARTIFACTS, `walk-failed-${slug(name)}.html`), await page.content()).catch(
        () => undefined
      );
      const problems = browser.problems.slice(before).map((problem) => `${problem.kind}: ${problem.text}`);
      (error as Error).message =
        `walk step "${name}": ${(error as Error).message}` +
        (problems.length ? `\nbrowser problems meanwhile:\n${problems.join('\n')}` : '');
      throw error;
    }
    timings.push({ step: name, ms: Date.now() - started });
    expect(browser.unexpectedProblems(), `browser problems during "${name}"`).toEqual([]);
    expect(
      host.requests.filter((request) => request.kind === 'unhandled-api'),
      `APIs the host does not emulate, called during "${name}"`
    ).toEqual([]);
  }

  /** `artifacts/walk-<name>.png` (the whole page); with VIGIL_UPDATE_SCREENSHOTS=1 also `docs/images/<docsName>.png`. */
  async function screenshot(name: string, docsName?: string): Promise<void> {
    await settle();
    await page.screenshot({ path: path.join(ARTIFACTS, `walk-${name}.png`), fullPage: true, animations: 'disabled' });
    screenshots.push(`walk-${name}.png`);
    if (UPDATE_SCREENSHOTS && docsName) {
      await mkdir(DOCS_IMAGES, { recursive: true });
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.screenshot({
        path: path.join(DOCS_IMAGES, `${docsName}.png`),
        fullPage: true,
        animations: 'disabled',
        clip: { x: 0, y: 0, width: VIEWPORT.width, height: Math.min(height, DOCS_MAX_HEIGHT) },
      });
    }
  }

  /** Lets the page finish what a click started: requests, spinners, tooltips. */
  async function settle(): Promise<void> {
    await page.waitForLoadState('networkidle', { timeout: 3_000 }).catch(() => undefined);
    await page
      .locator('[data-testid="Spinner"], .fa-spinner, [aria-label="Loading"]')
      .first()
      .waitFor({ state: 'detached', timeout: 5_000 })
      .catch(() => undefined);
    await page.mouse.move(0, 0);
  }

  /** The page's title (the stand-in PluginPage's h1). */
  function pageTitle(): Locator {
    return page.getByTestId('test-host-plugin-page').locator('h1').first();
  }

  /** A click on the shell's navigation (Grafana's nav menu), then the page's title. */
  async function openFromNav(link: string, title: string | RegExp = link): Promise<void> {
    await page.getByTestId('test-host-top-bar').getByRole('link', { name: link, exact: true }).click();
    await expect.poll(() => pageTitle().textContent(), { timeout: STEP_TIMEOUT_MS }).toMatch(exactly(title));
  }

  /** Types into a Grafana Combobox and picks the option whose label starts with `text`. */
  async function choose(combobox: Locator, text: string): Promise<void> {
    await combobox.click();
    await combobox.fill(text);
    await page
      .getByRole('option', { name: new RegExp(`^${escapeRegExp(text)}`) })
      .first()
      .click();
  }

  /** The visible run statuses of the page (badges), e.g. ['running']. */
  async function statusesShown(scope: Locator): Promise<string[]> {
    const text = await scope.innerText().catch(() => '');
    return text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => RUN_STATUSES.includes(line));
  }

  it(
    'configures the app, creates a target and a probe, runs both, marks a baseline and visits every page',
    async () => {
      const walkStarted = Date.now();
      const token = stack.runnerToken;
      const mcpUrl = stack.state.mcpUrl;
      let runId = '';

      await step('configuration: runner URL shown, token saved, Test connection', async () => {
        await page.goto(host.pageUrl(`/plugins/${PLUGIN_ID}`));
        await waitForHostReady(page);
        const config = page.getByTestId('test-host-config-page');
        await expect.poll(() => config.getByLabel('Runner URL').inputValue()).toBe(stack.state.runnerUrl);
        await config.getByLabel('Runner token').fill(token);
        await config.getByRole('button', { name: 'Save settings' }).click();
        await config.getByText('Settings saved').waitFor();
        expect(host.settings().secureJsonFields).toEqual({ runnerToken: true });
        await config.getByRole('button', { name: 'Test connection' }).click();
        await config.getByText('The runner is ready').waitFor();
        await config.getByText(/The token is accepted: \d+ scenarios/).waitFor();
        expect(await page.content()).not.toContain(token);
        await screenshot('config');
      });

      await step('Targets: a new target on the reference server', async () => {
        await openFromNav('Targets');
        await page.getByRole('cell', { name: 'reference', exact: true }).waitFor();
        await page.getByRole('button', { name: 'New target' }).first().click();
        const form = page.locator('form[aria-label="New target"]');
        await form.getByLabel(label('Name')).fill(TARGET);
        await form.getByLabel(label('MCP URL')).fill(mcpUrl);
        await form.getByRole('button', { name: 'Create target' }).click();
        await form.waitFor({ state: 'detached' });
        await page.getByRole('cell', { name: TARGET, exact: true }).waitFor();
        await page.getByRole('cell', { name: mcpUrl, exact: true }).first().waitFor();
        await screenshot('targets', 'targets');
      });

      await step('Probes: a new probe on the new target, Run now, its walk', async () => {
        await openFromNav('Probes');
        await page.getByRole('button', { name: 'New probe' }).first().click();
        const form = page.locator('form[aria-label="New probe"]');
        await form.getByLabel(label('Name')).fill(PROBE);
        await choose(form.getByLabel(label('Target')), TARGET);
        await form.getByRole('button', { name: 'Create probe' }).click();
        await form.waitFor({ state: 'detached' });
        await page.getByRole('link', { name: PROBE, exact: true }).waitFor();

        await page.getByRole('button', { name: `Run ${PROBE} now` }).click();
        const drawer = page.getByRole('dialog', { name: `Walk of ${PROBE}` });
        await drawer.waitFor({ timeout: 45_000 });
        await drawer.getByText(/^walk (passed|failed)/).waitFor();
        expect(
          await drawer
            .getByText(/^walk /)
            .first()
            .textContent()
        ).toBe('walk passed');
        const steps = drawer.getByRole('row').filter({ has: page.getByRole('cell') });
        await expect.poll(() => steps.count()).toBeGreaterThanOrEqual(5);
        expect(await drawer.getByRole('cell', { name: 'ok', exact: true }).count()).toBeGreaterThanOrEqual(5);
        await drawer.getByText(/^Spec findings \(\d+\)$/).waitFor();
        await screenshot('probe-run-now');
        await drawer.getByRole('button', { name: 'Close' }).click();
        await drawer.waitFor({ state: 'detached' });
      });

      await step('Probe detail: its last walk and recent results', async () => {
        await page.getByRole('link', { name: PROBE, exact: true }).click();
        await expect.poll(() => pageTitle().textContent()).toBe(PROBE);
        await page.getByRole('heading', { name: 'Last walk' }).waitFor();
        await page.getByText('walk passed').first().waitFor();
        await page.getByRole('heading', { name: 'Recent results' }).waitFor();
        await page.getByText(/^Spec findings \(\d+\)$/).waitFor();
        await screenshot('probe-detail', 'probe-detail');
      });

      await step('Runs → New run: oauth, smoke, token_refresh only, on the new target', async () => {
        await openFromNav('Runs');
        await page.getByRole('link', { name: 'New run' }).first().click();
        await expect.poll(() => pageTitle().textContent()).toBe('New run');
        const form = page.locator('form[aria-label="New run"]');
        await choose(form.getByLabel(label('Scenario')), 'OAuth flows');
        await choose(form.getByLabel(label('Target')), TARGET);
        await form.getByRole('radio', { name: 'smoke', exact: true }).check({ force: true });
        // the workloads override: only token_refresh (the shortest OAuth workload)
        for (const workload of ['authorization_flow', 'session_validation']) {
          await form.getByText(new RegExp(`^${workload} \\(`)).click();
        }
        // (each checkbox by its own <label>, as a user reads them)
        await expect
          .poll(async () =>
            Promise.all(
              ['authorization_flow', 'token_refresh', 'session_validation'].map((workload) =>
                form
                  .locator('label', { hasText: new RegExp(`^${workload} \\(`) })
                  .locator('input[type="checkbox"]')
                  .isChecked()
              )
            )
          )
          .toEqual([false, true, false]);
        await screenshot('new-run', 'new-run');
        await form.getByRole('button', { name: 'Start run' }).click();
        await expect.poll(() => pageTitle().textContent()).toMatch(/^Run run_[0-9a-f]+$/);
        runId = (await pageTitle().textContent())!.replace(/^Run /, '');
      });

      await step('Run detail: from active to passed, by polling', async () => {
        const main = page.getByTestId('test-host-plugin-page');
        const seen: string[] = [];
        const deadline = Date.now() + 60_000;
        for (;;) {
          for (const status of await statusesShown(main)) {
            if (seen[seen.length - 1] !== status) {
              seen.push(status);
            }
          }
          if (seen.some((status) => !['queued', 'running'].includes(status)) || Date.now() > deadline) {
            break;
          }
          await page.waitForTimeout(100);
        }
        console.log(`[walk] run ${runId} statuses seen on its page: ${seen.join(' → ')}`);
        expect(seen[0], 'the page shows the run while it is active').toMatch(/^(queued|running)$/);
        expect(seen[seen.length - 1]).toBe('passed');
        await main.getByText('k6 judges the thresholds when the run ends.').waitFor({ state: 'detached' });
      });

      await step('Run detail: thresholds with measured values', async () => {
        const thresholds = page.getByRole('region', { name: 'Thresholds' });
        const rows = thresholds.getByRole('row').filter({ has: page.getByRole('cell') });
        await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
        const texts = await rows.allInnerTexts();
        expect(texts.join('\n')).toMatch(
          /oauth_token_refresh_duration[\s\S]*p\(95\) < 100 ms[\s\S]*p\(95\) = [\d.]+ ms/
        );
        expect(texts.join('\n')).toMatch(/oauth_success[\s\S]*rate = 1(\.0+)?/);
        expect(texts.every((text) => /\bheld\b/.test(text))).toBe(true);
      });

      await step('Run detail: scene panels with frames from the real Prometheus', async () => {
        const panels = page.locator('[data-testid="stand-in-panel"]');
        await expect.poll(() => panels.count()).toBeGreaterThanOrEqual(4);
        await expect
          .poll(() => page.locator('[data-testid="stand-in-panel"]:not([data-state="Done"])').count(), {
            timeout: 30_000,
          })
          .toBe(0);
        const summary = await panels.evaluateAll((elements) =>
          elements.map((element) => ({
            type: element.getAttribute('data-panel-type'),
            frames: Array.from(element.querySelectorAll('table[data-testid="stand-in-frame"]')).map((table) => ({
              refId: table.getAttribute('data-ref-id'),
              rows: Number(table.getAttribute('data-rows')),
              caption: table.querySelector('caption')?.textContent ?? '',
              fields: Array.from(table.querySelectorAll('th')).map((th) => th.textContent ?? ''),
            })),
          }))
        );
        console.log(`[walk] panels: ${JSON.stringify(summary)}`);
        const withData = summary.filter((panel) => panel.frames.some((frame) => frame.rows > 0));
        expect(withData.length, 'panels with at least one frame of data').toBeGreaterThanOrEqual(1);
        // the run's own samples, pushed by the k6 test double's remote-write output
        // (runner/test/fixtures/k6-remote-write.ts) and queried by testid: the latency panel's p95
        // (refId B) and the VUs panel
        expect(
          summary.some((panel) =>
            panel.frames.some((frame) => frame.refId === 'B' && frame.rows > 0 && /p95/.test(frame.fields.join(' ')))
          ),
          'a latency panel with a p95 series of this run'
        ).toBe(true);
        expect(
          summary.some((panel) =>
            panel.frames.some((frame) => frame.rows > 0 && /active/.test(frame.fields.join(' ')))
          ),
          'the VUs panel with data'
        ).toBe(true);
        // the token_refresh latency panel's SLO line: a range the real Prometheus evaluated
        expect(
          summary.some((panel) =>
            panel.frames.some(
              (frame) => frame.refId === 'SLO' && frame.rows > 1 && /SLO p95 < 100 ms/.test(frame.fields.join(' '))
            )
          )
        ).toBe(true);
        const proxied = host.requests.filter((request) => request.kind === 'datasource-proxy');
        expect(proxied.length).toBeGreaterThan(0);
        expect(proxied.filter((request) => request.status !== 200)).toEqual([]);
        expect(proxied.every((request) => request.upstream?.startsWith(stack.state.prometheusUrl!))).toBe(true);
        await screenshot('run-detail', 'run-detail');
      });

      await step('Run detail: Mark as baseline', async () => {
        await page.getByRole('button', { name: 'Mark as baseline' }).click();
        await page.getByText('This run is the baseline of its scenario and target.').waitFor();
        await page.getByRole('button', { name: 'Mark as baseline' }).waitFor({ state: 'detached' });
        const facts = page.getByTestId('test-host-plugin-page');
        await facts.getByText('baseline', { exact: true }).first().waitFor();
        await screenshot('run-baseline');
      });

      await step('Runs: the run, passed, as the baseline', async () => {
        await openFromNav('Runs');
        const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: runId, exact: true }) });
        await row.waitFor();
        await row.getByText('passed', { exact: true }).waitFor();
        await row.getByText('baseline', { exact: true }).waitFor();
        await screenshot('runs');
      });

      await step('Overview', async () => {
        await openFromNav('Overview');
        await page.getByText('The runner is ready').waitFor();
        await page.getByText(PROBE, { exact: true }).first().waitFor();
        await screenshot('overview', 'overview');
      });

      await step('Alerts', async () => {
        await openFromNav('Alerts');
        await page.getByRole('region', { name: 'Firing alerts' }).waitFor();
        await page.getByRole('region', { name: 'Pending alerts' }).waitFor();
        await page.getByRole('region', { name: 'Notifications the runner received' }).waitFor();
        await screenshot('alerts', 'alerts');
      });

      timings.push({ step: 'the walk', ms: Date.now() - walkStarted });
      expect(browser.problems).toEqual([]);
    },
    WALK_TIMEOUT_MS
  );
});

/**
 * A Grafana Field's label: its accessible name is the label run together with its description
 * (both are inside the <label>: "NameBecomes the `target` label…"), so it is matched by how it starts.
 */
function label(text: string): RegExp {
  return new RegExp(`^${escapeRegExp(text)}(?![a-z])`);
}

function exactly(title: string | RegExp): RegExp {
  return typeof title === 'string' ? new RegExp(`^${escapeRegExp(title)}$`) : title;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}
