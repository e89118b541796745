/**
 * Turns the shipped prometheus.yml (container paths and compose host names) into one that runs on
 * this machine: rule files from ../alerting/rules, the runner token from a scratch file, and the
 * scrape targets on the loopback ports a test picked. Everything else is kept as shipped, so the
 * tests exercise the real job names, metrics paths and authorization settings.
 */
import { readFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { SCRAPE_JOBS } from '@vigil/scenarios/catalog';
import { ALERTING_RULES_DIR, PROMETHEUS_CONFIG } from '../../src/paths.ts';

export const SHIPPED_RULES_GLOB = '/etc/prometheus/rules/*.rules.yml';

export interface LocalConfigOptions {
  tokenFile: string;
  rulesDir?: string;
  /** host:port per scrape job; jobs not named keep their shipped targets. */
  targets?: Partial<Record<(typeof SCRAPE_JOBS)[keyof typeof SCRAPE_JOBS], string>>;
  alertmanager?: string;
  scrapeInterval?: string;
}

interface ScrapeJob {
  job_name: string;
  authorization?: { credentials_file?: string };
  static_configs: Array<{ targets: string[] }>;
}

export async function localPrometheusConfig(opts: LocalConfigOptions): Promise<string> {
  const config = parse(await readFile(PROMETHEUS_CONFIG, 'utf8')) as {
    global: Record<string, string>;
    rule_files: string[];
    scrape_configs: ScrapeJob[];
    alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
  };
  const rulesDir = opts.rulesDir ?? ALERTING_RULES_DIR;
  config.rule_files = config.rule_files.map((glob) => {
    if (glob !== SHIPPED_RULES_GLOB) throw new Error(`rule_files: unexpected entry ${glob}`);
    return `${rulesDir}/*.rules.yml`;
  });
  for (const job of config.scrape_configs) {
    if (job.authorization?.credentials_file) job.authorization.credentials_file = opts.tokenFile;
    const target = opts.targets?.[job.job_name as keyof LocalConfigOptions['targets']];
    if (target) job.static_configs = [{ targets: [target] }];
  }
  if (opts.alertmanager)
    config.alerting.alertmanagers = [{ static_configs: [{ targets: [opts.alertmanager] }] }];
  if (opts.scrapeInterval) {
    config.global.scrape_interval = opts.scrapeInterval;
    config.global.evaluation_interval = opts.scrapeInterval;
    config.global.scrape_timeout = opts.scrapeInterval;
  }
  return stringify(config);
}
