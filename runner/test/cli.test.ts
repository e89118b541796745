/** The `vigil` CLI as a CI pipeline calls it (the k6 test double stands in for k6). */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXTURE_SCENARIOS, K6_DOUBLE, tempDir } from './support/test-runner.ts';

const BIN = fileURLToPath(new URL('../bin/vigil.js', import.meta.url));
const SECRET = 'cli-secret-value-42';

/** Runs the CLI as a child process (asynchronously, so the test worker stays responsive). */
function vigil(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {
      PATH: process.env.PATH,
      K6_BIN: K6_DOUBLE,
      VIGIL_SCENARIOS_DIR: FIXTURE_SCENARIOS,
      K6_TEST_DOUBLE_DURATION_MS: '50',
      ...env,
    },
    timeout: 60_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('vigil run', () => {
  it('passes: exit 0, writes summary.json, report.md and junit.xml', async () => {
    const out = join(tempDir(), 'out');
    const res = await vigil(
      [
        'run',
        'oauth',
        '--target',
        'http://127.0.0.1:9/mcp',
        '--set',
        'vus=2',
        '--client-id',
        'c1',
        '--out',
        out,
      ],
      { CLIENT_SECRET: SECRET },
    );
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.ok).toBe(true);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('## Thresholds');
    expect(report).toContain('| oauth_auth_flow_duration | 40.0 | 80.0 | 100.0 |');
    expect(report).toContain('| passed | oauth_auth_flow_duration | p(95) = 80.0 ms | `p(95)<200` |');
    expect(report).not.toContain('## Failed checks');
    expect(report).not.toContain('## Top errors');
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain('tests="2" failures="0"');
    expect(junit).not.toContain('<failure');
    for (const text of [res.stdout, res.stderr, report, junit, readFileSync(join(out, 'k6.log'), 'utf8')])
      expect(text).not.toContain(SECRET);
  });

  it('thresholds failed: exit 1 and a JUnit failure per failed threshold', async () => {
    const out = join(tempDir(), 'out');
    const res = await vigil(['run', 'oauth', '--target', 'http://127.0.0.1:9/mcp', '--out', out, '--json'], {
      K6_TEST_DOUBLE_MODE: 'thresholds',
    });
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout)).toMatchObject({ status: 'failed', exitCode: 99 });
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain('failures="1"');
    expect(junit).toContain(
      '<failure message="oauth_auth_flow_duration: p(95) = 800.0 ms, threshold p(95)&lt;200 not met">',
    );
    const failure = /<failure message="[^"]*">([^<]*)<\/failure>/.exec(junit)?.[1] ?? '';
    expect(failure.split('\n')).toEqual([
      'Top errors:',
      '  oauth_errors reason server_error: 2',
      '  oauth_errors status 503: 2',
      '  oauth_errors step authorization: 2',
      'Failed checks:',
      '  authorization flow yields tokens: 2 failed, 8 passed',
    ]);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    // The measured value beside the bound, the failed threshold first.
    const rows = report.split('\n').filter((l) => /^\| (passed|\*\*FAILED\*\*) \|/.test(l));
    expect(rows).toEqual([
      '| **FAILED** | oauth_auth_flow_duration | p(95) = 800.0 ms | `p(95)<200` |',
      '| passed | oauth_success | rate = 0.900 | `rate>=0.85` |',
    ]);
    expect(report).toContain(
      '## Failed checks\n\n| check | fails | passes |\n|---|---:|---:|\n| authorization flow yields tokens | 2 | 8 |',
    );
    expect(report).toContain('## Top errors');
    expect(report).toContain(
      '### By reason\n\n| counter | reason | count |\n|---|---|---:|\n| oauth_errors | server_error | 2 |',
    );
    expect(report).toContain(
      '### By step\n\n| counter | step | count |\n|---|---|---:|\n| oauth_errors | authorization | 2 |',
    );
    expect(report).toContain('| oauth_errors | 503 | 2 |');
  });

  it('usage errors: exit 2 naming the problem', async () => {
    expect((await vigil(['run', 'nope', '--target', 'http://127.0.0.1/'])).code).toBe(2);
    const bad = await vigil(['run', 'oauth', '--target', 'http://127.0.0.1/', '--set', 'vus=0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('overrides.vus');
    expect((await vigil(['run', 'oauth', '--target', 'http://169.254.169.254/'])).code).toBe(2);
    expect((await vigil(['run', 'oauth'])).code).toBe(2);
    expect((await vigil(['run', 'oauth', '--target', 'http://127.0.0.1/', '--profile', 'giant'])).code).toBe(
      2,
    );
  });

  it('k6 missing or a script error: exit 3', async () => {
    const missingOut = join(tempDir(), 'o');
    const missing = await vigil(['run', 'oauth', '--target', 'http://127.0.0.1:9/', '--out', missingOut], {
      K6_BIN: '/nonexistent/k6',
    });
    expect(missing.code).toBe(3);
    expect(missing.stdout).toContain('k6 executable not found');
    expect(missing.stdout).toContain('no reports written');
    expect(existsSync(missingOut)).toBe(false);
    expect(
      (
        await vigil(['run', 'oauth', '--target', 'http://127.0.0.1:9/', '--out', join(tempDir(), 'o')], {
          K6_TEST_DOUBLE_MODE: 'exception',
        })
      ).code,
    ).toBe(3);
  });
});

