/**
 * docker-compose.yml as CI can check it without a Docker engine: Debian's `docker-compose config`
 * accepts it (and refuses it without the secrets), every image is pinned to a version, every file
 * it mounts or builds from exists, Prometheus starts with the flags of flags.txt, and the secrets
 * come from .env only.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPOSE_FILE } from '../src/compose.ts';
import { REPO_DIR, SHIPPED } from '../src/paths.ts';

const run = promisify(execFile);
const DOCKER_COMPOSE = process.env.DOCKER_COMPOSE_BIN ?? 'docker-compose';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; target: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(COMPOSE_FILE, 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = Object.entries(compose.services);

/** A reference is pinned when it names a version tag (not latest) or a digest. */
function pinned(image: string): boolean {
  if (image.includes('@sha256:')) return true;
  const tag = image.split('/').at(-1)!.split(':')[1];
  return Boolean(tag) && tag !== 'latest' && /\d/.test(tag!);
}

async function composeConfig(envFile: string): Promise<{ ok: boolean; output: string }> {
  try {
    // Only the env file speaks: the test's own environment must not fill a variable in.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(VIGIL_|GRAFANA_)/.test(k)),
    );
    const { stdout, stderr } = await run(
      DOCKER_COMPOSE,
      ['--env-file', envFile, '-f', COMPOSE_FILE, 'config', '-q'],
      {
        cwd: REPO_DIR,
        env,
      },
    );
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: string };
    if (e.code === 'ENOENT')
      throw new Error(`${DOCKER_COMPOSE} not found: apt install docker-compose (or set DOCKER_COMPOSE_BIN)`);
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('docker-compose.yml', () => {
  it('passes docker-compose config with the variables of .env.example', async () => {
    const result = await composeConfig(path.join(REPO_DIR, '.env.example'));
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('is refused without the secrets, naming what to do', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-no-env-'));
    const empty = path.join(dir, 'empty.env');
    await writeFile(empty, '');
    const result = await composeConfig(empty).finally(() => rm(dir, { recursive: true, force: true }));
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/VIGIL_\w+|GRAFANA_ADMIN_PASSWORD/);
    expect(result.output).toContain('make-env.sh');
  });

  it('pins every image, in the compose file and the Dockerfile', () => {
    for (const [name, service] of services) {
      expect(service.image, `${name} has an image`).toBeTruthy();
      expect(pinned(service.image!), `${name}: ${service.image}`).toBe(true);
    }
    const dockerfile = readFileSync(path.join(REPO_DIR, 'stack/docker/Dockerfile'), 'utf8');
    const stages = new Set([...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]));
    const references = [
      ...[...dockerfile.matchAll(/^FROM\s+(\S+)/gim)].map((m) => m[1]!),
      ...[...dockerfile.matchAll(/--from=(\S+)/g)].map((m) => m[1]!),
    ].filter((ref) => !stages.has(ref));
    expect(references.length).toBeGreaterThan(3);
    for (const ref of references) expect(pinned(ref), ref).toBe(true);
    // Node images on a supported LTS (the development machines' Node 20 is past its end of life).
    for (const ref of references.filter((r) => r.startsWith('node:'))) expect(ref).toMatch(/^node:(22|24)\./);
  });

  it('the images it builds carry the package version', () => {
    const { version } = JSON.parse(readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8')) as {
      version: string;
    };
    for (const [name, service] of services.filter(([, s]) => s.build))
      expect(service.image, name).toMatch(new RegExp(`^vigil/[a-z-]+:${version.replace(/\./g, '\\.')}$`));
  });

  it('mounts and builds from files that exist', () => {
    const named = new Set(Object.keys(compose.volumes));
    let mounts = 0;
    for (const [name, service] of services) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (named.has(source)) continue;
        mounts++;
        expect(existsSync(path.join(REPO_DIR, source)), `${name} mounts ${source}`).toBe(true);
      }
      if (service.build) {
        expect(existsSync(path.join(REPO_DIR, service.build.context, service.build.dockerfile)), name).toBe(
          true,
        );
        const dockerfile = readFileSync(path.join(REPO_DIR, service.build.dockerfile), 'utf8');
        expect(dockerfile, `${name} builds target ${service.build.target}`).toMatch(
          new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${service.build.target}$`, 'm'),
        );
      }
    }
    expect(mounts).toBeGreaterThan(5);
    const dockerfile = readFileSync(path.join(REPO_DIR, 'stack/docker/Dockerfile'), 'utf8');
    for (const [, source] of dockerfile.matchAll(/^COPY\s+(?!--from)(\S+)\s/gm))
      expect(existsSync(path.join(REPO_DIR, source!)), `Dockerfile copies ${source}`).toBe(true);
  });

  it('starts Prometheus with the flags of provisioning/prometheus/flags.txt', () => {
    const flags = readFileSync(SHIPPED.prometheusFlags, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('--'));
    expect(compose.services.prometheus!.command).toEqual(flags);
  });

  it('has a healthcheck on every long-running service and waits on healthy dependencies', () => {
    for (const [name, service] of services.filter(([n]) => n !== 'bootstrap'))
      expect(service.healthcheck?.test.length, name).toBeGreaterThan(1);
    for (const [name, service] of services)
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {}))
        expect(condition, `${name} → ${dependency}`).toBe('service_healthy');
  });

  it('publishes ports on loopback only', () => {
    for (const [name, service] of services)
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
  });

  it('takes every secret from .env, which git ignores; .env.example lists exactly those', () => {
    const text = readFileSync(COMPOSE_FILE, 'utf8');
    const fromEnv = new Set([...text.matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]!));
    const example = readFileSync(path.join(REPO_DIR, '.env.example'), 'utf8');
    const listed = new Set([...example.matchAll(/^(\w+)=/gm)].map((m) => m[1]!));
    expect([...fromEnv].sort()).toEqual([...listed].sort());
    for (const service of Object.values(compose.services))
      for (const [key, value] of Object.entries(service.environment ?? {}))
        if (/TOKEN|SECRET|PASSWORD/.test(key)) expect(value, key).toMatch(/^\$\{\w+:\?/);
    expect(readFileSync(path.join(REPO_DIR, '.gitignore'), 'utf8').split('\n')).toContain('.env');
  });
});

describe('stack/compose/make-env.sh', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-make-env-'));
    await mkdir(path.join(dir, 'stack', 'compose'), { recursive: true });
    await copyFile(
      path.join(REPO_DIR, 'stack/compose/make-env.sh'),
      path.join(dir, 'stack/compose/make-env.sh'),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every variable of .env.example with 32 random bytes, mode 600, and never overwrites', async () => {
    await run('sh', [path.join(dir, 'stack/compose/make-env.sh')]);
    const env = await readFile(path.join(dir, '.env'), 'utf8');
    const listed = [...readFileSync(path.join(REPO_DIR, '.env.example'), 'utf8').matchAll(/^(\w+)=/gm)].map(
      (m) => m[1],
    );
    for (const name of listed) expect(env).toMatch(new RegExp(`^${name}=[0-9a-f]{64}$`, 'm'));
    expect((await stat(path.join(dir, '.env'))).mode & 0o777).toBe(0o600);
    await expect(run('sh', [path.join(dir, 'stack/compose/make-env.sh')])).rejects.toThrow(/exists/);
    expect(statSync(path.join(dir, '.env')).size).toBe(Buffer.byteLength(env));
  });
});
