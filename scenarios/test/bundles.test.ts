/**
 * What k6 loads per VU: the shipped bundles are fresh (what `npm run bundle -w scenarios` makes of
 * the sources), no shipped script pulls in catalog code only Node consumers use (PromQL, the
 * dashboards' ids, the findings' texts, the env documentation, the catalog's index), and a bundle
 * runs the same walk as its source.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startRedis, type Service } from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleGraph } from '../bench/script-cost.ts';
import { SCENARIOS } from '../catalog/index.ts';
import { bundleOf } from '../tools/bundle.ts';
import { runK6Script } from '@vigil/k6-adapter';
import { SCENARIOS_DIR, startStack, TEST_TIMEOUT_MS, type Stack } from './support/harness.ts';

/** Catalog modules for Node consumers only (alert rules, dashboards, the runner's API, docs). */
const NODE_ONLY = [
  'catalog/index.ts',
  'catalog/promql.ts',
  'catalog/dashboards.ts',
  'catalog/findings-text.ts',
  'catalog/env.ts',
];

describe('the shipped bundles', () => {
  it.each(Object.values(SCENARIOS).map((s) => [s.bundle, s] as const))(
    '%s is what npm run bundle -w scenarios makes of the sources',
    async (file, scenario) => {
      expect(readFileSync(path.join(SCENARIOS_DIR, file), 'utf8')).toBe(await bundleOf(scenario));
    },
  );

  it.each(Object.values(SCENARIOS).map((s) => [s.script] as const))(
    '%s loads no catalog code that only Node consumers use',
    async (script) => {
      const graph = await moduleGraph(script);
      expect(graph).toContain('lib/http.ts');
      for (const file of NODE_ONLY) expect(graph, `${script} loads ${file}`).not.toContain(file);
    },
  );

  it('the check can fail: the catalog index pulls in PromQL and the dashboards', async () => {
    const graph = await moduleGraph('catalog/index.ts');
    expect(graph).toContain('catalog/promql.ts');
    expect(graph).toContain('catalog/dashboards.ts');
  });
});

describe('a bundle runs as its source does', () => {
  let redis: Service;
  let stack: Stack;
  beforeAll(async () => {
    redis = await startRedis();
    stack = await startStack(redis.url as string);
  });
  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  });

  it(
    'bundles/probe.js walks the reference server to exit 0',
    async () => {
      const result = await runK6Script({
        script: path.join(SCENARIOS_DIR, SCENARIOS.probe.bundle),
        env: { MCP_URL: stack.mcpUrl, STREAM_HOLD_SECONDS: '1' },
        timeoutMs: 45_000,
      });
      expect(result.exitCode, result.logs.join('\n')).toBe(0);
      expect(result.checks.find((c) => c.name === 'probe walk completed every step')).toMatchObject({
        fails: 0,
      });
    },
    TEST_TIMEOUT_MS,
  );
});
