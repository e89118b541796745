/**
 * The shipped configuration, rendered to the ports and folders `vigil up` chose. Each renderer
 * starts from the file the compose stack mounts (provisioning/, alerting/) and changes only
 * addresses and paths, so the native stack and the compose stack run the same rules, routes and
 * dashboards.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { PLUGIN_ID, SHIPPED, WEBHOOK_URL_PLACEHOLDER } from './paths.ts';

export interface Addresses {
  runner: number;
  reference: number;
  prometheus: number;
  /** Absent: no Alertmanager was found. */
  alertmanager?: number;
  /** Absent: no Grafana was found. */
  grafana?: number;
  /** The file holding the runner's API token (Prometheus scrapes with it, Alertmanager posts with it). */
  runnerTokenFile: string;
  /** The runner target name the reference server is probed as (labels its scrape job). */
  referenceTargetName: string;
}

const local = (port: number) => `127.0.0.1:${port}`;

interface ScrapeJob {
  job_name: string;
  static_configs: Array<{ targets: string[]; labels?: Record<string, string> }>;
  authorization?: { type?: string; credentials_file?: string };
}

/** prometheus.yml: the same jobs and rules, at the chosen addresses. */
export function renderPrometheusConfig(a: Addresses): string {
  const doc = parseDocument(readFileSync(SHIPPED.prometheusConfig, 'utf8'));
  doc.set('rule_files', [path.join(SHIPPED.rulesDir, '*.rules.yml')]);
  if (a.grafana !== undefined)
    doc.setIn(['global', 'external_labels'], { grafana_url: `http://${local(a.grafana)}` });
  if (a.alertmanager !== undefined)
    doc.setIn(['alerting', 'alertmanagers'], [{ static_configs: [{ targets: [local(a.alertmanager)] }] }]);
  else doc.delete('alerting');

  const jobs = (doc.toJS().scrape_configs ?? []) as ScrapeJob[];
  const rendered: ScrapeJob[] = [];
  for (const job of jobs) {
    switch (job.job_name) {
      case 'vigil-runner':
        rendered.push({
          ...job,
          authorization: { ...job.authorization, credentials_file: a.runnerTokenFile },
          static_configs: [{ targets: [local(a.runner)] }],
        });
        break;
      case 'vigil-target':
        // The runner target's name on the scrape job lines the server's series up with the probe's.
        rendered.push({
          ...job,
          static_configs: [{ targets: [local(a.reference)], labels: { target: a.referenceTargetName } }],
        });
        break;
      case 'alertmanager':
        if (a.alertmanager !== undefined)
          rendered.push({ ...job, static_configs: [{ targets: [local(a.alertmanager)] }] });
        break;
      case 'prometheus':
        rendered.push({ ...job, static_configs: [{ targets: [local(a.prometheus)] }] });
        break;
      default:
        rendered.push(job);
    }
  }
  doc.set('scrape_configs', rendered);
  return header('provisioning/prometheus/prometheus.yml') + doc.toString();
}