describe('vigil probe and scenarios', () => {
  it('prints the step table and exits 1 when a step failed', async () => {
    const res = await vigil(['probe', '--target', 'http://127.0.0.1:9/mcp', '--out', join(tempDir(), 'p')], {
      K6_TEST_DOUBLE_MODE: 'probe-fail',
    });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('| tools_call | FAILED | 16 | tool_error: isError: true |');
    expect(res.stdout).toContain('| discovery | ok |');
    const ok = await vigil(['probe', '--target', 'http://127.0.0.1:9/mcp', '--out', join(tempDir(), 'p')]);
    expect(ok.code).toBe(0);
  });

  it('a passing probe report shows its steps and compliance checks, not the run-wide figures', async () => {
    const out = join(tempDir(), 'p');
    const res = await vigil(['probe', '--target', 'http://127.0.0.1:9/mcp', '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).metrics).toHaveProperty(
      'iteration_duration',
    );
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('## Probe steps\n\n| step | result | ms | detail |');
    expect(report).toContain('| discovery | ok | 10 |  |');
    expect(report).toContain('| refresh | ok | 17 |  |');
    expect(report).toContain(
      '## Compliance\n\n| check | result |\n|---|---|\n| S256 advertised | ok |\n| 401 carries resource_metadata | ok |',
    );
    expect(report).toContain(`- tools/list: 3 tools, sha256 \`${'a'.repeat(64)}\``);
    expect(report).not.toContain('iteration_duration');
    expect(report).not.toContain('http_req_failed');
    expect(report).not.toContain('## Key metrics');
  });

  it('lists scenarios; --help works everywhere', async () => {
    const res = await vigil(['scenarios']);
    expect(res.code).toBe(0);
    for (const id of ['oauth', 'mcp', 'comprehensive', 'probe']) expect(res.stdout).toContain(id);
    for (const args of [
      ['--help'],
      ['run', '--help'],
      ['probe', '--help'],
      ['serve', '--help'],
      ['scenarios', '--help'],
    ]) {
      const help = await vigil(args);
      expect(help.code, args.join(' ')).toBe(0);
      expect(help.stdout).toContain('Usage: vigil');
    }
  });

  it('serve refuses to start without a token, naming the flag that exists', async () => {
    const res = await vigil(['serve', '--port', '0', '--data-dir', tempDir()]);
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('VIGIL_TOKEN');
    expect(res.stderr).toContain('--token-file');
    expect(res.stderr).not.toMatch(/--token\b(?!-file)/);
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const res = await vigil([flag]);
      expect(res.code).toBe(0);
      expect(res.stdout.trim()).toBe(version);
    }
  });

  it('what serve, run and probe write by default is git-ignored', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const paths = [
      'runner/vigil-data/vigil.db',
      'vigil-results/report.md',
      'vigil-probe/summary.json',
      'results/junit.xml',
    ];
    const child = spawn('git', ['check-ignore', ...paths], { cwd: root });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').sort()).toEqual([...paths].sort());
  });
});
