import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort, waitForHttp } from './ports.ts';
import { scratchDir, spawnService, whenReady, type Service } from './processes.ts';

const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';
const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager';

export interface PrometheusOptions {
  /** prometheus.yml content; `rule_files` paths may be absolute. */
  config: string;
  /** Flags beyond the ones Vigil always needs. */
  extraArgs?: string[];
}

/**
 * Starts a real Prometheus with the flags Vigil requires (docs/design.md): remote-write receiver,
 * native histograms, a 1 s alert resend delay and an external URL.
 */
export async function startPrometheus(opts: PrometheusOptions): Promise<Service> {
  const port = await freePort();
  const dir = await scratchDir('prometheus');
  const configFile = path.join(dir, 'prometheus.yml');
  await writeFile(configFile, opts.config);
  const url = `http://127.0.0.1:${port}`;
  const service = spawnService(
    PROMETHEUS_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      '--web.enable-remote-write-receiver',
      '--web.enable-lifecycle',
      '--enable-feature=native-histograms',
      '--rules.alert.resend-delay=1s',
      ...(opts.extraArgs ?? []),
    ],
    { url, port, dir },
  );
  return whenReady(service, () => waitForHttp(`${url}/-/ready`, 30_000));
}

/** Starts a real Alertmanager with clustering off on a free loopback port. */
export async function startAlertmanager(config: string, extraArgs: string[] = []): Promise<Service> {
  const port = await freePort();
  const dir = await scratchDir('alertmanager');
  const configFile = path.join(dir, 'alertmanager.yml');
  await writeFile(configFile, config);
  const url = `http://127.0.0.1:${port}`;
  const service = spawnService(
    ALERTMANAGER_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      '--cluster.listen-address=',
      ...extraArgs,
    ],
    { url, port, dir },
  );
  return whenReady(service, () => waitForHttp(`${url}/-/ready`, 30_000));
}

/** Runs an instant PromQL query and returns the result vector. */
export async function promQuery(
  baseUrl: string,
  query: string,
): Promise<Array<{ metric: Record<string, string>; value?: [number, string]; histogram?: unknown }>> {
  const response = await fetch(`${baseUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as { status: string; error?: string; data?: { result: unknown } };
  if (body.status !== 'success') throw new Error(`query ${query} failed: ${body.error ?? response.status}`);
  return body.data?.result as Array<{ metric: Record<string, string>; value?: [number, string] }>;
}
