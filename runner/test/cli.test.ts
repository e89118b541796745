/** The `vigil` CLI as a CI pipeline calls it (the k6 test double stands in for k6). */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FINDING_TEXT } from '@vigil/scenarios/catalog/findings-text.ts';
import { describe, expect, it } from 'vitest';
import { sarifErrors } from './sarif-schema.ts';
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

describe('vigil probe: spec findings', () => {
  const TARGET = 'http://127.0.0.1:9/mcp';
  const FINDINGS = { K6_TEST_DOUBLE_MODE: 'probe-findings' };
  const ISSUER = FINDING_TEXT.AS_ISSUER_MISMATCH;
  const NO_PRM = FINDING_TEXT.WWW_AUTHENTICATE_NO_RESOURCE_METADATA;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Json = any;

  it('prints the findings after the step table, high first, with evidence and fix; exit 0 by default', async () => {
    const out = join(tempDir(), 'p');
    const res = await vigil(['probe', '--target', TARGET, '--out', out], FINDINGS);
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.split('\n');
    const lastStep = lines.findIndex((l) => l.startsWith('| refresh | ok |'));
    const header = lines.indexOf('spec findings: 2 (1 high, 1 info)');
    const high = lines.findIndex((l) => l.startsWith('high   AS_ISSUER_MISMATCH at discovery: '));
    const info = lines.findIndex((l) =>
      l.startsWith('info   WWW_AUTHENTICATE_NO_RESOURCE_METADATA at discovery: '),
    );
    expect(lastStep).toBeGreaterThan(0);
    expect([lastStep < header, header < high, high < info]).toEqual([true, true, true]);
    expect(lines[high]).toBe(
      `high   AS_ISSUER_MISMATCH at discovery: ${ISSUER.title} [authorizationServer=http://127.0.0.1:1/tenant1 document=rfc8414 field=issuer metadataIssuer=http://127.0.0.1:1]`,
    );
    expect(lines[high + 1]).toMatch(/^ {7}fix: Make the metadata's `issuer` exactly/);
    expect(lines[info]).toContain(`${NO_PRM.title} [found=well-known header=www-authenticate status=401]`);
    expect(res.stdout).toContain(`       spec: ${ISSUER.spec.name}, ${ISSUER.spec.url}`);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain(
      '<testcase classname="vigil.probe.findings" name="AS_ISSUER_MISMATCH"><system-out>',
    );
    expect(junit).not.toContain('<failure');
    const none = await vigil(['probe', '--target', TARGET, '--out', out, '--fail-on', 'none'], FINDINGS);
    expect(none.code, none.stderr).toBe(0);
    const clean = await vigil([
      'probe',
      '--target',
      TARGET,
      '--out',
      join(tempDir(), 'p'),
      '--fail-on',
      'info',
    ]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain('no spec findings');
  });

  it('--fail-on: exit 1 when a finding is that severe or worse, though the walk passed', async () => {
    const out = join(tempDir(), 'p');
    const high = await vigil(['probe', '--target', TARGET, '--out', out, '--fail-on', 'high'], FINDINGS);
    expect(high.code, high.stderr).toBe(1);
    expect(high.stdout).toContain('--fail-on high: 1 finding at or above high');
    expect(high.stdout).toMatch(/^passed — reports in /m);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).probe.ok).toBe(true);
    const json = await vigil(
      ['probe', '--target', TARGET, '--out', out, '--fail-on', 'medium', '--json'],
      FINDINGS,
    );
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).summary.probe.findings).toHaveLength(2);
  });

  it('--strict puts STRICT on the k6 command line; the walk then fails on the findings', async () => {
    const record = join(tempDir(), 'record.jsonl');
    const strict = await vigil(
      ['probe', '--target', TARGET, '--out', join(tempDir(), 'p'), '--strict', 'high'],
      {
        ...FINDINGS,
        K6_TEST_DOUBLE_RECORD: record,
      },
    );
    const plain = await vigil(['probe', '--target', TARGET, '--out', join(tempDir(), 'p')], {
      ...FINDINGS,
      K6_TEST_DOUBLE_RECORD: record,
    });
    const [withStrict, without] = readFileSync(record, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { argv: string[]; env: Record<string, string> });
    const argv = withStrict!.argv;
    expect(argv[argv.indexOf('STRICT=high') - 1]).toBe('-e');
    expect(without!.env).not.toHaveProperty('STRICT');
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('| discovery | FAILED | 10 | strict_finding: AS_ISSUER_MISMATCH |');
    expect(strict.stdout).toContain('strict: high or worse fail the walk');
    expect(plain.code).toBe(0);
  });

  it('bad --fail-on and --strict values are usage errors (exit 2) naming the choices', async () => {
    for (const [flag, value] of [
      ['--fail-on', 'bogus'],
      ['--fail-on', 'true'],
      ['--strict', 'bogus'],
      ['--strict', 'none'],
    ] as const) {
      const out = join(tempDir(), 'p');
      const res = await vigil(['probe', '--target', TARGET, '--out', out, flag, value], FINDINGS);
      expect(res.code, `${flag} ${value}`).toBe(2);
      expect(res.stderr).toContain(flag);
      expect(res.stderr).toContain(
        flag === '--strict' ? 'true, info, low, medium, high' : 'none, info, low, medium, high',
      );
      expect(existsSync(out)).toBe(false);
    }
  });

  it('report.md, junit.xml and --sarif carry the findings; nothing secret from the run gets in', async () => {
    const dir = tempDir();
    const out = join(dir, 'p');
    const sarifFile = join(dir, 'sarif', 'vigil.sarif');
    const target = `${TARGET}?api_key=query-secret-77#frag-secret`;
    const res = await vigil(
      [
        'probe',
        '--target',
        target,
        '--client-id',
        'c1',
        '--out',
        out,
        '--fail-on',
        'medium',
        '--sarif',
        sarifFile,
      ],
      { ...FINDINGS, CLIENT_SECRET: SECRET },
    );
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toContain(`SARIF in ${sarifFile}`);

    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain(
      '## Spec findings\n\n| severity | code | step | title | evidence | fix | spec |',
    );
    const rows = report.split('\n').filter((l) => /^\| (high|medium|low|info) \|/.test(l));
    expect(rows).toEqual([
      `| high | AS_ISSUER_MISMATCH | discovery | ${ISSUER.title.replace(/\|/g, '\\|')} | authorizationServer=http://127.0.0.1:1/tenant1 document=rfc8414 field=issuer metadataIssuer=http://127.0.0.1:1 | ${ISSUER.fix} | [${ISSUER.spec.name}](${ISSUER.spec.url}) |`,
      `| info | WWW_AUTHENTICATE_NO_RESOURCE_METADATA | discovery | ${NO_PRM.title} | found=well-known header=www-authenticate status=401 | ${NO_PRM.fix} | [${NO_PRM.spec.name}](${NO_PRM.spec.url}) |`,
    ]);
    expect(report).toContain('`--fail-on medium`: **1** finding at or above medium fails the run (exit 1).');

    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    const cases = [
      ...junit.matchAll(/<testcase classname="vigil\.probe\.findings" name="([^"]+)">(<failure)?/g),
    ];
    expect(cases.map((m) => [m[1], Boolean(m[2])])).toEqual([
      ['AS_ISSUER_MISMATCH', true],
      ['WWW_AUTHENTICATE_NO_RESOURCE_METADATA', false],
    ]);
    expect(junit).toContain('<testsuite name="vigil.probe.findings" tests="2" failures="1"');

    const sarif: Json = JSON.parse(readFileSync(sarifFile, 'utf8'));
    expect(sarifErrors(sarif)).toEqual([]);
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('Vigil probe');
    expect(run.tool.driver.rules.map((r: Json) => [r.id, r.defaultConfiguration.level, r.helpUri])).toEqual([
      ['AS_ISSUER_MISMATCH', 'error', ISSUER.spec.url],
      ['WWW_AUTHENTICATE_NO_RESOURCE_METADATA', 'note', NO_PRM.spec.url],
    ]);
    expect(
      run.results.map((r: Json) => [
        r.ruleId,
        r.level,
        r.locations[0].physicalLocation.artifactLocation.uri,
        r.locations[0].logicalLocations[0].name,
      ]),
    ).toEqual([
      ['AS_ISSUER_MISMATCH', 'error', TARGET, 'discovery'],
      ['WWW_AUTHENTICATE_NO_RESOURCE_METADATA', 'note', TARGET, 'discovery'],
    ]);
    expect(run.results[0].properties.evidence).toEqual({
      field: 'issuer',
      metadataIssuer: 'http://127.0.0.1:1',
      authorizationServer: 'http://127.0.0.1:1/tenant1',
      document: 'rfc8414',
    });
    expect(run.invocations[0].executionSuccessful).toBe(true);
    // The validation can fail: a level outside the schema's enum is refused.
    const broken = structuredClone(sarif);
    broken.runs[0].results[0].level = 'bogus';
    expect(sarifErrors(broken).length).toBeGreaterThan(0);

    // The double echoes CLIENT_SECRET on stdout (→ k6.log) and the target carries a key in its query.
    const files = readdirSync(out).map((f) => join(out, f));
    expect(files.map((f) => f.slice(out.length + 1)).sort()).toEqual([
      'junit.xml',
      'k6.log',
      'report.md',
      'summary.json',
    ]);
    for (const file of [...files, sarifFile]) {
      const text = readFileSync(file, 'utf8');
      for (const secret of [SECRET, 'query-secret-77', 'frag-secret'])
        expect(text, file).not.toContain(secret);
    }
    for (const text of [res.stdout, res.stderr])
      for (const secret of [SECRET, 'query-secret-77', 'frag-secret']) expect(text).not.toContain(secret);
  });
});
