/**
 * The kubernetes engine: creates a k6-operator TestRun (scripts in a ConfigMap, secrets in a
 * Secret), follows `.status.stage`, reads the runner pods' exit codes — `finished` alone does
 * not mean the thresholds passed — and the summary from the runner pod's log, and deletes what
 * it created.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { scrub } from '../secrets.ts';
import { logPath, tailLogFile, tailText, type LogTail } from './logs.ts';
import {
  statusFromExitCode,
  type Engine,
  type EngineOutcome,
  type LeftoverRun,
  type RunHandle,
  type RunHooks,
  type RunSpec,
} from './types.ts';
import {
  resourceName,
  scenarioFiles,
  scriptsConfigMap,
  secretsSecret,
  testRunManifest,
  TESTRUN,
  type KubernetesSettings,
} from './k8s-manifests.ts';
import { scenariosDir } from './locate.ts';
import { summaryFromLog } from './summary.ts';

/** Log lines read from the end of a runner pod's log: the summary line is among k6's last output. */
const SUMMARY_LOG_TAIL_LINES = 200;
/** Lines kept of each runner pod's log in the run folder (the pods vanish with the TestRun). */
const KEPT_LOG_LINES = 5000;

/** The parts of @kubernetes/client-node's APIs this engine calls (tests pass a test double). */
export type CustomObjects = Pick<
  CustomObjectsApi,
  'createNamespacedCustomObject' | 'getNamespacedCustomObject' | 'deleteNamespacedCustomObject'
>;
export type CoreApi = Pick<
  CoreV1Api,
  | 'createNamespacedConfigMap'
  | 'createNamespacedSecret'
  | 'deleteNamespacedConfigMap'
  | 'deleteNamespacedSecret'
  | 'listNamespacedPod'
  | 'readNamespacedPodLog'
>;

export interface KubernetesEngineOptions extends KubernetesSettings {
  customObjects: CustomObjects;
  core: CoreApi;
  pollMs?: number;
  scenariosDir?: string;
  sleep?: (ms: number) => Promise<void>;
}

export function kubernetesApisFromDefaultConfig(): { customObjects: CustomObjects; core: CoreApi } {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  return { customObjects: kc.makeApiClient(CustomObjectsApi), core: kc.makeApiClient(CoreV1Api) };
}

interface TestRunStatus {
  status?: { stage?: string };
}

/** Outcome of a finished TestRun from its runner pods' container exit codes. */
export function outcomeFromPods(
  pods: Array<{ status?: { containerStatuses?: Array<{ state?: { terminated?: { exitCode?: number } } }> } }>,
) {
  const codes = pods
    .map((p) => p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode)
    .filter((c): c is number => typeof c === 'number');
  if (codes.length === 0)
    return { ...statusFromExitCode(null), exitCode: null, error: 'no runner pod reported an exit code' };
  const worst = codes.find((c) => c !== 0 && c !== 99) ?? codes.find((c) => c === 99) ?? 0;
  return { ...statusFromExitCode(worst), exitCode: worst };
}

