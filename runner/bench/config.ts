import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunnerConfig } from '../src/config.ts';

export const BENCH_TOKEN = 'bench-token';
const here = fileURLToPath(new URL('.', import.meta.url));
export const FIXTURE_SCENARIOS = join(here, '..', 'test', 'fixtures', 'scenarios');

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
    scenariosDir: FIXTURE_SCENARIOS,
  };
}
