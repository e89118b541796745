import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DATASOURCE_UIDS, DEFAULT_PORTS, PLUGIN_ID, SCRAPE_JOBS } from '@vigil/scenarios/catalog';
import { GRAFANA_DIR, PROMETHEUS_CONFIG, PROMETHEUS_FLAGS } from '../src/paths.ts';

/** A value Grafana fills from its environment at start-up: `$NAME` or `${NAME}`, nothing else. */
const ENV_PLACEHOLDER = /^\$(\{[A-Z][A-Z0-9_]*\}|[A-Z][A-Z0-9_]*)$/;

async function loadYaml(relative: string): Promise<Record<string, unknown>> {
  return parse(await readFile(path.join(GRAFANA_DIR, relative), 'utf8')) as Record<string, unknown>;
}

interface DatasourceEntry {
  uid: string;
  type: string;
  url: string;
  access: string;
  jsonData: Record<string, unknown>;
  secureJsonData?: Record<string, unknown>;
}

describe('grafana/datasources/vigil.yml', () => {
  it('provisions the Prometheus and Alertmanager datasources under the catalog uids', async () => {
    const file = await loadYaml('datasources/vigil.yml');
    expect(file.apiVersion).toBe(1);
    const datasources = file.datasources as DatasourceEntry[];
    const byUid = new Map(datasources.map((ds) => [ds.uid, ds]));
    expect([...byUid.keys()].sort()).toEqual(Object.values(DATASOURCE_UIDS).sort());

    const prometheus = byUid.get(DATASOURCE_UIDS.prometheus)!;
    expect(prometheus.type).toBe('prometheus');
    expect(prometheus.access).toBe('proxy');
    expect(prometheus.jsonData.prometheusType).toBe('Prometheus');
    expect(prometheus.jsonData.prometheusVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(prometheus.jsonData.httpMethod).toBe('POST');
    expect(prometheus.jsonData.alertmanagerUid).toBe(DATASOURCE_UIDS.alertmanager);

    const alertmanager = byUid.get(DATASOURCE_UIDS.alertmanager)!;
    expect(alertmanager.type).toBe('alertmanager');
    expect(alertmanager.jsonData.implementation).toBe('prometheus');
  });

  it('tells Grafana the scrape interval prometheus.yml uses (the base of $__rate_interval)', async () => {
    const datasources = (await loadYaml('datasources/vigil.yml')).datasources as DatasourceEntry[];
    const prometheus = datasources.find((ds) => ds.uid === DATASOURCE_UIDS.prometheus)!;
    const config = parse(await readFile(PROMETHEUS_CONFIG, 'utf8')) as {
      global: { scrape_interval: string };
    };
    expect(prometheus.jsonData.timeInterval).toBe(config.global.scrape_interval);
  });

  it('takes every URL from the environment, never a hard-coded host', async () => {
    const datasources = (await loadYaml('datasources/vigil.yml')).datasources as DatasourceEntry[];
    for (const ds of datasources) expect(ds.url, `${ds.uid}.url`).toMatch(ENV_PLACEHOLDER);
  });
});

describe('grafana/plugins/vigil-app.yml', () => {
  it('enables the catalog plugin id with the runner URL in jsonData and the token in secureJsonData from env', async () => {
    const file = await loadYaml('plugins/vigil-app.yml');
    expect(file.apiVersion).toBe(1);
    const apps = file.apps as Array<{
      type: string;
      disabled?: boolean;
      jsonData: Record<string, string>;
      secureJsonData: Record<string, string>;
    }>;
    expect(apps).toHaveLength(1);
    const app = apps[0]!;
    expect(app.type).toBe(PLUGIN_ID);
    expect(app.disabled ?? false).toBe(false);
    expect(app.jsonData.runnerUrl).toMatch(ENV_PLACEHOLDER);
    expect(Object.keys(app.secureJsonData)).toEqual(['runnerToken']);
    expect(app.secureJsonData.runnerToken).toMatch(ENV_PLACEHOLDER);
    // The token must never sit in jsonData (which any viewer of the app settings can read).
    expect(JSON.stringify(app.jsonData).toLowerCase()).not.toContain('token');
  });
});

describe('grafana/dashboards/vigil.yml', () => {
  it('is a file provider for the Vigil folder reading the generated JSON where Grafana mounts it', async () => {
    const file = await loadYaml('dashboards/vigil.yml');
    expect(file.apiVersion).toBe(1);
    const providers = file.providers as Array<{ type: string; folder: string; options: { path: string } }>;
    expect(providers).toHaveLength(1);
    expect(providers[0]!.type).toBe('file');
    expect(providers[0]!.folder).toBe('Vigil');
    expect(providers[0]!.options.path).toBe('/etc/grafana/provisioning/dashboards');
  });
});

describe('prometheus/prometheus.yml', () => {
  it('scrapes the catalog jobs on the default ports, the runner with a token file', async () => {
    const config = parse(await readFile(PROMETHEUS_CONFIG, 'utf8')) as {
      scrape_configs: Array<{
        job_name: string;
        authorization?: { credentials_file?: string; credentials?: string };
        static_configs: Array<{ targets: string[] }>;
      }>;
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
      rule_files: string[];
    };
    const jobs = new Map(config.scrape_configs.map((job) => [job.job_name, job]));
    expect([...jobs.keys()].sort()).toEqual(Object.values(SCRAPE_JOBS).sort());
    const port = (job: string) => jobs.get(job)!.static_configs[0]!.targets[0]!.split(':')[1];
    expect(port(SCRAPE_JOBS.runner)).toBe(String(DEFAULT_PORTS.runner));
    expect(port(SCRAPE_JOBS.target)).toBe(String(DEFAULT_PORTS.target));
    expect(port(SCRAPE_JOBS.alertmanager)).toBe(String(DEFAULT_PORTS.alertmanager));
    expect(port(SCRAPE_JOBS.prometheus)).toBe(String(DEFAULT_PORTS.prometheus));
    const runnerAuth = jobs.get(SCRAPE_JOBS.runner)!.authorization!;
    expect(runnerAuth.credentials_file).toBeTruthy();
    expect(runnerAuth.credentials).toBeUndefined();
    expect(config.alerting.alertmanagers[0]!.static_configs[0]!.targets).toEqual([
      `alertmanager:${DEFAULT_PORTS.alertmanager}`,
    ]);
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/*.rules.yml']);
  });

  it('writes down the flags the stack must start Prometheus with', async () => {
    const flags = (await readFile(PROMETHEUS_FLAGS, 'utf8')).split('\n').filter(Boolean);
    expect(flags).toEqual(
      expect.arrayContaining([
        '--web.enable-remote-write-receiver',
        '--enable-feature=native-histograms',
        '--rules.alert.resend-delay=1s',
        '--config.file=/etc/prometheus/prometheus.yml',
      ]),
    );
    expect(flags.some((flag) => flag.startsWith('--web.external-url='))).toBe(true);
  });
});
