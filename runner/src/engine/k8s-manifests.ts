/**
 * k6-operator manifests for a run: a ConfigMap with the scenario files (mounted with their
 * folder layout so relative imports resolve), a Secret with the secret env, and the TestRun.
 * Secrets reach the pods only through secretKeyRef, never in the TestRun or the ConfigMap.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { SUMMARY_FILE_ENV, SUMMARY_STDOUT_ENV, type ScenarioDef } from '@vigil/scenarios/catalog';
import { blocklistArgs, REMOTE_WRITE_OUTPUT, runTags } from './k6-args.ts';
import type { RunSpec } from './types.ts';

export const TESTRUN = { group: 'k6.io', version: 'v1alpha1', plural: 'testruns', kind: 'TestRun' } as const;
export const SCRIPTS_MOUNT = '/vigil/scenarios';

export interface KubernetesSettings {
  namespace: string;
  runnerImage: string;
  parallelism: number;
  remoteWriteUrl?: string;
  serviceAccountName?: string;
}

/** Kubernetes names: lowercase, digits and dashes, at most 63 characters. */
export function resourceName(runId: string, suffix = ''): string {
  const base = `vigil-${runId.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63 - suffix.length);
  return `${base}${suffix}`.replace(/-+$/, '');
}

/**
 * What the pods run: the scenario's one-file bundle when the folder has it (one ConfigMap key),
 * else every file a source script may import (top-level scripts, lib/ and catalog/; no tests).
 */
export function scenarioFiles(dir: string, scenario?: ScenarioDef): Array<{ path: string; content: string }> {
  if (scenario && existsSync(join(dir, scenario.bundle)))
    return [{ path: scenario.bundle, content: readFileSync(join(dir, scenario.bundle), 'utf8') }];
  const files: Array<{ path: string; content: string }> = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const full = join(folder, entry);
      const rel = relative(dir, full).split(sep).join('/');
      if (statSync(full).isDirectory()) {
        if (rel === 'lib' || rel === 'catalog' || rel.startsWith('lib/') || rel.startsWith('catalog/'))
          walk(full);
      } else if (
        /\.(ts|js|json)$/.test(entry) &&
        !/\.test\./.test(entry) &&
        !['package.json', 'tsconfig.json', 'tsconfig.k6.json', 'vitest.config.ts'].includes(rel)
      ) {
        files.push({ path: rel, content: readFileSync(full, 'utf8') });
      }
    }
  };
  walk(dir);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

const labelsFor = (spec: RunSpec) => ({
  'app.kubernetes.io/managed-by': 'vigil',
  'vigil.dev/testid': resourceName(spec.runId).slice(6),
});

export function scriptsConfigMap(
  spec: RunSpec,
  settings: KubernetesSettings,
  files: Array<{ path: string; content: string }>,
) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: resourceName(spec.runId, '-scripts'),
      namespace: settings.namespace,
      labels: labelsFor(spec),
    },
    // ConfigMap keys cannot hold '/', so files are keyed f0..fn and mounted back at their paths.
    data: Object.fromEntries(files.map((f, i) => [`f${i}`, f.content])),
  };
}

export function secretsSecret(spec: RunSpec, settings: KubernetesSettings) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: resourceName(spec.runId, '-secrets'),
      namespace: settings.namespace,
      labels: labelsFor(spec),
    },
    type: 'Opaque',
    stringData: spec.secretEnv,
  };
}

/** Command-line arguments for k6 in the pods: tags (no spaces in values) and the output. */
export function testRunArguments(spec: RunSpec, settings: KubernetesSettings): string {
  const args = Object.entries(runTags(spec)).map(([k, v]) => `--tag ${k}=${v.replace(/\s+/g, '_')}`);
  // Flag values are CIDRs and host names: no spaces, so they survive the operator's word split.
  const guard = blocklistArgs(spec);
  if (guard.length > 0) args.push(guard.join(' '));
  if (settings.remoteWriteUrl) args.push(`-o ${REMOTE_WRITE_OUTPUT}`);
  if (spec.kind === 'probe') args.push('--vus 1 --iterations 1');
  return args.join(' ');
}

/** The scenario's bundle when the ConfigMap holds it, else its source script. */
function scriptIn(spec: RunSpec, files: Array<{ path: string }>): string {
  return files.some((f) => f.path === spec.scenario.bundle) ? spec.scenario.bundle : spec.scenario.script;
}

export function testRunManifest(
  spec: RunSpec,
  settings: KubernetesSettings,
  files: Array<{ path: string; content: string }>,
) {
  const env: Array<Record<string, unknown>> = Object.entries({
    ...spec.env,
    [SUMMARY_FILE_ENV]: '/tmp/summary.json',
    // The pod's files vanish with it: the summary also goes to its log, where the engine reads it.
    [SUMMARY_STDOUT_ENV]: '1',
  }).map(([name, value]) => ({ name, value }));
  for (const name of Object.keys(spec.secretEnv)) {
    env.push({
      name,
      valueFrom: { secretKeyRef: { name: resourceName(spec.runId, '-secrets'), key: name } },
    });
  }
  if (settings.remoteWriteUrl) {
    env.push({ name: 'K6_PROMETHEUS_RW_SERVER_URL', value: settings.remoteWriteUrl });
    env.push({ name: 'K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM', value: 'true' });
  }
  const volumes = [
    {
      name: 'scenarios',
      configMap: {
        name: resourceName(spec.runId, '-scripts'),
        items: files.map((f, i) => ({ key: `f${i}`, path: f.path })),
      },
    },
  ];
  const volumeMounts = [{ name: 'scenarios', mountPath: SCRIPTS_MOUNT, readOnly: true }];
  const pod = {
    image: settings.runnerImage,
    env,
    volumes,
    volumeMounts,
    metadata: { labels: labelsFor(spec) },
    ...(settings.serviceAccountName ? { serviceAccountName: settings.serviceAccountName } : {}),
  };
  return {
    apiVersion: `${TESTRUN.group}/${TESTRUN.version}`,
    kind: TESTRUN.kind,
    metadata: { name: resourceName(spec.runId), namespace: settings.namespace, labels: labelsFor(spec) },
    spec: {
      parallelism: settings.parallelism,
      script: { localFile: `${SCRIPTS_MOUNT}/${scriptIn(spec, files)}` },
      arguments: testRunArguments(spec, settings),
      runner: pod,
      initializer: pod,
    },
  };
}
