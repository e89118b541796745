/**
 * Debian's Chromium driven by playwright-core (never `playwright install`): headless, no sandbox,
 * no GPU, no background traffic, a fresh user data dir per launch, removed on close. Every page
 * of the context reports its console errors, uncaught page errors and failed requests into
 * `problems`, which a test asserts empty (or filters with `allow` for a failure it provokes).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { type BrowserContext, type ConsoleMessage, type Page, chromium } from 'playwright-core';

import type {} from '../src/status';

export const CHROMIUM_PATH = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface BrowserProblem {
  kind: 'console-error' | 'page-error' | 'request-failed';
  text: string;
  /** The page URL when it happened. */
  page: string;
  /** Where the message came from (script or request URL). */
  source?: string;
}

export interface TestBrowser {
  context: BrowserContext;
  /** Opens a page that reports its problems. */
  newPage(): Promise<Page>;
  /** Everything that went wrong so far, in order. */
  problems: BrowserProblem[];
  /** Console warnings, kept for the report (they do not fail a test by themselves). */
  warnings: string[];
  /** `problems` minus those matching one of `allow`. */
  unexpectedProblems(allow?: RegExp[]): BrowserProblem[];
  close(): Promise<void>;
}

export async function launchBrowser(
  options: { viewport?: { width: number; height: number } } = {}
): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'vigil-test-host-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: options.viewport ?? { width: 1440, height: 900 },
      timezoneId: 'UTC',
      locale: 'en-US',
      timeout: 30_000,
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const problems: BrowserProblem[] = [];
  const warnings: string[] = [];

  const watch = (page: Page) => {
    page.on('console', (message: ConsoleMessage) => {
      const location = message.location();
      const source = location.url ? `${location.url}:${location.lineNumber}` : undefined;
      if (message.type() === 'error') {
        problems.push({ kind: 'console-error', text: message.text(), page: page.url(), source });
      } else if (message.type() === 'warning') {
        warnings.push(message.text());
      }
    });
    page.on('pageerror', (error) => {
      problems.push({ kind: 'page-error', text: error.stack ?? error.message, page: page.url() });
    });
    page.on('requestfailed', (request) => {
      const failure = request.failure()?.errorText ?? 'failed';
      // Navigating away aborts what the previous page still had in flight; that is not a fault.
      if (failure === 'net::ERR_ABORTED') {
        return;
      }
      problems.push({
        kind: 'request-failed',
        text: `${request.method()} ${failure}`,
        page: page.url(),
        source: request.url(),
      });
    });
  };
  context.on('page', watch);
  context.pages().forEach(watch);

  return {
    context,
    newPage: () => context.newPage(),
    problems,
    warnings,
    unexpectedProblems: (allow = []) =>
      problems.filter((problem) => !allow.some((pattern) => pattern.test(`${problem.text} ${problem.source ?? ''}`))),
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until the host reports the plugin started, the network is quiet (at most 10 s: an open
 * event stream keeps it busy) and no loading spinner is left; throws with the host's boot error
 * if the plugin failed to start.
 */
export async function waitForHostReady(page: Page, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    () => window.__testHost?.state === 'ready' || window.__testHost?.state === 'failed',
    undefined,
    {
      timeout,
    }
  );
  const status = await page.evaluate(() => window.__testHost);
  if (status.state === 'failed') {
    throw new Error(`test host: the plugin did not start:\n${status.error}`);
  }
  // A page holding a stream open (EventSource on a run's events) never goes network-idle.
  await page.waitForLoadState('networkidle', { timeout: Math.min(timeout, 10_000) }).catch(() => undefined);
  await page
    .locator('[data-testid="Spinner"], .fa-spinner, [aria-label="Loading"]')
    .first()
    .waitFor({ state: 'detached', timeout: 5_000 })
    .catch(() => undefined);
}
