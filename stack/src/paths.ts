/**
 * The shipped files `vigil up` renders and runs, by their place in this repository. The stack
 * reads them as files (it imports no other workspace), so what it runs is what the compose file
 * mounts and what the tests check.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const repo = (...parts: string[]) => path.join(REPO_DIR, ...parts);

export const SHIPPED = {
  alertmanagerConfig: repo('alerting', 'alertmanager.yml'),
  alertTemplatesDir: repo('alerting', 'templates'),
  rulesDir: repo('alerting', 'rules'),
  prometheusConfig: repo('provisioning', 'prometheus', 'prometheus.yml'),
  prometheusFlags: repo('provisioning', 'prometheus', 'flags.txt'),
  grafanaProvisioningDir: repo('provisioning', 'grafana'),
  pluginDist: repo('plugin', 'dist'),
  referenceServerBin: repo('reference-server', 'bin', 'vigil-reference-server.js'),
} as const;

/** The placeholder receiver URL alertmanager.yml ships with (alerting/README.md). */
export const WEBHOOK_URL_PLACEHOLDER = 'http://127.0.0.1:9095/vigil-alerts';
/** The app plugin's id (plugin/src/plugin.json). */
export const PLUGIN_ID = 'vigil-mcp-app';
