/** Small pure parts: store migrations and retention, secrets, host policy, Grafana context, metrics bounds. */
import { randomBytes } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGrafanaContext } from '../src/api/grafana-context.ts';
import { tokenMatches } from '../src/api/server.ts';
import { RunnerMetrics } from '../src/metrics.ts';
import { openSecrets, scrub, sealSecrets, MissingSecretKeyError } from '../src/secrets.ts';
import { MIGRATIONS, migrate } from '../src/store/db.ts';
import { Store } from '../src/store/store.ts';
import type { RunRecord } from '../src/store/types.ts';
import type { Step } from '@vigil/scenarios/catalog';
import { tempDir } from './support/test-runner.ts';

describe('store', () => {
  it('opens in WAL mode, applies numbered migrations once', () => {
    const store = new Store(join(tempDir(), 'db.sqlite'));
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(migrate(store.db)).toBe(MIGRATIONS.length);
    const versions = store.db.prepare('SELECT version FROM schema_migrations').all();
    expect(versions).toEqual(MIGRATIONS.map((_, i) => ({ version: i + 1 })));
    store.close();
  });

  it('prunes finished runs and probe results past retention, keeping baselines and active runs', () => {
    const store = new Store(join(tempDir(), 'db.sqlite'));
    const make = (id: string) =>
      store.insertRun({
        id,
        kind: 'load',
        scenario: 'oauth',
        targetId: null,
        targetName: 't',
        targetUrl: 'http://127.0.0.1/',
        profile: 'smoke',
        overrides: {},
        engine: 'local',
        createdBy: null,
        probeId: null,
      });
    for (const id of ['old', 'baseline', 'active', 'new']) make(id);
    store.updateRun('old', { status: 'passed' });
    store.updateRun('baseline', { status: 'passed' });
    store.updateRun('active', { status: 'running' });
    store.setBaseline(store.getRun('baseline')!);
    store.db.prepare("UPDATE runs SET created_at = '2000-01-01T00:00:00.000Z' WHERE id != 'new'").run();
    store.insertProbeResult({
      probeId: 'p',
      runId: null,
      at: '2000-01-01T00:00:00.000Z',
      ok: true,
      status: 'passed',
      durationMs: 1,
      failedStep: null,
      steps: [],
      toolsHash: null,
      tokenExpiresInSeconds: null,
      runnerError: null,
      findings: [],
    });
    const pruned = store.prune(new Date('2020-01-01'));
    expect(pruned).toEqual({ runs: ['old'], probeResults: 1 });
    expect(store.getRun('baseline')).toBeDefined();
    expect(store.getRun('active')).toBeDefined();
    expect(store.getRun('new')).toBeDefined();
    store.close();
  });
});

describe('secrets', () => {
  const key = randomBytes(32);
  it('seals with AES-256-GCM and opens only with the same key', () => {
    const sealed = sealSecrets(key, { clientSecret: 's3cret' });
    expect(sealed).not.toContain('s3cret');
    expect(openSecrets(key, sealed)).toEqual({ clientSecret: 's3cret' });
    expect(() => openSecrets(randomBytes(32), sealed)).toThrow();
    expect(() => sealSecrets(undefined, { a: 'b' })).toThrow(MissingSecretKeyError);
  });
  it('scrubs secret values and bearer tokens from text', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4, maxLength: 40 }),
        fc.string(),
        fc.string(),
        (secret, before, after) => {
          fc.pre(!secret.includes('[REDACTED]'));
          expect(scrub(`${before}${secret}${after}`, [secret])).not.toContain(secret);
        },
      ),
    );
    expect(scrub('Authorization: Bearer abc.def-ghi', [])).toBe('Authorization: Bearer [REDACTED]');
  });
  it('compares the API token in constant time and refuses empties', () => {
    expect(tokenMatches('Bearer abc', 'abc')).toBe(true);
    expect(tokenMatches('bearer abc', 'abc')).toBe(true);
    expect(tokenMatches('Bearer abd', 'abc')).toBe(false);
    expect(tokenMatches('Bearer ', 'abc')).toBe(false);
    expect(tokenMatches(undefined, 'abc')).toBe(false);
    expect(tokenMatches('Bearer abc', '')).toBe(false);
  });
});

