/**
 * Runner configuration from the environment (and CLI flags, which `vigil serve` maps onto the
 * same fields). One place lists every knob; README.md's table mirrors it.
 */
import path from 'node:path';
import { parseDuration } from '@vigil/scenarios/catalog';
import { parseCidrs } from './hosts.ts';
import { catalogLimits, type Limits } from './limits.ts';

export type { Limits };

export interface RunnerConfig {
  host: string;
  port: number;
  dbPath: string;
  dataDir: string;
  token: string;
  /** /metrics without the bearer token (Prometheus scrapes inside a trusted network). */
  metricsPublic: boolean;
  allowedHosts: string[];
  /** Networks no run may reach, on top of link-local and cloud metadata (always refused). */
  blockedCidrs: string[];
  remoteWriteUrl?: string;
  k6Bin: string;
  secretKey?: Buffer;
  limits: Limits;
  retentionDays: number;
  /** Probe runs at once, over all probes. */
  probeConcurrency: number;
  /** Seconds between SIGTERM and SIGKILL when a run is stopped. */
  stopGraceSeconds: number;
  /** Finished load runs whose thresholds stay on /metrics. */
  thresholdRunsKept: number;
  scenariosDir?: string;
  /** Set when VIGIL_K8S_NAMESPACE is: enables the kubernetes engine (k6-operator). */
  kubernetes?: { namespace: string; runnerImage: string; parallelism: number; serviceAccountName?: string };
}

export const DEFAULT_ALLOWED_HOSTS = ['127.0.0.1', 'localhost', '::1'];

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a whole number, got ${JSON.stringify(value)}`);
  return n;
}

function durationFrom(value: string | undefined, fallback: string, name: string): number {
  const ms = parseDuration(value || fallback);
  if (ms === undefined)
    throw new Error(`${name} must be a duration such as 30m or 4h, got ${JSON.stringify(value)}`);
  return ms;
}

/** VIGIL_SECRET_KEY: 32 bytes as 64 hex characters or base64. */
export function parseSecretKey(text: string | undefined): Buffer | undefined {
  if (!text) return undefined;
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('VIGIL_SECRET_KEY must be 32 bytes (64 hex characters or base64)');
  return key;
}

export function listFrom(text: string | undefined, fallback: string[]): string[] {
  if (text === undefined || text.trim() === '') return fallback;
  return text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/** VIGIL_BLOCKED_CIDRS, each entry checked so a typo fails the start instead of blocking nothing. */
export function blockedCidrsFrom(text: string | undefined): string[] {
  const entries = listFrom(text, []);
  parseCidrs(entries);
  return entries;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RunnerConfig {
  // The catalog's largest scenario × profile, so every shipped profile runs under the defaults.
  const fromCatalog = catalogLimits();
  // Absolute, because k6 runs with the scenarios folder as its working directory and writes its
  // summary into the run folder: a relative path would point somewhere else for it.
  const dataDir = path.resolve(env.VIGIL_DATA_DIR || './vigil-data');
  return {
    host: env.VIGIL_HOST || '127.0.0.1',
    port: intFrom(env.VIGIL_PORT, 8090, 'VIGIL_PORT'),
    dataDir,
    dbPath: path.resolve(env.VIGIL_DB || path.join(dataDir, 'vigil.db')),
    token: env.VIGIL_TOKEN ?? '',
    metricsPublic: env.VIGIL_METRICS_PUBLIC === 'true',
    allowedHosts: listFrom(env.VIGIL_ALLOWED_HOSTS, DEFAULT_ALLOWED_HOSTS),
    blockedCidrs: blockedCidrsFrom(env.VIGIL_BLOCKED_CIDRS),
    remoteWriteUrl: env.VIGIL_REMOTE_WRITE_URL || undefined,
    k6Bin: env.K6_BIN || 'k6',
    secretKey: parseSecretKey(env.VIGIL_SECRET_KEY),
    limits: {
      maxVus: intFrom(env.VIGIL_MAX_VUS, fromCatalog.vus, 'VIGIL_MAX_VUS'),
      maxRate: intFrom(env.VIGIL_MAX_RATE, fromCatalog.rate, 'VIGIL_MAX_RATE'),
      maxDurationMs: env.VIGIL_MAX_DURATION
        ? durationFrom(env.VIGIL_MAX_DURATION, '1h', 'VIGIL_MAX_DURATION')
        : fromCatalog.durationMs,
      maxConcurrentRuns: intFrom(env.VIGIL_MAX_CONCURRENT_RUNS, 2, 'VIGIL_MAX_CONCURRENT_RUNS'),
    },
    retentionDays: intFrom(env.VIGIL_RETENTION_DAYS, 30, 'VIGIL_RETENTION_DAYS'),
    probeConcurrency: intFrom(env.VIGIL_PROBE_CONCURRENCY, 4, 'VIGIL_PROBE_CONCURRENCY'),
    stopGraceSeconds: intFrom(env.VIGIL_STOP_GRACE_SECONDS, 10, 'VIGIL_STOP_GRACE_SECONDS'),
    thresholdRunsKept: intFrom(env.VIGIL_THRESHOLD_RUNS_KEPT, 50, 'VIGIL_THRESHOLD_RUNS_KEPT'),
    scenariosDir: env.VIGIL_SCENARIOS_DIR || undefined,
    kubernetes: env.VIGIL_K8S_NAMESPACE
      ? {
          namespace: env.VIGIL_K8S_NAMESPACE,
          runnerImage: env.VIGIL_K8S_RUNNER_IMAGE || 'grafana/k6:1.6.0',
          parallelism: intFrom(env.VIGIL_K8S_PARALLELISM, 1, 'VIGIL_K8S_PARALLELISM'),
          serviceAccountName: env.VIGIL_K8S_SERVICE_ACCOUNT || undefined,
        }
      : undefined,
  };
}
