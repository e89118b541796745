/** The local engine against the k6 test double: command line, environment, summary, exit codes, signals. */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS, RUN_LABELS } from '@vigil/scenarios/catalog';
import { describe, expect, it } from 'vitest';
import { LocalEngine } from '../src/engine/local.ts';
import { logPath } from '../src/engine/logs.ts';
import { EngineUnavailable, type RunSpec } from '../src/engine/types.ts';
import {
  FIXTURE_SCENARIOS,
  K6_DOUBLE,
  processGroupAlive,
  tempDir,
  waitUntil,
} from './support/test-runner.ts';
import { NetworkPolicy } from '../src/hosts.ts';

const SECRET = 'client-secret-never-in-argv';
const PASSWORD = 'login-password-never-in-argv';

function spec(overrides: Partial<RunSpec> = {}): RunSpec {
  return {
    runId: `run_${Math.random().toString(16).slice(2)}`,
    kind: 'load',
    scenario: SCENARIOS.oauth,
    profile: 'smoke',
    targetName: 'demo',
    env: { MCP_URL: 'http://127.0.0.1:9/mcp', PROFILE: 'smoke', CLIENT_ID: 'c1', LOAD_VUS: '2' },
    secretEnv: { CLIENT_SECRET: SECRET, LOGIN_PASSWORD: PASSWORD },
    runDir: tempDir('vigil-engine-'),
    blocklist: new NetworkPolicy(['*']).k6Blocklist(),
    timeoutMs: 30_000,
    ...overrides,
  };
}

