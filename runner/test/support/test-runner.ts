/** Test helpers: a real runner (real HTTP on a free port, real SQLite file in a temp dir). */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createRunner, type Runner, type RunnerOptions } from '../../src/app.ts';
import { DEFAULT_ALLOWED_HOSTS, type RunnerConfig } from '../../src/config.ts';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
export const K6_DOUBLE = join(here, 'fixtures', 'k6-test-double.mjs');
export const FIXTURE_SCENARIOS = join(here, 'fixtures', 'scenarios');
export const TOKEN = `tok_${randomBytes(16).toString('hex')}`;
export const SECRET_KEY = randomBytes(32);

/** Names the fake resolver answers with a metadata address (DNS rebinding to 169.254.169.254). */
export const REBINDING_HOST = 'rebind.example.test';

export function tempDir(prefix = 'vigil-runner-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function testConfig(dir: string, overrides: Partial<RunnerConfig> = {}): RunnerConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    dataDir: dir,
    dbPath: join(dir, 'vigil.db'),
    token: TOKEN,
    metricsPublic: false,
    allowedHosts: [...DEFAULT_ALLOWED_HOSTS, 'mcp.example.test', REBINDING_HOST],
    blockedCidrs: [],
    k6Bin: K6_DOUBLE,
    secretKey: SECRET_KEY,
    limits: { maxVus: 1000, maxRate: 500, maxDurationMs: 3_600_000, maxConcurrentRuns: 2 },
    retentionDays: 30,
    probeConcurrency: 2,
    stopGraceSeconds: 1,
    thresholdRunsKept: 3,
    scenariosDir: FIXTURE_SCENARIOS,
    ...overrides,
  };
}

/** Parsed JSON bodies are checked field by field in the tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface TestRunner {
  runner: Runner;
  base: string;
  logs: string[];
  dir: string;
  api: (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<{ status: number; body: Json; text: string }>;
  close: () => Promise<void>;
}

export async function startTestRunner(
  overrides: Partial<RunnerConfig> = {},
  options: RunnerOptions = {},
  dir = tempDir(),
): Promise<TestRunner> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const runner = await createRunner(testConfig(dir, overrides), {
    logger: pino({ level: 'debug' }, sink),
    resolver: async (host) => (host === REBINDING_HOST ? ['169.254.169.254'] : ['127.0.0.1']),
    ...options,
  });
  const base = await runner.listen();
  const api: TestRunner['api'] = async (method, path, body, headers = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text };
  };
  const close = async () => {
    await runner.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { runner, base, logs, dir, api, close };
}

export async function waitUntil<T>(
  fn: () => T | Promise<T>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function processGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A probe that runs only when asked (`POST /api/probes/:id/run`): disabled, hourly interval. */
export async function manualProbe(api: TestRunner['api'], name: string, targetId: string): Promise<string> {
  const res = await api('POST', '/api/probes', { name, targetId, intervalSeconds: 3600, enabled: false });
  if (res.status !== 201) throw new Error(`probe ${name} not created: ${res.text}`);
  return res.body.id as string;
}
