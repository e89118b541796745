/**
 * What this machine has: each component's executable under the names Debian and upstream give it,
 * found on PATH (or where an environment variable points), and what is lost without it.
 */
import { accessSync, constants, existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** The executable at `candidate` (a path) or the first of `names` on PATH. */
export function findExecutable(
  names: readonly string[],
  env: NodeJS.ProcessEnv,
  explicit?: string,
): string | undefined {
  const runnable = (file: string) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (explicit)
    return explicit.includes('/')
      ? runnable(explicit)
        ? explicit
        : undefined
      : findExecutable([explicit], env);
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of names)
    for (const dir of dirs) {
      const file = path.join(dir, name);
      if (runnable(file)) return file;
    }
  return undefined;
}

export interface Found {
  redis?: string;
  prometheus?: string;
  alertmanager?: string;
  grafana?: { bin: string; homepath: string; legacy: boolean };
  k6?: string;
}

/** Where Grafana's static files are: Debian/RPM packages put them in /usr/share/grafana, a tarball next to bin/. */
function grafanaHome(bin: string, env: NodeJS.ProcessEnv): string | undefined {
  const candidates = [
    env.GRAFANA_HOME,
    '/usr/share/grafana',
    path.resolve(path.dirname(realpathSync(bin)), '..'),
  ].filter((c): c is string => Boolean(c));
  return candidates.find((dir) => existsSync(path.join(dir, 'conf', 'defaults.ini')));
}

export function discover(env: NodeJS.ProcessEnv): Found {
  const found: Found = {
    redis: findExecutable(['redis-server'], env, env.REDIS_SERVER_BIN),
    prometheus: findExecutable(['prometheus'], env, env.PROMETHEUS_BIN),
    alertmanager: findExecutable(['alertmanager', 'prometheus-alertmanager'], env, env.ALERTMANAGER_BIN),
    k6: findExecutable(['k6'], env, env.K6_BIN),
  };
  const modern = findExecutable(['grafana'], env, env.GRAFANA_BIN);
  const legacy = modern ? undefined : findExecutable(['grafana-server'], env);
  const bin = modern ?? legacy;
  const homepath = bin ? grafanaHome(bin, env) : undefined;
  if (bin && homepath) found.grafana = { bin, homepath, legacy: !modern };
  return found;
}

/** What a missing component costs, said plainly on the first screen. */
export function missingNotes(
  found: Found,
  prometheusUrl: string | undefined,
): Array<{ name: string; note: string }> {
  const notes: Array<{ name: string; note: string }> = [];
  if (!found.k6)
    notes.push({
      name: 'k6',
      note: 'not found (K6_BIN, or k6 on PATH): probes cannot run. Install k6 >= 1.0 (https://grafana.com/docs/k6/latest/set-up/install-k6/)',
    });
  if (!found.redis)
    notes.push({
      name: 'redis',
      note: 'not found (redis-server): the reference server keeps its sessions in memory (apt install redis-server)',
    });
  if (!found.prometheus)
    notes.push({
      name: 'prometheus',
      note: 'not found (prometheus): nothing stores the metrics, so no panels and no alerts (apt install prometheus)',
    });
  if (!found.alertmanager)
    notes.push({
      name: 'alertmanager',
      note: 'not found (alertmanager, prometheus-alertmanager): alerts fire in Prometheus but no notification is sent (apt install prometheus-alertmanager)',
    });
  if (!found.grafana)
    notes.push({
      name: 'grafana',
      note: `not found (grafana, grafana-server): panels need Grafana; ${prometheusUrl ? `the data is in Prometheus at ${prometheusUrl}` : 'and the data needs Prometheus'} (https://grafana.com/docs/grafana/latest/setup-grafana/installation/)`,
    });
  return notes;
}
