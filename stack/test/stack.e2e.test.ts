/**
 * End to end, as a newcomer runs it: `vigil up` brings up the reference server, the runner, Redis,
 * Prometheus and Alertmanager from this machine's (Debian) packages, with the TEST DOUBLE of k6
 * that runs the real scripts through the test-only adapter (no k6 binary exists here) and no
 * Grafana (it says so). probe_success appears in Prometheus; `vigil drill` makes the probe fail and
 * the runner's receiver gets the firing notification, then the resolved one; `vigil down` leaves
 * no process and no port behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../src/discover.ts';
import { REPO_DIR } from '../src/paths.ts';
import { isFree } from '../src/ports.ts';
import { readState, type StackState } from '../src/state.ts';
import { layoutOf } from '../src/layout.ts';
import { isAlive } from '../src/supervisor.ts';

const VIGIL = path.join(REPO_DIR, 'runner', 'bin', 'vigil.js');
/** TEST DOUBLE for k6: the real scenario scripts through the test-only adapter (runner/test/fixtures). */
const K6_DOUBLE = path.join(REPO_DIR, 'runner', 'test', 'fixtures', 'k6-adapter-shim.mjs');
const env = { ...process.env, K6_BIN: K6_DOUBLE, VIGIL_STACK_DIR: '' };

function vigil(
  args: string[],
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VIGIL, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vigil ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('vigil up → probe data → vigil drill → notifications → vigil down', () => {
  let dataDir: string;
  let up: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;
  let state: StackState;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'vigil-stack-e2e-'));
    up = spawn(process.execPath, [VIGIL, 'up', '--free-ports', '--data-dir', dataDir], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    up.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    up.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    exited = new Promise((resolve) => up.once('exit', (code) => resolve(code)));
    await until(
      'vigil up to say Ready',
      async () => (output.includes('Ready.') ? true : undefined),
      120_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${output}`);
    });
    state = readState(layoutOf(dataDir))!;
  });

  afterAll(async () => {
    // Whatever happened above, nothing stays running.
    if (up.exitCode === null) up.kill('SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts every component this machine has, says what is missing, and creates the probe', () => {
    for (const name of ['redis', 'reference', 'prometheus', 'alertmanager', 'runner'])
      expect(output).toMatch(new RegExp(`✓ ${name}\\s`));
    if (!discover(process.env).grafana)
      expect(output).toMatch(
        /✗ grafana .*panels need Grafana; the data is in Prometheus at http:\/\/127\.0\.0\.1:\d+/,
      );
    expect(output).toMatch(/probe "reference" every 10 s on http:\/\/127\.0\.0\.1:\d+\/mcp \(created\)/);
    expect(state.ready).toBe(true);
    expect(state.components.map((c) => c.name)).toEqual([
      'redis',
      'reference',
      'prometheus',
      'alertmanager',
      'runner',
    ]);
  });

  it('refuses a second vigil up on the same data folder; vigil status shows every component up', async () => {
    const second = await vigil(['up', '--free-ports', '--data-dir', dataDir]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('already running');
    const status = await vigil(['status', '--json', '--data-dir', dataDir]);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as {
      stack: string;
      components: Array<{ name: string; state: string }>;
    };
    expect(parsed.stack).toBe('running');
    expect(parsed.components.every((c) => c.state === 'up')).toBe(true);
  });

  it('fills Prometheus with probe_success for the reference probe', async () => {
    const value = await until(
      'probe_success in Prometheus',
      async () => {
        const res = await fetch(
          `${state.prometheusUrl}/api/v1/query?query=${encodeURIComponent('probe_success{probe="reference",target="reference"}')}`,
        );
        const body = (await res.json()) as { data: { result: Array<{ value: [number, string] }> } };
        return body.data.result[0]?.value[1];
      },
      60_000,
    );
    expect(value).toBe('1');
  });

  it('vigil drill: the probe fails, the firing notification arrives, then the resolved one', async () => {
    const drill = await vigil(['drill', 'tool_call', '--timeout', '150', '--data-dir', dataDir], 330_000);
    console.log(
      `[stack e2e] ${drill.stdout
        .trim()
        .split('\n')
        .filter((l) => l.includes('received'))
        .join(' | ')}`,
    );
    expect(drill.stderr).toBe('');
    expect(drill.code).toBe(0);
    expect(drill.stdout).toMatch(
      /firing notification received after \d+\.\d s \(VigilProbeFailing, step tools_call\)/,
    );
    expect(drill.stdout).toMatch(/resolved notification received \d+\.\d s after the fault was removed/);

    const alerts = await vigil(['alerts', '--json', '--data-dir', dataDir]);
    const notifications = JSON.parse(alerts.stdout) as Array<{
      status: string;
      alerts: Array<{ status: string; labels: Record<string, string> }>;
    }>;
    const failing = (status: string) =>
      notifications.some((n) =>
        n.alerts.some(
          (a) =>
            a.status === status &&
            a.labels.alertname === 'VigilProbeFailing' &&
            a.labels.step === 'tools_call',
        ),
      );
    expect(failing('firing')).toBe(true);
    expect(failing('resolved')).toBe(true);
  });

  it('keeps the generated secrets out of every log and out of what it printed', () => {
    const secrets = Object.values(state.secrets).map((file) => readFileSync(file, 'utf8').trim());
    const logs = readdirSync(layoutOf(dataDir).logsDir).map((f) =>
      readFileSync(path.join(layoutOf(dataDir).logsDir, f), 'utf8'),
    );
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(20);
      expect(output).not.toContain(secret);
      for (const log of logs) expect(log).not.toContain(secret);
    }
  });

  it('vigil down stops everything: the supervisor exits 0, no process and no port is left', async () => {
    const down = await vigil(['down', '--data-dir', dataDir]);
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('stopped redis, reference, prometheus, alertmanager, runner');
    expect(await exited).toBe(0);
    for (const component of state.components) expect(isAlive(component.pid), component.name).toBe(false);
    for (const component of state.components) {
      const port = Number(new URL(component.url.replace(/^redis:/, 'http:')).port);
      expect(await isFree(port), `${component.name} port ${port}`).toBe(true);
    }
    const after = await vigil(['status', '--data-dir', dataDir]);
    expect(after.code).toBe(3);
  });
});
