/**
 * The configuration `vigil up` renders is valid for the real tools (promtool, amtool) and keeps
 * what the shipped files say: the same scrape jobs and rules, every receiver at the runner with
 * the token from a file, the flags of provisioning/prometheus/flags.txt. The compose stack's
 * Alertmanager file is what the generator makes of alerting/alertmanager.yml.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPOSE_ALERTMANAGER_CONFIG, composeAlertmanagerConfig } from '../src/compose.ts';
import { SHIPPED } from '../src/paths.ts';
import {
  localReceiver,
  renderAlertmanagerConfig,
  renderGrafana,
  renderPrometheusConfig,
  renderPrometheusFlags,
  type Addresses,
} from '../src/render.ts';

const run = promisify(execFile);
const PROMTOOL = process.env.PROMTOOL_BIN ?? 'promtool';
const AMTOOL = process.env.AMTOOL_BIN ?? 'amtool';

async function check(tool: string, args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(tool, args);
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('rendered for this machine', () => {
  let dir: string;
  let addresses: Addresses;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-stack-render-'));
    const tokenFile = path.join(dir, 'runner-token');
    await writeFile(tokenFile, 'not-a-real-token', { mode: 0o600 });
    addresses = {
      runner: 18090,
      reference: 18080,
      prometheus: 19090,
      alertmanager: 19093,
      grafana: 13000,
      runnerTokenFile: tokenFile,
      referenceTargetName: 'reference',
    };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prometheus.yml passes promtool check config, with the shipped jobs at the chosen ports', async () => {
    const text = renderPrometheusConfig(addresses);
    const file = path.join(dir, 'prometheus.yml');
    await writeFile(file, text);
    const result = await check(PROMTOOL, ['check', 'config', file]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);

    const config = parse(text) as {
      global: { external_labels?: Record<string, string> };
      rule_files: string[];
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
      scrape_configs: Array<{
        job_name: string;
        authorization?: { credentials_file?: string };
        static_configs: Array<{ targets: string[]; labels?: Record<string, string> }>;
      }>;
    };
    const shipped = parse(await readFile(SHIPPED.prometheusConfig, 'utf8')) as typeof config;
    expect(config.scrape_configs.map((j) => j.job_name)).toEqual(
      shipped.scrape_configs.map((j) => j.job_name),
    );
    const job = (name: string) => config.scrape_configs.find((j) => j.job_name === name)!;
    expect(job('vigil-runner').static_configs[0]!.targets).toEqual(['127.0.0.1:18090']);
    expect(job('vigil-runner').authorization?.credentials_file).toBe(addresses.runnerTokenFile);
    expect(job('vigil-target').static_configs[0]).toEqual({
      targets: ['127.0.0.1:18080'],
      labels: { target: 'reference' },
    });
    expect(config.alerting.alertmanagers[0]!.static_configs[0]!.targets).toEqual(['127.0.0.1:19093']);
    expect(config.rule_files).toEqual([path.join(SHIPPED.rulesDir, '*.rules.yml')]);
    expect(config.global.external_labels).toEqual({ grafana_url: 'http://127.0.0.1:13000' });
  });

  it('without Alertmanager the config sends alerts nowhere and does not scrape it', () => {
    const { alertmanager: _none, ...withoutAm } = addresses;
    const config = parse(renderPrometheusConfig(withoutAm)) as {
      alerting?: unknown;
      scrape_configs: Array<{ job_name: string }>;
    };
    expect(config.alerting).toBeUndefined();
    expect(config.scrape_configs.map((j) => j.job_name)).not.toContain('alertmanager');
  });

  it("the flags are flags.txt with this stack's files and address", async () => {
    const flags = renderPrometheusFlags('/x/prometheus.yml', '/x/data', 19090);
    const shipped = (await readFile(SHIPPED.prometheusFlags, 'utf8'))
      .split('\n')
      .filter((l) => l.startsWith('--'));
    expect(flags.map((f) => f.split('=')[0])).toEqual(shipped.map((f) => f.split('=')[0]));
    expect(flags).toContain('--web.listen-address=127.0.0.1:19090');
    expect(flags).toContain('--config.file=/x/prometheus.yml');
    expect(flags).toContain('--web.enable-remote-write-receiver');
    expect(flags).toContain('--enable-feature=native-histograms');
  });

  it('alertmanager.yml passes amtool check-config; every webhook goes to the runner with the token file', async () => {
    const text = renderAlertmanagerConfig(localReceiver(addresses));
    const file = path.join(dir, 'alertmanager.yml');
    await writeFile(file, text);
    const result = await check(AMTOOL, ['check-config', file]);
    expect(result.output).toContain('SUCCESS');
    const config = parse(text) as {
      templates: string[];
      receivers: Array<{
        webhook_configs?: Array<{
          url: string;
          http_config?: { authorization?: { credentials_file?: string } };
        }>;
      }>;
    };
    const hooks = config.receivers.flatMap((r) => r.webhook_configs ?? []);
    expect(hooks.length).toBeGreaterThan(0);
    for (const hook of hooks) {
      expect(hook.url).toBe('http://127.0.0.1:18090/api/notifications');
      expect(hook.http_config?.authorization?.credentials_file).toBe(addresses.runnerTokenFile);
    }
    expect(config.templates).toEqual([path.join(SHIPPED.alertTemplatesDir, '*.tmpl')]);
    expect(text).not.toContain('not-a-real-token');
  });

  it('Grafana: the provisioning with the dashboards path rewritten, the token only in its environment', async () => {
    const grafanaDir = path.join(dir, 'grafana');
    const files = renderGrafana(
      { ...addresses, grafana: 13000 },
      grafanaDir,
      path.join(dir, 'pw'),
      'the-runner-token',
    );
    const ini = await readFile(files.configFile, 'utf8');
    expect(ini).toContain('http_port = 13000');
    expect(ini).toContain('allow_loading_unsigned_plugins = vigil-mcp-app');
    expect(ini).toContain(`admin_password = $__file{${path.join(dir, 'pw')}}`);
    expect(ini).not.toContain('the-runner-token');
    const provider = parse(
      await readFile(path.join(grafanaDir, 'provisioning', 'dashboards', 'vigil.yml'), 'utf8'),
    ) as {
      providers: Array<{ options: { path: string } }>;
    };
    expect(provider.providers[0]!.options.path).toBe(path.join(grafanaDir, 'provisioning', 'dashboards'));
    expect(files.env).toMatchObject({
      PROMETHEUS_URL: 'http://127.0.0.1:19090',
      ALERTMANAGER_URL: 'http://127.0.0.1:19093',
      VIGIL_RUNNER_URL: 'http://127.0.0.1:18090',
      VIGIL_RUNNER_TOKEN: 'the-runner-token',
    });
  });
});

describe("the compose stack's alertmanager.yml", () => {
  it('is what npm run generate -w stack makes of alerting/alertmanager.yml', async () => {
    expect(await readFile(COMPOSE_ALERTMANAGER_CONFIG, 'utf8')).toBe(composeAlertmanagerConfig());
  });

  it('passes amtool check-config', async () => {
    const result = await check(AMTOOL, ['check-config', COMPOSE_ALERTMANAGER_CONFIG]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });
});
