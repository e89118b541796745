/**
 * The kubernetes engine: generated manifests validated against the k6-operator CRD schema
 * (k6-operator/k6.io_testruns.yaml, read by testkit's referenceFile from beside the repository), and the status-following logic against
 * a test double of the CustomObjects/CoreV1 APIs (no cluster runs here).
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import {
  RUN_LABELS,
  SCENARIOS,
  SUMMARY_STDOUT_ENV,
  SUMMARY_STDOUT_MARKER,
  SUMMARY_VERSION,
} from '@vigil/scenarios/catalog';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  resourceName,
  scenarioFiles,
  scriptsConfigMap,
  secretsSecret,
  testRunManifest,
  SCRIPTS_MOUNT,
  type KubernetesSettings,
} from '../src/engine/k8s-manifests.ts';
import { KubernetesEngine, type CoreApi, type CustomObjects } from '../src/engine/kubernetes.ts';
import { scenariosDir } from '../src/engine/locate.ts';
import type { RunSpec } from '../src/engine/types.ts';
import { join } from 'node:path';
import pino from 'pino';
import { RunnerMetrics } from '../src/metrics.ts';
import { RunManager } from '../src/runs.ts';
import { Store } from '../src/store/store.ts';
import { referenceFile } from '@vigil/testkit';
import { tempDir, waitUntil } from './support/test-runner.ts';
import { NetworkPolicy } from '../src/hosts.ts';

const CRD = parse(
  // The k6-operator CRD is read from beside the repository (testkit's referenceFile).
  readFileSync(referenceFile('k6-operator/k6.io_testruns.yaml'), 'utf8'),
);
const schema = CRD.spec.versions[0].schema.openAPIV3Schema;
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
const validateTestRun = ajv.compile(schema);
const SECRET = 'k8s-secret-value-xyz';
const settings: KubernetesSettings = {
  namespace: 'vigil',
  runnerImage: 'grafana/k6:1.6.0',
  parallelism: 2,
  remoteWriteUrl: 'http://prometheus:9090/api/v1/write',
};

function spec(overrides: Partial<RunSpec> = {}): RunSpec {
  return {
    runId: 'run_0123456789abcdef',
    kind: 'load',
    scenario: SCENARIOS.mcp,
    profile: 'load',
    targetName: 'demo-target',
    env: { MCP_URL: 'https://mcp.example.com/mcp', PROFILE: 'load', PROBE_TOOL_ARGS: '{"a": 1}' },
    secretEnv: { CLIENT_SECRET: SECRET },
    runDir: tempDir(),
    blocklist: new NetworkPolicy(['*']).k6Blocklist(),
    timeoutMs: 60_000,
    ...overrides,
  };
}

describe('manifests', () => {
  const files = scenarioFiles(scenariosDir());

  it.each([
    ['load run', spec()],
    ['probe run', spec({ kind: 'probe', scenario: SCENARIOS.probe, profile: 'smoke' })],
    ['run without secrets', spec({ secretEnv: {} })],
  ])('%s: the TestRun validates against the CRD schema', (_name, s) => {
    const manifest = testRunManifest(s, settings, files);
    const ok = validateTestRun(manifest);
    expect(validateTestRun.errors ?? [], JSON.stringify(validateTestRun.errors)).toEqual([]);
    expect(ok).toBe(true);
    expect(manifest.spec.parallelism).toBe(2);
    expect(manifest.spec.script.localFile).toBe(`${SCRIPTS_MOUNT}/${s.scenario.script}`);
    for (const label of RUN_LABELS) expect(manifest.spec.arguments).toContain(`--tag ${label}=`);
    expect(manifest.spec.arguments).toContain('-o experimental-prometheus-rw');
    if (s.kind === 'probe') expect(manifest.spec.arguments).toContain('--vus 1 --iterations 1');
    expect(JSON.stringify(manifest)).not.toContain(SECRET);
  });

  it('detects a schema violation (the check can fail)', () => {
    const manifest = testRunManifest(spec(), settings, files) as unknown as {
      spec: { parallelism: unknown };
    };
    manifest.spec.parallelism = 'two';
    expect(validateTestRun(manifest)).toBe(false);
  });

  it('mounts every scenario file at its path and keeps secrets in the Secret only', () => {
    const s = spec();
    const manifest = testRunManifest(s, settings, files);
    const cm = scriptsConfigMap(s, settings, files);
    const volume = manifest.spec.runner.volumes[0]!;
    expect(volume.configMap.items.map((i) => i.path)).toEqual(files.map((f) => f.path));
    expect(
      volume.configMap.items.every((i) => /^[-._a-zA-Z0-9]+$/.test(i.key) && cm.data[i.key] !== undefined),
    ).toBe(true);
    expect(files.some((f) => f.path === 'catalog/index.ts')).toBe(true);
    expect(JSON.stringify(cm)).not.toContain(SECRET);
    const secretRef = manifest.spec.runner.env.find((e) => e.name === 'CLIENT_SECRET');
    expect(secretRef).toEqual({
      name: 'CLIENT_SECRET',
      valueFrom: { secretKeyRef: { name: resourceName(s.runId, '-secrets'), key: 'CLIENT_SECRET' } },
    });
    expect(secretsSecret(s, settings).stringData).toEqual({ CLIENT_SECRET: SECRET });
    expect(manifest.metadata.name).toMatch(/^[a-z0-9-]{1,63}$/);
  });
});

/** TEST DOUBLE of the Kubernetes APIs: records calls, plays a scripted sequence of stages. */
class FakeKubernetesApis {
  readonly calls: string[] = [];
  readonly created: Record<string, unknown> = {};
  constructor(
    private readonly stages: string[],
    private readonly exitCodes: number[],
    /** Each runner pod's log (undefined: reading it fails, as without `pods/log` permission). */
    private readonly logs: Array<string | undefined> = [],
  ) {}
  readonly customObjects = {
    createNamespacedCustomObject: async (p: { name?: string; body: { metadata: { name: string } } }) => {
      this.calls.push(`create testrun ${p.body.metadata.name}`);
      this.created.testRun = p.body;
      return p.body;
    },
    getNamespacedCustomObject: async (p: { name: string }) => {
      const stage = this.stages.length > 1 ? this.stages.shift() : this.stages[0];
      this.calls.push(`get ${p.name} -> ${stage}`);
      return { status: { stage } };
    },
    deleteNamespacedCustomObject: async (p: { name: string }) => {
      this.calls.push(`delete testrun ${p.name}`);
      return {};
    },
  } as unknown as CustomObjects;
  readonly core = {
    createNamespacedConfigMap: async (p: { body: { metadata: { name: string } } }) =>
      void this.calls.push(`create configmap ${p.body.metadata.name}`),
    createNamespacedSecret: async (p: { body: { metadata: { name: string } } }) =>
      void this.calls.push(`create secret ${p.body.metadata.name}`),
    deleteNamespacedConfigMap: async (p: { name: string }) =>
      void this.calls.push(`delete configmap ${p.name}`),
    deleteNamespacedSecret: async (p: { name: string }) => void this.calls.push(`delete secret ${p.name}`),
    listNamespacedPod: async (p: { labelSelector: string }) => {
      this.calls.push(`list pods ${p.labelSelector}`);
      return {
        items: this.exitCodes.map((exitCode, index) => ({
          metadata: { name: `runner-${index}` },
          status: { containerStatuses: [{ state: { terminated: { exitCode } } }] },
        })),
      };
    },
    readNamespacedPodLog: async (p: { name: string; namespace: string; tailLines?: number }) => {
      this.calls.push(`read log ${p.name}`);
      const log = this.logs[Number(p.name.split('-').pop())];
      if (log === undefined) throw new Error('forbidden: pods/log');
      return log;
    },
  } as unknown as CoreApi;
}

