/**
 * Crash: kill the runner (SIGKILL) mid-run, restart it on the same database: the run is
 * `interrupted`, its k6 process group is ended, everything else is intact. Also SIGTERM: runs
 * are stopped and the store closed cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { freePort, waitForHttp } from '@vigil/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FIXTURE_SCENARIOS,
  K6_DOUBLE,
  processGroupAlive,
  tempDir,
  waitUntil,
} from './support/test-runner.ts';

const BIN = fileURLToPath(new URL('../bin/vigil.js', import.meta.url));
const TOKEN = 'crash-test-token-0123456789';
const children: ChildProcess[] = [];

function serve(dir: string, port: number): ChildProcess {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      PATH: process.env.PATH,
      VIGIL_TOKEN: TOKEN,
      VIGIL_PORT: String(port),
      VIGIL_DATA_DIR: dir,
      VIGIL_DB: join(dir, 'vigil.db'),
      VIGIL_SECRET_KEY: 'ab'.repeat(32),
      VIGIL_SCENARIOS_DIR: FIXTURE_SCENARIOS,
      VIGIL_STOP_GRACE_SECONDS: '1',
      VIGIL_LOG_LEVEL: 'warn',
      K6_BIN: K6_DOUBLE,
      K6_TEST_DOUBLE_MODE: 'hang',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function api(port: number, method: string, path: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((r) =>
    child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code)),
  );

describe('resilience', () => {
  it('marks a run interrupted after a crash and ends its k6 process group', async () => {
    const dir = tempDir('vigil-crash-');
    const port = await freePort();
    const first = serve(dir, port);
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, 30_000);

    const target = await api(port, 'POST', '/api/targets', {
      name: 'demo',
      mcpUrl: 'http://127.0.0.1:9/mcp',
      auth: { clientSecret: 'shh-secret' },
    });
    expect(target.status).toBe(201);
    const probe = await api(port, 'POST', '/api/probes', {
      name: 'p',
      targetId: target.body.id,
      intervalSeconds: 3600,
      enabled: false,
    });
    expect(probe.status).toBe(201);
    const earlier = await api(port, 'POST', '/api/runs', { scenario: 'oauth', targetId: target.body.id });
    await api(port, 'POST', `/api/runs/${earlier.body.id}/stop`);
    await waitUntil(
      async () => (await api(port, 'GET', `/api/runs/${earlier.body.id}`)).body.status === 'stopped',
    );

    const victim = await api(port, 'POST', '/api/runs', { scenario: 'oauth', targetId: target.body.id });
    expect(victim.body.status).toBe('running');
    const db = new Database(join(dir, 'vigil.db'), { readonly: true });
    const { pgid } = db.prepare('SELECT pgid FROM runs WHERE id = ?').get(victim.body.id) as { pgid: number };
    db.close();
    expect(processGroupAlive(pgid)).toBe(true);

    first.kill('SIGKILL');
    await exited(first);
    expect(processGroupAlive(pgid)).toBe(true); // k6 outlived the runner: the restart must end it

    const second = serve(dir, port);
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, 30_000);
    const after = await api(port, 'GET', `/api/runs/${victim.body.id}`);
    expect(after.body.status).toBe('interrupted');
    expect(after.body.error).toContain('runner stopped');
    await waitUntil(() => !processGroupAlive(pgid), 5_000, 'the leftover k6 group to end');
    expect((await api(port, 'GET', `/api/runs/${earlier.body.id}`)).body.status).toBe('stopped');
    const targetAfter = await api(port, 'GET', `/api/targets/${target.body.id}`);
    expect(targetAfter.body.auth.hasClientSecret).toBe(true);
    expect((await api(port, 'GET', `/api/probes/${probe.body.id}`)).body.name).toBe('p');
    expect((await api(port, 'GET', '/api/runs')).body.items).toHaveLength(2);

    // SIGTERM: active runs are stopped (not left running), the process exits 0.
    const third = await api(port, 'POST', '/api/runs', { scenario: 'oauth', targetId: target.body.id });
    expect(third.body.status).toBe('running');
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
    const check = new Database(join(dir, 'vigil.db'), { readonly: true });
    const row = check.prepare('SELECT status, pgid FROM runs WHERE id = ?').get(third.body.id) as {
      status: string;
      pgid: number;
    };
    check.close();
    expect(row.status).toBe('stopped');
    expect(processGroupAlive(row.pgid)).toBe(false);
  });
});
