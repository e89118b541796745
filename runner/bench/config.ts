import { join } from 'node:path';
import type { RunnerConfig } from '../src/config.ts';

export const BENCH_TOKEN = 'bench-token';

/** Scripts come from the real scenarios package: the k6 doubles never read them. */
export function benchConfig(dir: string, k6Bin: string): RunnerConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    dataDir: dir,
    dbPath: join(dir, 'vigil.db'),
    token: BENCH_TOKEN,
    metricsPublic: false,
    allowedHosts: ['127.0.0.1'],
    blockedCidrs: [],
    k6Bin,
    limits: { maxVus: 1000, maxRate: 500, maxDurationMs: 3_600_000, maxConcurrentRuns: 1000 },
    retentionDays: 30,
    probeConcurrency: 8,
    stopGraceSeconds: 2,
    thresholdRunsKept: 50,
  };
}
