/**
 * `npm run bench -w scenarios`: what each shipped script costs k6, in figures that do not need a k6
 * binary. k6 builds every module of a script again in every VU and pays per sample and per tag set
 * in its interpreter, so this prints, per script, the modules and bytes of JavaScript it loads
 * (esbuild's metafile over the script's import graph), and per workload the custom metric samples,
 * distinct tag sets, checks and HTTP requests of one iteration (counted through the test-only k6
 * adapter against the real reference server). Real k6 memory and CPU are measured outside CI.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { runK6Script } from '@vigil/k6-adapter';
import { startTarget } from '@vigil/reference-server';
import { freePort, startRedis } from '@vigil/testkit';
import { K6_METRICS, SCENARIOS, WORKLOADS, type ScenarioId } from '../catalog/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CUSTOM = new Set<string>(Object.values(K6_METRICS).map((m) => m.name));

export interface ModuleCost {
  modules: number;
  sourceBytes: number;
  /** The script as one esbuild bundle (types stripped, not minified): what k6 compiles per VU. */
  bundleBytes: number;
  largest: Array<{ path: string; bytes: number }>;
}

async function build(script: string) {
  return esbuild.build({
    entryPoints: [path.join(ROOT, script)],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'neutral',
    external: ['k6', 'k6/*'],
    logLevel: 'silent',
  });
}

/** The modules a script loads, relative to scenarios/ (k6 and k6/* are k6's own). */
export async function moduleGraph(script: string): Promise<string[]> {
  const result = await build(script);
  return Object.keys(result.metafile.inputs).map((file) => path.relative(ROOT, path.resolve(file)));
}

/** The import graph of a script as k6 loads it (k6 and k6/* are k6's own modules). */
export async function moduleCost(script: string): Promise<ModuleCost> {
  const result = await build(script);
  const inputs = Object.entries(result.metafile.inputs).map(([file, info]) => ({
    path: path.relative(ROOT, path.resolve(file)),
    bytes: info.bytes,
  }));
  return {
    modules: inputs.length,
    sourceBytes: inputs.reduce((sum, i) => sum + i.bytes, 0),
    bundleBytes: result.outputFiles.reduce((sum, f) => sum + f.contents.length, 0),
    largest: inputs.sort((a, b) => b.bytes - a.bytes).slice(0, 5),
  };
}

export interface IterationCost {
  workload: string;
  iterations: number;
  customSamples: number;
  tagSets: number;
  checks: number;
  httpRequests: number;
}

interface RunCounts {
  iterations: number;
  customSamples: number;
  tagSets: Set<string>;
  checks: number;
  httpRequests: number;
}

async function countRun(
  scenario: ScenarioId,
  workload: string,
  mcpUrl: string,
  iterations: number,
): Promise<RunCounts> {
  const result = await runK6Script({
    script: path.join(ROOT, SCENARIOS[scenario].script),
    env: { MCP_URL: mcpUrl, PROFILE: 'smoke', WORKLOADS: workload, STREAM_HOLD_SECONDS: '1' },
    maxIterationsPerScenario: iterations,
    scenarios: [workload],
    timeoutMs: 60_000,
  });
  const counts: RunCounts = {
    iterations: result.metrics.iterations?.samples.length ?? 0,
    customSamples: 0,
    tagSets: new Set(),
    checks: 0,
    httpRequests: result.requests.length,
  };
  for (const [name, metric] of Object.entries(result.metrics)) {
    if (name === 'checks') counts.checks = metric.samples.length;
    if (!CUSTOM.has(name)) continue;
    counts.customSamples += metric.samples.length;
    for (const sample of metric.samples) counts.tagSets.add(`${name}${JSON.stringify(sample.tags)}`);
  }
  return counts;
}

/**
 * One workload's marginal cost per iteration: (three iterations − one) / 2, so setup() and a VU's
 * first-iteration work (its tokens, its session) are left out. The probe is one walk in setup():
 * its figures are the whole run.
 */
export async function iterationCost(
  scenario: ScenarioId,
  workload: string,
  mcpUrl: string,
): Promise<IterationCost> {
  const one = await countRun(scenario, workload, mcpUrl, 1);
  if (scenario === 'probe')
    return {
      workload,
      iterations: 1,
      customSamples: one.customSamples,
      tagSets: one.tagSets.size,
      checks: one.checks,
      httpRequests: one.httpRequests,
    };
  const three = await countRun(scenario, workload, mcpUrl, 3);
  // A shape with a fixed iteration count runs as many either way: then the whole run per iteration.
  const extra = three.iterations - one.iterations;
  const per = (a: number, b: number) => (extra > 0 ? (b - a) / extra : b / Math.max(1, three.iterations));
  return {
    workload,
    iterations: three.iterations,
    customSamples: per(one.customSamples, three.customSamples),
    tagSets: three.tagSets.size,
    checks: per(one.checks, three.checks),
    httpRequests: per(one.httpRequests, three.httpRequests),
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  console.log('# Script cost (k6 loads every module per VU)\n');
  console.log('| script | modules | source | one bundle | largest modules |');
  console.log('|---|---:|---:|---:|---|');
  for (const scenario of Object.values(SCENARIOS)) {
    const cost = await moduleCost(scenario.script);
    const largest = cost.largest.map((m) => `${m.path} ${kb(m.bytes)}`).join(', ');
    console.log(
      `| ${scenario.script} | ${cost.modules} | ${kb(cost.sourceBytes)} | ${kb(cost.bundleBytes)} | ${largest} |`,
    );
  }

  const redis = await startRedis();
  const target = await startTarget({ port: await freePort(), redisUrl: redis.url, logLevel: 'silent' });
  try {
    console.log(
      "\n# Per iteration (through the adapter; marginal: setup and a VU's first iteration excluded; the probe: its one walk)\n",
    );
    console.log('| scenario | workload | custom samples | tag sets (run) | checks | HTTP requests |');
    console.log('|---|---|---:|---:|---:|---:|');
    for (const scenario of ['oauth', 'mcp', 'probe'] as const) {
      for (const workload of SCENARIOS[scenario].workloads) {
        const c = await iterationCost(scenario, workload, target.mcpUrl);
        console.log(
          `| ${scenario} | ${workload} (${WORKLOADS[workload].flow}) | ${c.customSamples.toFixed(1)} | ${c.tagSets} | ${c.checks.toFixed(1)} | ${c.httpRequests.toFixed(1)} |`,
        );
      }
    }
  } finally {
    await target.close();
    await redis.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
