import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT, runK6Script } from '../src/index.ts';
import { startFixtureServer } from './support/fixture-server.ts';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/lifecycle.ts');
const run = (mode: string) => runK6Script({ script, env: { MODE: mode } });

describe('k6 run semantics: exceptions, abort, fail, thresholds', () => {
  it('runs setup once, passes its data to iterations and teardown, exit 0', async () => {
    const result = await run('ok');
    expect(result.exitCode).toBe(EXIT.ok);
    expect(result.checks).toEqual([
      { name: 'setup data arrives', passes: 3, fails: 0 },
      { name: 'open() read the file next to the script', passes: 3, fails: 0 },
    ]);
    expect(result.metrics.iterations!.values.count).toBe(3);
    expect(result.logs.some((l) => l.includes('teardown saw from-setup'))).toBe(true);
  });

  it('logs an exception inside an iteration and keeps exit 0 when no threshold catches it', async () => {
    const result = await run('iteration-throw-bare');
    expect(result.iterationErrors).toEqual(['Error: iteration 1 exploded']);
    expect(
      result.logs.some(
        (l) => l.startsWith('ERRO') && l.includes('iteration 1 exploded') && l.includes('source=stacktrace'),
      ),
    ).toBe(true);
    expect(result.metrics.iterations!.values.count).toBe(3);
    expect(result.exitCode).toBe(EXIT.ok);
  });

  it('fails the run (99) when a count==N threshold sees the walk die', async () => {
    const result = await run('iteration-throw');
    expect(result.iterationErrors).toEqual(['Error: iteration 1 exploded']);
    // The count==3 threshold on completed walks is what turns the dead iteration into a failed run.
    expect(result.thresholds).toEqual([{ metric: 'fixture_completed', expression: 'count==3', ok: false }]);
    expect(result.exitCode).toBe(EXIT.thresholds);
  });

  it('exits 107 on an exception in init or setup, and in teardown', async () => {
    for (const mode of ['init-throw', 'setup-throw', 'teardown-throw']) {
      const result = await run(mode);
      expect(result.exitCode, mode).toBe(EXIT.scriptException);
      expect(result.logs.join('\n'), mode).toContain('exploded');
    }
    const setupFailed = await run('setup-throw');
    expect(setupFailed.metrics.iterations).toBeUndefined();
  });

  it('exits 108 on exec.test.abort() and stops iterating', async () => {
    const result = await run('abort');
    expect(result.exitCode).toBe(EXIT.aborted);
    expect(result.metrics.fixture_completed!.values.count).toBe(1);
    expect(result.logs.some((l) => l.includes('test aborted: enough'))).toBe(true);
    expect((await run('setup-abort')).exitCode).toBe(EXIT.aborted);
  });

  it('exits 110 on exec.test.fail() but runs every iteration', async () => {
    const result = await run('fail');
    expect(result.exitCode).toBe(EXIT.markedFailed);
    expect(result.metrics.fixture_completed!.values.count).toBe(3);
  });

  it('exits 104 on an invalid threshold (wrong aggregation, unknown metric)', async () => {
    for (const mode of ['bad-threshold', 'unknown-metric']) {
      const result = await run(mode);
      expect(result.exitCode, mode).toBe(EXIT.invalidConfig);
    }
  });

  it('caps iterations and honours maxIterationsPerScenario', async () => {
    const result = await runK6Script({ script, env: { MODE: 'ok' }, maxIterationsPerScenario: 2 });
    expect(result.metrics.iterations!.values.count).toBe(2);
    expect(result.thresholds[0]!.ok).toBe(false);
  });

  it('refuses an async group callback, as k6 1.x does', async () => {
    const result = await run('async-group');
    expect(result.iterationErrors).toEqual(
      Array(3).fill('Error: group() does not support async functions as arguments'),
    );
  });

  it('ends the iteration on an unhandled promise rejection, as k6 does', async () => {
    const result = await run('unhandled-rejection');
    expect(result.iterationErrors).toEqual(['Error: nobody awaited me']);
    expect(result.logs.some((l) => l.includes('Uncaught (in promise) Error: nobody awaited me'))).toBe(true);
    expect(result.metrics.fixture_completed).toBeUndefined();
    expect(result.exitCode).toBe(EXIT.ok);
  });

  it('stops at timeoutMs with exit 105 even inside blocking calls, keeping the logs', async () => {
    const server = await startFixtureServer();
    try {
      const started = Date.now();
      const result = await runK6Script({
        script,
        env: { MODE: 'hang', BASE_URL: server.baseUrl },
        sleepScale: 1,
        timeoutMs: 1_500,
      });
      expect(result.exitCode).toBe(EXIT.timeout);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(result.logs.some((l) => l.includes('exceeded timeoutMs'))).toBe(true);
      expect(result.requests.map((r) => r.tags.name)).toContain('GET /slow');
    } finally {
      await server.close();
    }
  });
});
