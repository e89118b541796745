/**
 * Wires the runner together: store, engines, run manager, probes, metrics, HTTP API; and takes it
 * apart again on shutdown (stop runs, stop the scheduler, close the server, close the store).
 */
import { rmSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { buildServer } from './api/server.ts';
import type { RunnerConfig } from './config.ts';
import { LocalEngine } from './engine/local.ts';
import type { Engine } from './engine/types.ts';
import { dnsResolver, NetworkPolicy, type Resolver } from './hosts.ts';
import { RunnerMetrics } from './metrics.ts';
import { NotificationStore } from './notifications.ts';
import { findProblems, type Problem } from './problems.ts';
import type { Clock } from './probes/scheduler.ts';
import { ProbeService } from './probes/service.ts';
import type { RunBuilderDeps } from './run-request.ts';
import { RunManager } from './runs.ts';
import { Store } from './store/store.ts';
import { TargetService } from './targets.ts';

export interface RunnerOptions {
  logger?: Logger;
  resolver?: Resolver;
  clock?: Clock;
  /** Extra engines (e.g. kubernetes) keyed by name. */
  engines?: Partial<Record<'kubernetes', Engine>>;
  /** Environment the local engine passes K6_* settings from. */
  parentEnv?: NodeJS.ProcessEnv;
}

export interface Runner {
  app: FastifyInstance;
  store: Store;
  runs: RunManager;
  probes: ProbeService;
  metrics: RunnerMetrics;
  problems(): Problem[];
  listen(): Promise<string>;
  close(): Promise<void>;
}

const RETENTION_SWEEP_MS = 60 * 60 * 1000;

export function createLogger(): Logger {
  return pino({
    level: process.env.VIGIL_LOG_LEVEL ?? 'info',
    redact: ['req.headers.authorization', 'req.headers["x-grafana-context"]'],
  });
}

/** @kubernetes/client-node is large: loaded only when the kubernetes engine is configured. */
async function kubernetesEngine(config: RunnerConfig): Promise<Engine> {
  const { KubernetesEngine, kubernetesApisFromDefaultConfig } = await import('./engine/kubernetes.ts');
  return new KubernetesEngine({
    ...config.kubernetes!,
    ...kubernetesApisFromDefaultConfig(),
    remoteWriteUrl: config.remoteWriteUrl,
    scenariosDir: config.scenariosDir,
  });
}

export async function createRunner(config: RunnerConfig, options: RunnerOptions = {}): Promise<Runner> {
  if (!config.token)
    throw new Error(
      'VIGIL_TOKEN (or --token-file <file>) is required: every API call but /healthz and /readyz needs it',
    );
  const logger = options.logger ?? createLogger();
  const store = new Store(config.dbPath);
  const notifications = new NotificationStore(store.db);
  const metrics = new RunnerMetrics(config.thresholdRunsKept);
  const local = new LocalEngine({
    k6Bin: config.k6Bin,
    remoteWriteUrl: config.remoteWriteUrl,
    stopGraceMs: config.stopGraceSeconds * 1000,
    scenariosDir: config.scenariosDir,
    parentEnv: options.parentEnv,
  });
  const kubernetes = config.kubernetes ? await kubernetesEngine(config) : undefined;
  const runs = new RunManager(
    store,
    { local, ...(kubernetes ? { kubernetes } : {}), ...options.engines },
    metrics,
    config.dataDir,
    logger,
    config.limits.maxConcurrentRuns,
  );
  const interrupted = await runs.recoverInterrupted();
  if (interrupted.length > 0)
    logger.warn(
      { runs: interrupted.map((r) => r.id) },
      'runs left active by a previous runner marked interrupted',
    );
  const policy = new NetworkPolicy(config.allowedHosts, config.blockedCidrs, options.resolver ?? dnsResolver);
  const targets = new TargetService(store, config.secretKey, policy);
  const runBuilder: RunBuilderDeps = {
    policy,
    secretsOf: (target) => targets.secretsOf(target),
    limits: config.limits,
    hasEngine: (name) => runs.hasEngine(name),
  };
  const probes = new ProbeService(store, runBuilder, runs, metrics, logger, {
    concurrency: config.probeConcurrency,
    clock: options.clock,
  });
  const problems = () =>
    findProblems({ k6Bin: config.k6Bin, path: (options.parentEnv ?? process.env).PATH, targets });
  let ready = false;
  const app = await buildServer({
    config,
    store,
    targets,
    runs,
    runBuilder,
    probes,
    notifications,
    metrics,
    logger,
    isReady: () => ready,
    problems,
  });

  const sweep = () => {
    const cutoff = new Date(Date.now() - config.retentionDays * 86_400_000);
    const pruned = store.prune(cutoff);
    notifications.prune(cutoff);
    for (const id of pruned.runs) rmSync(runs.runDir(id), { recursive: true, force: true });
  };
  const sweeper = setInterval(sweep, RETENTION_SWEEP_MS);
  sweeper.unref();

  let closed = false;
  return {
    app,
    store,
    runs,
    probes,
    metrics,
    problems,
    async listen() {
      sweep();
      for (const problem of problems()) logger.warn({ problem: problem.code }, problem.message);
      probes.start();
      const address = await app.listen({ host: config.host, port: config.port });
      ready = true;
      return address;
    },
    async close() {
      if (closed) return;
      closed = true;
      ready = false;
      clearInterval(sweeper);
      probes.stop();
      await runs.shutdown();
      await app.close();
      store.close();
    },
  };
}