describe('X-Grafana-Context', () => {
  it('reads login and user id from JSON or a JWT payload, nothing else', () => {
    expect(
      parseGrafanaContext(JSON.stringify({ UserID: 3, Login: 'bob', Email: 'bob@x', OrgRole: 'Admin' })),
    ).toEqual({ login: 'bob', userId: '3' });
    const jwt = [
      'e30',
      Buffer.from(JSON.stringify({ sub: 'user:9', login: 'eve', email: 'e@x' })).toString('base64url'),
      'sig',
    ].join('.');
    expect(parseGrafanaContext(jwt)).toEqual({ login: 'eve', userId: 'user:9' });
  });
  it('never throws on garbage', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseGrafanaContext(s)));
    expect(parseGrafanaContext('not json')).toBeNull();
    expect(parseGrafanaContext('[1,2]')).toBeNull();
    expect(parseGrafanaContext(JSON.stringify({ login: '<script>' }))).toEqual({ login: 'script' });
  });
});

describe('metrics', () => {
  it('keeps threshold series for the latest N load runs only', async () => {
    const metrics = new RunnerMetrics(2);
    const run = (id: string) =>
      ({
        id,
        kind: 'load',
        scenario: 'oauth',
        targetName: 't',
        thresholds: [{ metric: 'm', expression: 'x', ok: id !== 'b' }],
      }) as unknown as RunRecord;
    for (const id of ['a', 'b', 'c']) metrics.recordRunThresholds(run(id));
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('testid="a"');
    expect(text).toContain('vigil_run_threshold_passed{testid="b",scenario="oauth",target="t",metric="m"} 0');
    expect(text).toContain('testid="c"');
  });
  it('counts tools-hash changes between walks', async () => {
    const metrics = new RunnerMetrics();
    const walk = (toolsHash: string) => ({
      probe: 'p',
      target: 't',
      intervalSeconds: 60,
      ok: true,
      consecutiveFailures: 0,
      durationMs: 10,
      atMs: 0,
      steps: [],
      toolsHash,
      tokenExpiresInSeconds: null,
      findings: [],
    });
    for (const h of ['a', 'a', 'b', 'b', 'c']) metrics.recordProbe(walk(h));
    expect(await metrics.registry.metrics()).toContain(
      'probe_tools_hash_changes_total{probe="p",target="t"} 2',
    );
  });
  it('keeps step series of the last walk only, so an old failure cannot label a new one', async () => {
    const metrics = new RunnerMetrics();
    const walk = (steps: Array<{ step: Step; ok: boolean }>) => ({
      probe: 'p',
      target: 't',
      intervalSeconds: 60,
      ok: steps.every((s) => s.ok),
      consecutiveFailures: steps.every((s) => s.ok) ? 0 : 1,
      durationMs: 10,
      atMs: 0,
      steps: steps.map((s) => ({ ...s, durationMs: 5 })),
      toolsHash: null,
      tokenExpiresInSeconds: null,
      findings: [],
    });
    metrics.recordProbe(
      walk([
        { step: 'discovery', ok: true },
        { step: 'tools_call', ok: false },
      ]),
    );
    metrics.recordProbe(walk([{ step: 'discovery', ok: false }]));
    const text = await metrics.registry.metrics();
    expect(text).toContain('probe_step_success{probe="p",target="t",step="discovery"} 0');
    expect(text).not.toContain('step="tools_call"');
  });
});

describe('config', () => {
  it('makes a relative data folder absolute, so k6 (run from the scenarios folder) writes where the runner reads', async () => {
    const { configFromEnv } = await import('../src/config.ts');
    const config = configFromEnv({ VIGIL_DATA_DIR: './relative-data' });
    expect(isAbsolute(config.dataDir)).toBe(true);
    expect(config.dbPath).toBe(join(config.dataDir, 'vigil.db'));
  });
});
