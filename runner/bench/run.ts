/**
 * Runner benchmark (`npm run bench -w runner`). Prints:
 *  1. API p95 on run listing with 10 000 stored runs at 200 req/s (goal < 20 ms)
 *  2. run-start latency, request to spawned process (goal p95 < 300 ms)
 *  3. scheduler lateness with 100 probes (goal < 1 s)
 *  4. RSS with 100 probes (goal < 150 MB)
 * The server runs as `vigil serve` in its own process; k6 cannot run here, so runs use the k6
 * test double (runner/test/fixtures) and the probe phase a shell double (bench/k6-bench-double.sh).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort, waitForHttp } from '@vigil/testkit';
import { Store } from '../src/store/store.ts';
import { BENCH_TOKEN } from './config.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const auth = { authorization: `Bearer ${BENCH_TOKEN}` };

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

function seedRuns(dbPath: string, count: number): void {
  const store = new Store(dbPath);
  const thresholds = [{ metric: 'oauth_auth_flow_duration', expression: 'p(95)<200', ok: true }];
  const summary = {
    version: 1,
    scenario: 'oauth',
    profile: 'smoke',
    ok: true,
    thresholds,
    metrics: {},
    checks: { passes: 1, fails: 0 },
    durationMs: 1000,
  };
  store.db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const run = store.insertRun({
        id: `run_seed${i}`,
        kind: i % 5 === 0 ? 'probe' : 'load',
        scenario: i % 2 ? 'oauth' : 'mcp',
        targetId: null,
        targetName: 'demo',
        targetUrl: 'http://127.0.0.1/mcp',
        profile: 'smoke',
        overrides: {},
        engine: 'local',
        createdBy: null,
        probeId: null,
      });
      store.updateRun(run.id, {
        status: 'passed',
        exitCode: 0,
        summary: summary as never,
        thresholds,
        finishedAt: new Date().toISOString(),
      });
    }
  })();
  store.close();
}

async function serve(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(here, '..', 'bin', 'vigil.js'), 'serve'], {
    env: {
      PATH: process.env.PATH,
      VIGIL_TOKEN: BENCH_TOKEN,
      VIGIL_PORT: String(port),
      VIGIL_DATA_DIR: dir,
      VIGIL_LOG_LEVEL: 'warn',
      VIGIL_MAX_CONCURRENT_RUNS: '1000',
      K6_BIN: join(here, '..', 'test', 'fixtures', 'k6-test-double.mjs'),
      K6_TEST_DOUBLE_DURATION_MS: '50',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitForHttp(`http://127.0.0.1:${port}/readyz`, 30_000);
  return child;
}

async function listingLatency(base: string): Promise<number[]> {
  const latencies: number[] = [];
  const instance = autocannon({
    url: `${base}/api/runs?limit=50`,
    headers: auth,
    connections: 10,
    overallRate: 200,
    duration: 15,
  });
  // autocannon reports p90 and p97.5 but not p95: collect every response time and compute it.
  instance.on('response', (_client, status, _bytes, time) => {
    if (status === 200) latencies.push(time);
  });
  await instance;
  return latencies;
}

async function runStartLatency(base: string, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/runs`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: 'oauth', targetUrl: 'http://127.0.0.1:9/mcp' }),
    });
    const body = (await res.json()) as { status: string };
    if (res.status !== 201 || body.status !== 'running')
      throw new Error(`run start failed: ${res.status} ${JSON.stringify(body)}`);
    latencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 500)); // let the previous double exit: measure the runner, not CPU contention
  }
  return latencies;
}

async function probePhase(): Promise<{
  interval: number;
  seconds: number;
  lateness: number[];
  started: number;
  skipped: number;
  peakRssMb: number;
}> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'probes.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await new Promise((r) => child.on('close', r));
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  console.log('seeding 10 000 runs…');
  seedRuns(join(dir, 'vigil.db'), 10_000);
  const port = await freePort();
  const server = await serve(dir, port);
  const base = `http://127.0.0.1:${port}`;
  console.log('1. GET /api/runs?limit=50 at 200 req/s for 15 s (server in its own process)…');
  const listing = await listingLatency(base);
  console.log(
    `   ${listing.length} requests; p50 ${ms(quantile(listing, 0.5))}, p95 ${ms(quantile(listing, 0.95))}, p99 ${ms(quantile(listing, 0.99))} (goal p95 < 20 ms)`,
  );
  console.log('2. run start: POST /api/runs until k6 is spawned (30 runs)…');
  const starts = await runStartLatency(base, 30);
  console.log(
    `   p50 ${ms(quantile(starts, 0.5))}, p95 ${ms(quantile(starts, 0.95))}, max ${ms(Math.max(...starts))} (goal p95 < 300 ms)`,
  );
  console.log(`   server RSS after phases 1-2: ${rssMb(server.pid!).toFixed(1)} MB`);
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  console.log('3+4. 100 probes (jitter ≤ 10%, concurrency 8) in a runner process of their own…');
  const p = await probePhase();
  console.log(
    `   interval ${p.interval} s over ${p.seconds} s: ${p.started} runs started, ${p.skipped} skipped`,
  );
  console.log(
    `   lateness p50 ${ms(quantile(p.lateness, 0.5))}, p95 ${ms(quantile(p.lateness, 0.95))}, max ${ms(Math.max(...p.lateness))} (goal < 1 s)`,
  );
  console.log(`   peak RSS ${p.peakRssMb.toFixed(1)} MB (goal < 150 MB)`);
  console.log(
    `   load average during the bench: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${(await import('node:os')).cpus().length} cores`,
  );
}

await main();
