/**
 * docs/configuration.md names every environment variable each component's code reads, and only
 * those: each section says which code it describes (`<!-- code: paths -->`); the variables are
 * found in that code by how it reads them (`env.X`, `process.env.X`, `__ENV.X`, `env['X']`, the
 * catalog's `env: 'X'` and `name: 'X'`, `$X` / `${X:?…}` in YAML, and the `VIGIL_*` / `K6_*`
 * names the runner hands k6).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from '../src/paths.ts';

const DOC = path.join(REPO_DIR, 'docs', 'configuration.md');
/** What every process inherits; not configuration. */
const GENERIC = new Set(['PATH', 'HOME', 'LANG', 'TMPDIR', 'TZ', 'NAME', 'NODE_ENV', 'CI']);
/** Names that look like variables but are not read from an environment. */
const NOT_VARIABLES = new Set(['VIGIL_SUMMARY_JSON', 'ECDSA']);

const READS = [
  /(?:process\.env|\benv|__ENV)\.([A-Z][A-Z0-9_]+)/g,
  /\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g,
  /\benv:\s*'([A-Z][A-Z0-9_]+)'/g,
  /\bname:\s*'([A-Z][A-Z0-9_]+)'/g,
  /['"`]((?:VIGIL|K6)_[A-Z0-9_]+)['"`=]/g,
];
/** In YAML (Grafana provisioning, compose): `$X` and `${X:?…}`. */
const YAML_READS = [/\$\{?([A-Z][A-Z0-9_]+)/g];

function files(target: string): string[] {
  const full = path.join(REPO_DIR, target);
  if (statSync(full).isFile()) return [full];
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(full, f))
    .filter(
      (f) =>
        /\.(ts|tsx|mjs|js|ya?ml)$/.test(f) &&
        !f.includes('node_modules') &&
        // This test names variables as examples of what it looks for.
        f !== fileURLToPath(import.meta.url) &&
        statSync(f).isFile(),
    );
}

function readByCode(targets: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of targets.flatMap(files)) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of /\.ya?ml$/.test(file) ? YAML_READS : READS)
      for (const match of text.matchAll(pattern)) {
        const name = match[1]!;
        if (!GENERIC.has(name) && !NOT_VARIABLES.has(name) && name.length > 2) names.add(name);
      }
  }
  return names;
}

interface Section {
  title: string;
  code: string[];
  /** Every `NAME` in the section. */
  named: Set<string>;
  /** The names in the tables' first column: what the section claims the code reads. */
  claimed: Set<string>;
}

function sections(): Section[] {
  const text = readFileSync(DOC, 'utf8');
  return text
    .split(/^## /m)
    .slice(1)
    .map((chunk) => {
      const title = chunk.split('\n')[0]!;
      const code = /<!-- code: (.+?) -->/.exec(chunk)?.[1]?.split(/\s+/) ?? [];
      const names = (s: string) => new Set([...s.matchAll(/`([A-Z][A-Z0-9_]{2,})`/g)].map((m) => m[1]!));
      const firstColumns = chunk
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .map((line) => line.split('|')[1] ?? '')
        .join(' ');
      return { title, code, named: names(chunk), claimed: names(firstColumns) };
    });
}

describe('docs/configuration.md', () => {
  const all = sections();

  it('has a section for every component, each naming its code', () => {
    expect(all.map((s) => s.title.split(' ')[0])).toEqual(
      expect.arrayContaining(['`vigil', 'Runner', 'Reference', 'k6', 'Grafana', 'docker-compose']),
    );
    for (const section of all) expect(section.code.length, section.title).toBeGreaterThan(0);
  });

  it.each(all.map((s) => [s.title, s] as const))(
    '%s: names every variable its code reads',
    (_title, section) => {
      const read = readByCode(section.code);
      expect(read.size).toBeGreaterThan(0);
      const missing = [...read].filter((name) => !section.named.has(name));
      expect(missing, `read by ${section.code.join(', ')} but not documented`).toEqual([]);
    },
  );

  it.each(all.map((s) => [s.title, s] as const))(
    '%s: documents nothing its code no longer reads',
    (_title, section) => {
      const read = readByCode(section.code);
      const stale = [...section.claimed].filter((name) => !read.has(name));
      expect(stale, `documented but not read by ${section.code.join(', ')}`).toEqual([]);
    },
  );

  it('the check can fail: a variable the runner reads is found in its code', () => {
    expect(readByCode(['runner/src'])).toContain('VIGIL_RETENTION_DAYS');
    expect(readByCode(['scenarios/catalog'])).toContain('LOAD_VUS');
  });
});

describe('docs/examples/github-actions-release-gate.yml', () => {
  const file = path.join(REPO_DIR, 'docs', 'examples', 'github-actions-release-gate.yml');

  it('is a workflow whose vigil commands use only flags the CLI has', async () => {
    const { parse } = await import('yaml');
    const workflow = parse(readFileSync(file, 'utf8')) as {
      jobs: Record<string, { steps: Array<{ uses?: string; run?: string }> }>;
    };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    expect(steps.some((s) => s.uses?.startsWith('grafana/setup-k6-action@'))).toBe(true);
    expect(steps.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
    const commands = steps.map((s) => s.run ?? '').filter((run) => run.includes('npx vigil '));
    expect(commands.length).toBeGreaterThan(1);
    const { execFileSync } = await import('node:child_process');
    for (const command of commands) {
      const [, sub] = /npx vigil (\w+)/.exec(command)!;
      const help = execFileSync(
        process.execPath,
        [path.join(REPO_DIR, 'runner', 'bin', 'vigil.js'), sub!, '--help'],
        {
          encoding: 'utf8',
        },
      );
      for (const [flag] of command.matchAll(/--[a-z][a-z-]+/g))
        expect(help, `vigil ${sub} ${flag}`).toContain(flag);
    }
  });
});

describe('README.md', () => {
  const readme = readFileSync(path.join(REPO_DIR, 'README.md'), 'utf8');
  // table cells as Prettier pads them, read with single spaces
  const rows = (id: string) =>
    readme
      .split('\n')
      .map((line) => line.replace(/ {2,}/g, ' '))
      .filter((line) => line.startsWith(`| \`${id}\` |`));

  it('lists every scenario of the catalog with its kind and workloads, and every SLO with its objective', async () => {
    const { SCENARIOS } = await import('../../scenarios/catalog/scenarios.ts');
    const { SLOS } = await import('../../scenarios/catalog/slos.ts');
    for (const scenario of Object.values(SCENARIOS)) {
      const [row] = rows(scenario.id);
      expect(row, scenario.id).toBeDefined();
      expect(row).toContain(`| ${scenario.kind} |`);
      if (scenario.workloads.length < 6)
        for (const w of scenario.workloads) expect(row).toContain(`\`${w}\``);
    }
    for (const slo of SLOS) {
      const [row] = rows(slo.id);
      expect(row, slo.id).toBe(`| \`${slo.id}\` | ${slo.title} | ${slo.source} |`);
    }
  });

  it('names the commands that exist: npm start is vigil up, the test command is npm test', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe('vigil up');
    expect(readme).toContain('npm install && npm start');
    expect(readme).toMatch(/```sh\nnpm test\n```/);
  });
});
