/**
 * Starts the real alert pipeline for the end-to-end tests and bench/: Alertmanager with the shipped
 * alertmanager.yml (only the webhook URL placeholder and the templates path rewritten) and
 * Prometheus with the shipped rule files, pointed at that Alertmanager.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startAlertmanager, startPrometheus, type Service } from '@vigil/testkit';
import { ALERTING_DIR, ALERT_RULES_FILE, RECORDING_RULES_FILE } from '../src/rule-files.ts';

/** The webhook URL alertmanager.yml ships with (README: replace it with your receiver's). */
export const WEBHOOK_URL_PLACEHOLDER = 'http://127.0.0.1:9095/vigil-alerts';

export async function shippedAlertmanagerConfig(webhookUrl: string): Promise<string> {
  const shipped = await readFile(path.join(ALERTING_DIR, 'alertmanager.yml'), 'utf8');
  if (!shipped.includes(WEBHOOK_URL_PLACEHOLDER))
    throw new Error('alertmanager.yml no longer carries the webhook URL placeholder');
  return shipped
    .replaceAll(WEBHOOK_URL_PLACEHOLDER, webhookUrl)
    .replace('- templates/*.tmpl', `- ${path.join(ALERTING_DIR, 'templates')}/*.tmpl`);
}

export async function startAlertPipelineAlertmanager(webhookUrl: string): Promise<Service> {
  return startAlertmanager(await shippedAlertmanagerConfig(webhookUrl));
}

/** Prometheus with Vigil's rule files; `scrapeConfigs` is YAML for `scrape_configs:` entries. */
export async function startAlertPipelinePrometheus(
  alertmanager: Service,
  scrapeConfigs = '[]',
  scrapeInterval = '2s',
): Promise<Service> {
  const config = [
    'global:',
    `  scrape_interval: ${scrapeInterval}`,
    '  evaluation_interval: 5s',
    'rule_files:',
    `  - ${RECORDING_RULES_FILE}`,
    `  - ${ALERT_RULES_FILE}`,
    'alerting:',
    '  alertmanagers:',
    `    - static_configs: [{ targets: ['127.0.0.1:${alertmanager.port}'] }]`,
    `scrape_configs: ${scrapeConfigs}`,
    '',
  ].join('\n');
  return startPrometheus({ config });
}