function engine(fake: FakeKubernetesApis) {
  return new KubernetesEngine({
    ...settings,
    customObjects: fake.customObjects,
    core: fake.core,
    pollMs: 1,
    sleep: async () => undefined,
  });
}

describe('status following', () => {
  it('finished with every runner at exit 0 → passed; creates and cleans up', async () => {
    const fake = new FakeKubernetesApis(
      ['initialization', 'created', 'started', 'started', 'finished'],
      [0, 0],
    );
    const progress: number[] = [];
    const outcome = await (await engine(fake).start(spec(), { onProgress: (p) => progress.push(p) })).done;
    expect(outcome).toMatchObject({ status: 'passed', exitCode: 0 });
    expect(progress.length).toBeGreaterThan(0);
    const name = resourceName('run_0123456789abcdef');
    expect(fake.calls[0]).toBe(`create configmap ${name}-scripts`);
    expect(fake.calls).toContain(`create secret ${name}-secrets`);
    expect(fake.calls).toContain(`list pods k6_cr=${name},runner=true`);
    expect(fake.calls.slice(-3)).toEqual([
      `delete testrun ${name}`,
      `delete configmap ${name}-scripts`,
      `delete secret ${name}-secrets`,
    ]);
  });

  it('reads the summary from the runner pod log: thresholds and all, as the local engine reads its file', async () => {
    const summary = {
      version: SUMMARY_VERSION,
      scenario: 'oauth',
      thresholds: [{ metric: 'oauth_auth_flow_duration', expression: 'p(95)<200', ok: false }],
      metrics: {},
    };
    const log = `running…\n${SUMMARY_STDOUT_MARKER}${JSON.stringify(summary)}\n     ✗ threshold failed\n`;
    const fake = new FakeKubernetesApis(['started', 'finished'], [99], [log]);
    const outcome = await (await engine(fake).start(spec())).done;
    expect(outcome).toMatchObject({ status: 'failed', exitCode: 99, summary });
    expect(fake.calls).toContain('read log runner-0');
    const manifest = fake.created.testRun as {
      spec: { runner: { env: Array<{ name: string; value?: string }> } };
    };
    expect(manifest.spec.runner.env).toContainEqual({ name: SUMMARY_STDOUT_ENV, value: '1' });
  });

  it('no summary when the log cannot be read, has none, or the run was split over several pods', async () => {
    for (const logs of [
      [undefined],
      ['k6 output without the marker\n'],
      [`${SUMMARY_STDOUT_MARKER}{not json\n`],
    ]) {
      const outcome = await (
        await engine(new FakeKubernetesApis(['finished'], [0], logs)).start(spec())
      ).done;
      expect(outcome).toMatchObject({ status: 'passed', exitCode: 0, summary: null });
    }
    const marked = `${SUMMARY_STDOUT_MARKER}${JSON.stringify({ version: SUMMARY_VERSION, thresholds: [] })}\n`;
    const split = new FakeKubernetesApis(['finished'], [0, 0], [marked, marked]);
    expect(await (await engine(split).start(spec())).done).toMatchObject({ status: 'passed', summary: null });
    // Each pod's log is read once, to keep it in the run folder; none is taken for the summary.
    expect(split.calls.filter((call) => call.startsWith('read log'))).toEqual([
      'read log runner-0',
      'read log runner-1',
    ]);
  });

  it('finished does not mean passed: a runner exiting 99 → failed', async () => {
    const fake = new FakeKubernetesApis(['started', 'finished'], [0, 99]);
    expect(await (await engine(fake).start(spec())).done).toMatchObject({ status: 'failed', exitCode: 99 });
  });

  it('a script exception (107) → error; stage error → error', async () => {
    expect(
      await (
        await engine(new FakeKubernetesApis(['finished'], [107, 99])).start(spec())
      ).done,
    ).toMatchObject({ status: 'error', exitCode: 107 });
    expect(
      await (
        await engine(new FakeKubernetesApis(['initialization', 'error'], [])).start(spec())
      ).done,
    ).toMatchObject({ status: 'error' });
  });

  it('stop deletes the TestRun → stopped', async () => {
    const fake = new FakeKubernetesApis(['started'], []);
    const handle = await engine(fake).start(spec());
    handle.stop();
    expect(await handle.done).toMatchObject({ status: 'stopped' });
    expect(fake.calls).toContain(`delete testrun ${resourceName('run_0123456789abcdef')}`);
  });

  it("serves its runner pods' logs: live while it runs, then from the run folder, secrets scrubbed", async () => {
    const fake = new FakeKubernetesApis(
      ['started'],
      [0, 0],
      [`k6 starting\ndebug: secret ${SECRET}\n`, 'second pod line\n'],
    );
    const s = spec();
    const k8s = engine(fake);
    const handle = await k8s.start(s);
    const live = await k8s.logs(s.runId, s.runDir, 10);
    expect(live.lines).toEqual(expect.arrayContaining(['k6 starting', 'second pod line']));
    handle.stop();
    await handle.done;
    const kept = await k8s.logs(s.runId, s.runDir, 100);
    expect(kept.lines).toEqual(
      expect.arrayContaining(['--- pod runner-0', 'k6 starting', '--- pod runner-1', 'second pod line']),
    );
    expect(kept.lines.join('\n')).not.toContain(SECRET);
    expect(readFileSync(join(s.runDir, 'k6.log'), 'utf8')).toContain('[REDACTED]');
    // Kept before the objects were deleted: the pods vanish with the TestRun.
    expect(fake.calls.indexOf('read log runner-0')).toBeLessThan(
      fake.calls.lastIndexOf(`delete testrun ${resourceName(s.runId)}`),
    );
    expect((await k8s.logs(s.runId, s.runDir, 1)).truncated).toBe(true);
  });

  it('abandon (after a runner crash) deletes what the run created', async () => {
    const fake = new FakeKubernetesApis(['started'], []);
    await engine(fake).abandon({ id: 'run_0123456789abcdef' });
    const name = resourceName('run_0123456789abcdef');
    expect(fake.calls).toEqual([
      `delete testrun ${name}`,
      `delete configmap ${name}-scripts`,
      `delete secret ${name}-secrets`,
    ]);
  });

  it('a runner restart marks a kubernetes run interrupted and abandons its objects', async () => {
    const store = new Store(join(tempDir(), 'db.sqlite'));
    const run = store.insertRun({
      id: 'run_k8s',
      kind: 'load',
      scenario: 'mcp',
      targetId: null,
      targetName: 't',
      targetUrl: 'http://127.0.0.1/',
      profile: 'smoke',
      overrides: {},
      engine: 'kubernetes',
      createdBy: null,
      probeId: null,
    });
    store.updateRun(run.id, { status: 'running' });
    const fake = new FakeKubernetesApis(['started'], []);
    const manager = new RunManager(
      store,
      { kubernetes: engine(fake) },
      new RunnerMetrics(),
      tempDir(),
      pino({ level: 'silent' }),
    );
    expect((await manager.recoverInterrupted()).map((r) => r.status)).toEqual(['interrupted']);
    await waitUntil(() => fake.calls.length === 3);
    expect(fake.calls[0]).toBe(`delete testrun ${resourceName('run_k8s')}`);
    store.close();
  });

  it('times out a TestRun that never finishes', async () => {
    const fake = new FakeKubernetesApis(['started'], []);
    const e = new KubernetesEngine({
      ...settings,
      customObjects: fake.customObjects,
      core: fake.core,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      pollMs: 5,
    });
    expect(await (await e.start(spec({ timeoutMs: 50 }))).done).toMatchObject({ status: 'timeout' });
  });
});
