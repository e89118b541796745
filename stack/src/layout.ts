/**
 * Everything `vigil up` keeps lives in one data folder (default ./vigil-data):
 *
 *   stack.json          what runs now (pids, ports, URLs); removed when the stack stops
 *   secrets/            generated once, mode 0600: runner token, secret key, reference admin
 *                       token, Grafana admin password. Files only: never argv, never the logs.
 *   logs/<name>.log     each component's output
 *   runner/ prometheus/ alertmanager/ grafana/ redis/   each component's state and rendered config
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Layout {
  dir: string;
  stateFile: string;
  logsDir: string;
  secretsDir: string;
  componentDir(name: string): string;
  logFile(name: string): string;
}

export function layoutOf(dataDir: string): Layout {
  const dir = path.resolve(dataDir);
  return {
    dir,
    stateFile: path.join(dir, 'stack.json'),
    logsDir: path.join(dir, 'logs'),
    secretsDir: path.join(dir, 'secrets'),
    componentDir: (name) => path.join(dir, name),
    logFile: (name) => path.join(dir, 'logs', `${name}.log`),
  };
}

export const SECRET_NAMES = [
  'runner-token',
  'secret-key',
  'reference-admin-token',
  'grafana-admin-password',
] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

export interface Secrets {
  file(name: SecretName): string;
  read(name: SecretName): string;
}

/** Creates the secrets that do not exist yet (32 random bytes, hex) and says where they are. */
export function ensureSecrets(layout: Layout): Secrets {
  mkdirSync(layout.secretsDir, { recursive: true, mode: 0o700 });
  chmodSync(layout.secretsDir, 0o700);
  const file = (name: SecretName) => path.join(layout.secretsDir, name);
  for (const name of SECRET_NAMES) {
    if (existsSync(file(name))) continue;
    writeFileSync(file(name), randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return { file, read: (name) => readFileSync(file(name), 'utf8').trim() };
}

export function ensureDirs(layout: Layout, components: readonly string[]): void {
  mkdirSync(layout.logsDir, { recursive: true });
  for (const name of components) mkdirSync(layout.componentDir(name), { recursive: true });
}