function engineWith(
  mode: string,
  extra: Record<string, string> = {},
  remoteWriteUrl?: string,
  /** null: the real scenarios package. */
  scenariosDir: string | null = FIXTURE_SCENARIOS,
) {
  const record = join(tempDir('vigil-record-'), 'calls.jsonl');
  const parentEnv = {
    PATH: process.env.PATH,
    VIGIL_TOKEN: 'runner-token',
    VIGIL_SECRET_KEY: 'k'.repeat(64),
    K6_TEST_DOUBLE_MODE: mode,
    K6_TEST_DOUBLE_RECORD: record,
    K6_TEST_DOUBLE_DURATION_MS: '100',
    ...extra,
  };
  const engine = new LocalEngine({
    k6Bin: K6_DOUBLE,
    stopGraceMs: 500,
    scenariosDir: scenariosDir ?? undefined,
    parentEnv,
    remoteWriteUrl,
  });
  const calls = () =>
    readFileSync(record, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  return { engine, calls };
}

describe('command line and environment', () => {
  it('puts every run-wide tag and non-secret env on the command line, secrets only in the environment', async () => {
    const { engine, calls } = engineWith('pass');
    const s = spec();
    const outcome = await (await engine.start(s)).done;
    expect(outcome.status).toBe('passed');
    const [call] = calls();
    expect(call.argv[0]).toBe('run');
    expect(Object.keys(call.tags).sort()).toEqual([...RUN_LABELS].sort());
    expect(call.tags).toEqual({ testid: s.runId, target: 'demo', profile: 'smoke', kind: 'load' });
    expect(call.env).toMatchObject({
      MCP_URL: 'http://127.0.0.1:9/mcp',
      PROFILE: 'smoke',
      CLIENT_ID: 'c1',
      LOAD_VUS: '2',
      VIGIL_SUMMARY_FILE: join(s.runDir, 'summary.json'),
    });
    expect(call.script).toBe(join(FIXTURE_SCENARIOS, 'oauth.ts')); // a folder without bundles: the source
    expect(call.outputs).toEqual([]);
    expect(call.vus).toBeUndefined();
    const argv = call.argv.join(' ');
    expect(argv).not.toContain(SECRET);
    expect(argv).not.toContain(PASSWORD);
    expect(call.childEnv.CLIENT_SECRET).toBe(SECRET);
    expect(call.childEnv.LOGIN_PASSWORD).toBe(PASSWORD);
    // Nothing of the runner's own secrets reaches k6.
    expect(call.childEnv.VIGIL_TOKEN).toBeUndefined();
    expect(call.childEnv.VIGIL_SECRET_KEY).toBeUndefined();
    expect(call.childEnv.K6_NO_USAGE_REPORT).toBe('true');
    // The log is scrubbed.
    const log = readFileSync(logPath(s.runDir), 'utf8');
    expect(log).toContain('client secret is [REDACTED]');
    expect(log).not.toContain(SECRET);
    expect(outcome.summary?.thresholds.length).toBeGreaterThan(0);
  });

  it('runs probes as one VU, one iteration', async () => {
    const { engine, calls } = engineWith('pass');
    const outcome = await (await engine.start(spec({ kind: 'probe', scenario: SCENARIOS.probe }))).done;
    expect(calls()[0]).toMatchObject({ vus: 1, iterations: 1, tags: { kind: 'probe' } });
    expect(outcome.summary?.probe?.ok).toBe(true);
  });

  it('adds the remote-write output with native histograms when configured', async () => {
    const server: Server = createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/write`;
    try {
      const { engine, calls } = engineWith('pass', {}, url);
      const outcome = await (await engine.start(spec())).done;
      const [call] = calls();
      expect(call.outputs).toEqual(['experimental-prometheus-rw']);
      expect(call.childEnv.K6_PROMETHEUS_RW_SERVER_URL).toBe(url);
      expect(call.childEnv.K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM).toBe('true');
      expect(outcome.metricsDelivered).toBe(true);
      const failing = engineWith('rw-error', {}, url);
      const pushFailed = await (await failing.engine.start(spec())).done;
      expect(pushFailed).toMatchObject({ status: 'passed', metricsDelivered: false });
    } finally {
      server.close();
    }
  });

  it('never fails a run because Prometheus is unreachable, but records it', async () => {
    const { engine } = engineWith('pass', {}, 'http://127.0.0.1:1/api/v1/write');
    const outcome = await (await engine.start(spec())).done;
    expect(outcome).toMatchObject({ status: 'passed', exitCode: 0, metricsDelivered: false });
  });

  it('explains a missing k6', async () => {
    const engine = new LocalEngine({
      k6Bin: 'k6-definitely-not-installed',
      stopGraceMs: 100,
      scenariosDir: FIXTURE_SCENARIOS,
      parentEnv: { PATH: '/nonexistent' },
    });
    await expect(engine.start(spec())).rejects.toThrow(EngineUnavailable);
    await expect(engine.start(spec())).rejects.toThrow(/k6 executable not found/);
  });
});

describe('exit codes and signals', () => {
  it.each([
    ['pass', 0, 'passed'],
    ['thresholds', 99, 'failed'],
    ['exception', 107, 'error'],
  ])('mode %s → exit %i → %s', async (mode, code, status) => {
    const { engine } = engineWith(mode);
    const outcome = await (await engine.start(spec())).done;
    expect(outcome.exitCode).toBe(code);
    expect(outcome.status).toBe(status);
    if (mode === 'thresholds') expect(outcome.summary?.thresholds.some((t) => !t.ok)).toBe(true);
    if (mode === 'exception') expect(outcome.error).toContain('exception');
  });

  it('stop sends SIGTERM to the process group: exit 105 → stopped', async () => {
    const { engine } = engineWith('hang');
    const handle = await engine.start(spec());
    expect(handle.pgid).toBeGreaterThan(0);
    await waitUntil(() => processGroupAlive(handle.pgid!));
    await new Promise((r) => setTimeout(r, 300)); // let the double install its SIGTERM handler
    handle.stop();
    const outcome = await handle.done;
    expect(outcome).toMatchObject({ exitCode: 105, status: 'stopped' });
    expect(processGroupAlive(handle.pgid!)).toBe(false);
  });

  it('escalates to SIGKILL when k6 ignores SIGTERM', async () => {
    const { engine } = engineWith('ignore-term');
    const handle = await engine.start(spec());
    await new Promise((r) => setTimeout(r, 300));
    handle.stop();
    const outcome = await handle.done;
    expect(outcome.status).toBe('stopped');
    expect(outcome.exitCode).toBeNull(); // killed by SIGKILL
    expect(processGroupAlive(handle.pgid!)).toBe(false);
  });

  it('kills the group at the hard timeout → timeout', async () => {
    const { engine } = engineWith('hang');
    const handle = await engine.start(spec({ timeoutMs: 400 }));
    const outcome = await handle.done;
    expect(outcome.status).toBe('timeout');
    expect(processGroupAlive(handle.pgid!)).toBe(false);
  });

  it('reports progress from k6 output', async () => {
    const { engine } = engineWith('pass', { K6_TEST_DOUBLE_DURATION_MS: '200' });
    const seen: number[] = [];
    await (
      await engine.start(spec(), { onProgress: (f) => seen.push(f) })
    ).done;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((f) => f >= 0 && f <= 1)).toBe(true);
  });
});

describe('the script k6 gets', () => {
  it("is the scenario's one-file bundle from the scenarios package (far less memory per VU than its sources)", async () => {
    const { engine, calls } = engineWith('pass', {}, undefined, null);
    expect((await (await engine.start(spec())).done).status).toBe('passed');
    expect(calls()[0].script).toMatch(/scenarios\/bundles\/oauth\.js$/);
  });
});
