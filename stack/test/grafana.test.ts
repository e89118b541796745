/**
 * `vigil up` with Grafana, which cannot run here: a TEST DOUBLE named `grafana` on PATH
 * (support/grafana-test-double.mjs) records how it was started and answers /api/health. Shows the
 * command line (`grafana server --homepath --config`), the rendered ini, the provisioning
 * variables in its environment (the runner token only there), and that `vigil down` stops it.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_DIR } from '../src/paths.ts';
import { layoutOf } from '../src/layout.ts';
import { readState } from '../src/state.ts';

const VIGIL = path.join(REPO_DIR, 'runner', 'bin', 'vigil.js');
const DOUBLE = fileURLToPath(new URL('./support/grafana-test-double.mjs', import.meta.url));

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VIGIL, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vigil ${args.join(' ')} timed out\n${out}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('vigil up starts Grafana with the app and the provisioning', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let up: { code: number | null; out: string };
  let record: { argv: string[]; ini: string; env: Record<string, string>; datasources: string; app: string };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-stack-grafana-'));
    const bin = path.join(dir, 'bin');
    const home = path.join(dir, 'grafana-home');
    mkdirSync(bin);
    mkdirSync(path.join(home, 'conf'), { recursive: true });
    writeFileSync(path.join(home, 'conf', 'defaults.ini'), '');
    symlinkSync(DOUBLE, path.join(bin, 'grafana'));
    chmodSync(DOUBLE, 0o755);
    env = {
      ...process.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      GRAFANA_HOME: home,
    };
    up = await run(['up', '--detach', '--free-ports', '--data-dir', path.join(dir, 'data')], env);
    record = JSON.parse(
      readFileSync(path.join(dir, 'data', 'grafana', 'grafana-double-record.json'), 'utf8'),
    );
  });
  afterAll(async () => {
    await run(['down', '--data-dir', path.join(dir, 'data')], env);
    await rm(dir, { recursive: true, force: true });
  });

  it('says where Grafana is and how to log in', () => {
    expect(up.code, up.out).toBe(0);
    expect(up.out).toMatch(
      /✓ grafana\s+http:\/\/127\.0\.0\.1:\d+ \(user admin, password in .*grafana-admin-password; the Vigil app under Apps\)/,
    );
    expect(up.out).not.toContain('✗ grafana');
  });

  it('runs `grafana server --homepath <home> --config <rendered ini>`', () => {
    expect(record.argv[0]).toBe('server');
    expect(record.argv).toContain('--homepath');
    expect(record.argv[record.argv.indexOf('--homepath') + 1]).toBe(path.join(dir, 'grafana-home'));
    expect(record.ini).toContain('allow_loading_unsigned_plugins = vigil-mcp-app');
    expect(record.ini).toMatch(/admin_password = \$__file\{.*grafana-admin-password\}/);
  });

  it("gives it the stack's addresses and the runner token through its environment only", () => {
    const state = readState(layoutOf(path.join(dir, 'data')))!;
    const token = readFileSync(state.secrets['runner-token'], 'utf8').trim();
    expect(record.env).toEqual({
      PROMETHEUS_URL: state.prometheusUrl,
      ALERTMANAGER_URL: state.alertmanagerUrl,
      VIGIL_RUNNER_URL: state.runnerUrl,
      VIGIL_RUNNER_TOKEN: token,
    });
    // The provisioning files keep their $VARIABLES; Grafana expands them.
    expect(record.datasources).toContain('$PROMETHEUS_URL');
    expect(record.app).toContain('$VIGIL_RUNNER_TOKEN');
    expect(record.ini).not.toContain(token);
    expect(up.out).not.toContain(token);
  });

  it('vigil down stops it with the rest', async () => {
    const state = readState(layoutOf(path.join(dir, 'data')))!;
    const grafana = state.components.find((c) => c.name === 'grafana')!;
    const down = await run(['down', '--data-dir', path.join(dir, 'data')], env);
    expect(down.out).toContain('grafana');
    expect(() => process.kill(grafana.pid, 0)).toThrow();
  });
});