export class KubernetesEngine implements Engine {
  readonly name = 'kubernetes' as const;
  private readonly pollMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: KubernetesEngineOptions) {
    this.pollMs = options.pollMs ?? 2000;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Deletes the TestRun (the operator then ends its jobs), the ConfigMap and the Secret; absent ones are fine. */
  async abandon(run: Pick<LeftoverRun, 'id'>): Promise<boolean> {
    const { namespace, customObjects, core } = this.options;
    const deleted = (p: Promise<unknown>) => p.then(() => true).catch(() => false);
    const results = [
      await deleted(
        customObjects.deleteNamespacedCustomObject({
          group: TESTRUN.group,
          version: TESTRUN.version,
          namespace,
          plural: TESTRUN.plural,
          name: resourceName(run.id),
        }),
      ),
      await deleted(core.deleteNamespacedConfigMap({ namespace, name: resourceName(run.id, '-scripts') })),
      await deleted(core.deleteNamespacedSecret({ namespace, name: resourceName(run.id, '-secrets') })),
    ];
    return results.some(Boolean);
  }

  private runnerPods(runId: string) {
    return this.options.core.listNamespacedPod({
      namespace: this.options.namespace,
      labelSelector: `k6_cr=${resourceName(runId)},runner=true`,
    });
  }

  /** Each runner pod's log, one section per pod (parallelism > 1 runs several), secrets scrubbed. */
  private async podLogs(runId: string, tailLines: number, secrets: readonly string[] = []): Promise<string> {
    const pods = (await this.runnerPods(runId).catch(() => ({ items: [] }))).items;
    const sections = await Promise.all(
      pods.map(async (pod) => {
        const name = pod.metadata?.name ?? '';
        const log = await this.options.core
          .readNamespacedPodLog({ name, namespace: this.options.namespace, tailLines })
          .catch(() => '');
        return `${pods.length > 1 ? `--- pod ${name}\n` : ''}${scrub(String(log), secrets)}`;
      }),
    );
    return sections.join('\n');
  }

  /** The run folder's copy once the run ended; while it runs, the pods' logs read live. */
  async logs(runId: string, runDir: string, tail: number): Promise<LogTail> {
    if (existsSync(logPath(runDir))) return tailLogFile(runDir, tail);
    return tailText(await this.podLogs(runId, tail), tail);
  }

  /** Keeps the pods' logs before the TestRun (and with it the pods) is deleted. */
  private async keepLogs(spec: RunSpec): Promise<void> {
    const text = await this.podLogs(spec.runId, KEPT_LOG_LINES, Object.values(spec.secretEnv));
    mkdirSync(spec.runDir, { recursive: true, mode: 0o700 });
    writeFileSync(logPath(spec.runDir), text.endsWith('\n') || text === '' ? text : `${text}\n`, {
      mode: 0o600,
    });
  }

  /**
   * The summary the runner pod printed to its log. With parallelism > 1 each pod saw only its
   * share of the load, so no one pod's summary describes the run: pass/fail then comes from the
   * exit codes alone and the run has no summary. A log that cannot be read is not an error.
   */
  private async summaryOf(pods: Array<{ metadata?: { name?: string } }>) {
    const name = pods.length === 1 ? pods[0]?.metadata?.name : undefined;
    if (!name) return null;
    const log = await this.options.core
      .readNamespacedPodLog({ name, namespace: this.options.namespace, tailLines: SUMMARY_LOG_TAIL_LINES })
      .catch(() => '');
    return summaryFromLog(String(log));
  }

  async start(spec: RunSpec, hooks: RunHooks = {}): Promise<RunHandle> {
    const { namespace, customObjects, core } = this.options;
    const files = scenarioFiles(scenariosDir(this.options.scenariosDir), spec.scenario);
    const name = resourceName(spec.runId);
    const ref = { group: TESTRUN.group, version: TESTRUN.version, namespace, plural: TESTRUN.plural, name };
    await core.createNamespacedConfigMap({ namespace, body: scriptsConfigMap(spec, this.options, files) });
    if (Object.keys(spec.secretEnv).length > 0)
      await core.createNamespacedSecret({ namespace, body: secretsSecret(spec, this.options) });
    await customObjects.createNamespacedCustomObject({
      ...ref,
      body: testRunManifest(spec, this.options, files),
    });
    hooks.onStarted?.({ pgid: null });

    let stopRequested = false;
    let deadline = Date.now() + spec.timeoutMs;
    const cleanup = async () => {
      await this.keepLogs(spec).catch(() => undefined);
      await this.abandon({ id: spec.runId });
    };

    const follow = async (): Promise<EngineOutcome> => {
      const base = { summary: null, metricsDelivered: null };
      for (;;) {
        if (stopRequested) return { ...base, status: 'stopped', exitCode: null, error: null };
        if (Date.now() > deadline)
          return {
            ...base,
            status: 'timeout',
            exitCode: null,
            error: `run exceeded its limit of ${Math.round(spec.timeoutMs / 1000)} s`,
          };
        const testRun = (await customObjects.getNamespacedCustomObject(ref)) as TestRunStatus;
        const stage = testRun.status?.stage;
        if (stage === 'started') hooks.onProgress?.(0.5);
        if (stage === 'error')
          return {
            ...base,
            status: 'error',
            exitCode: null,
            error: 'the k6-operator reported stage "error"',
          };
        if (stage === 'finished') {
          const pods = await this.runnerPods(spec.runId);
          const { status, exitCode, error } = outcomeFromPods(pods.items);
          return { ...base, summary: await this.summaryOf(pods.items), status, exitCode, error };
        }
        await this.sleep(this.pollMs);
      }
    };

    const done = follow()
      .catch((error: Error): EngineOutcome => ({
        status: 'error',
        exitCode: null,
        summary: null,
        error: `kubernetes: ${error.message}`,
        metricsDelivered: null,
      }))
      .finally(cleanup);
    const stop = (reason = 'user') => {
      if (reason === 'timeout') deadline = 0;
      else stopRequested = true;
    };
    return { pgid: null, done, stop };
  }
}
