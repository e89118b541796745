/**
 * Bench phase run in its own process (so RSS is the runner's alone): 100 probes on the real
 * scheduler and run manager, k6 replaced by a shell double. Prints one JSON line.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createRunner } from '../src/app.ts';
import { benchConfig } from './config.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const interval = Number(process.env.BENCH_PROBE_INTERVAL ?? 30);
const seconds = Number(process.env.BENCH_PROBE_SECONDS ?? 65);

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-probes-'));
const runner = await createRunner(benchConfig(dir, join(here, 'k6-bench-double.sh')), {
  logger: pino({ level: 'warn' }),
});
await runner.listen();
const target = runner.store.insertTarget({
  id: 'tgt_bench',
  name: 'bench',
  mcpUrl: 'http://127.0.0.1:9/mcp',
  auth: {},
  sealedSecrets: null,
  secretFields: [],
});
for (let i = 0; i < 100; i++) {
  const probe = runner.store.insertProbe({
    id: `prb_${i}`,
    name: `probe-${i}`,
    targetId: target.id,
    intervalSeconds: interval,
    timeoutSeconds: 5,
    enabled: true,
    strict: 'off',
  });
  runner.probes.sync(probe);
}
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
await new Promise((r) => setTimeout(r, seconds * 1000));
clearInterval(sampler);
const { latenessMs, started, skipped } = runner.probes.scheduler.stats;
const result = {
  interval,
  seconds,
  lateness: [...latenessMs],
  started,
  skipped,
  peakRssMb: peakRss / 1024 / 1024,
};
await runner.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