/** provisioning/prometheus/flags.txt, with this stack's file, storage and listen flags. */
export function renderPrometheusFlags(configFile: string, storageDir: string, port: number): string[] {
  const replaced: Record<string, string> = {
    '--config.file': configFile,
    '--storage.tsdb.path': storageDir,
    '--web.listen-address': local(port),
    '--web.external-url': `http://${local(port)}`,
  };
  return readFileSync(SHIPPED.prometheusFlags, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((flag) => {
      const name = flag.split('=')[0] ?? flag;
      return name in replaced ? `${name}=${replaced[name]}` : flag;
    });
}

export interface ReceiverSettings {
  /** Where every webhook receiver posts: the runner's POST /api/notifications. */
  receiverUrl: string;
  /** The runner token Alertmanager sends (`http_config.authorization.credentials_file`). */
  tokenFile: string;
  templatesGlob: string;
}

/**
 * alertmanager.yml: every webhook goes to the runner's receiver with the runner token from its
 * file, templates from where they are mounted. Routes, grouping and inhibitions are the shipped
 * ones. `vigil up` renders it for this machine; `npm run generate -w stack` for the compose file.
 */
export function renderAlertmanagerConfig(r: ReceiverSettings, source = 'alerting/alertmanager.yml'): string {
  const text = readFileSync(SHIPPED.alertmanagerConfig, 'utf8');
  if (!text.includes(WEBHOOK_URL_PLACEHOLDER))
    throw new Error(
      `${SHIPPED.alertmanagerConfig} no longer carries the receiver placeholder ${WEBHOOK_URL_PLACEHOLDER}`,
    );
  const doc: Document = parseDocument(text);
  doc.set('templates', [r.templatesGlob]);
  const receivers = (doc.toJS().receivers ?? []) as Array<{
    name: string;
    webhook_configs?: Array<Record<string, unknown>>;
  }>;
  doc.set(
    'receivers',
    receivers.map((receiver) => ({
      ...receiver,
      ...(receiver.webhook_configs
        ? {
            webhook_configs: receiver.webhook_configs.map((hook) => ({
              ...hook,
              url: r.receiverUrl,
              http_config: { authorization: { type: 'Bearer', credentials_file: r.tokenFile } },
            })),
          }
        : {}),
    })),
  );
  return header(source) + doc.toString();
}

/** The receiver settings of a stack on this machine. */
export function localReceiver(a: Addresses): ReceiverSettings {
  return {
    receiverUrl: `http://${local(a.runner)}/api/notifications`,
    tokenFile: a.runnerTokenFile,
    templatesGlob: path.join(SHIPPED.alertTemplatesDir, '*.tmpl'),
  };
}

export interface GrafanaFiles {
  configFile: string;
  /** Environment the provisioning files expand ($PROMETHEUS_URL, …). */
  env: Record<string, string>;
  /** False when plugin/dist is missing: Grafana then shows the dashboards without the app. */
  appInstalled: boolean;
}

/**
 * grafana.ini and the provisioning folder (provisioning/grafana with the dashboards provider's
 * path rewritten), the app from plugin/dist linked into its plugins folder and allowed unsigned.
 */
export function renderGrafana(
  a: Addresses & { grafana: number },
  dir: string,
  adminPasswordFile: string,
  runnerToken: string,
): GrafanaFiles {
  const provisioning = path.join(dir, 'provisioning');
  rmSync(provisioning, { recursive: true, force: true });
  cpSync(SHIPPED.grafanaProvisioningDir, provisioning, { recursive: true });
  mkdirSync(path.join(provisioning, 'alerting'), { recursive: true });
  const providerFile = path.join(provisioning, 'dashboards', 'vigil.yml');
  const provider = parseDocument(readFileSync(providerFile, 'utf8'));
  provider.setIn(['providers', 0, 'options', 'path'], path.join(provisioning, 'dashboards'));
  writeFileSync(providerFile, provider.toString());

  const plugins = path.join(dir, 'plugins');
  mkdirSync(plugins, { recursive: true });
  const link = path.join(plugins, PLUGIN_ID);
  rmSync(link, { recursive: true, force: true });
  const appInstalled = existsSync(path.join(SHIPPED.pluginDist, 'module.js'));
  if (appInstalled) symlinkSync(SHIPPED.pluginDist, link, 'dir');

  const ini = [
    "; Rendered by `vigil up`: the stack's Grafana. Edit provisioning/ in the repository, not this file.",
    '[server]',
    'http_addr = 127.0.0.1',
    `http_port = ${a.grafana}`,
    `root_url = http://${local(a.grafana)}/`,
    '[paths]',
    `data = ${path.join(dir, 'data')}`,
    `logs = ${path.join(dir, 'logs')}`,
    `plugins = ${plugins}`,
    `provisioning = ${provisioning}`,
    '[security]',
    'admin_user = admin',
    `admin_password = $__file{${adminPasswordFile}}`,
    '[plugins]',
    `allow_loading_unsigned_plugins = ${PLUGIN_ID}`,
    '[analytics]',
    'reporting_enabled = false',
    'check_for_updates = false',
    'check_for_plugin_updates = false',
    '[news]',
    'news_feed_enabled = false',
    '',
  ].join('\n');
  const configFile = path.join(dir, 'grafana.ini');
  writeFileSync(configFile, ini);
  return {
    configFile,
    appInstalled,
    env: {
      PROMETHEUS_URL: `http://${local(a.prometheus)}`,
      ALERTMANAGER_URL: a.alertmanager !== undefined ? `http://${local(a.alertmanager)}` : '',
      VIGIL_RUNNER_URL: `http://${local(a.runner)}`,
      VIGIL_RUNNER_TOKEN: runnerToken,
    },
  };
}

function header(source: string): string {
  return `# GENERATED from ${source} (addresses and paths only): edit that file, not this one.\n`;
}
