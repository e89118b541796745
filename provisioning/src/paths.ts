/** Where the provisioning files live in this repository (tests and the generator share these). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROVISIONING_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const GRAFANA_DIR = path.join(PROVISIONING_DIR, 'grafana');
export const DASHBOARDS_DIR = path.join(GRAFANA_DIR, 'dashboards');
export const PROMETHEUS_CONFIG = path.join(PROVISIONING_DIR, 'prometheus', 'prometheus.yml');
export const PROMETHEUS_FLAGS = path.join(PROVISIONING_DIR, 'prometheus', 'flags.txt');
/** The alerting workspace's generated rule files (mounted at /etc/prometheus/rules in the stack). */
export const ALERTING_RULES_DIR = path.resolve(PROVISIONING_DIR, '..', 'alerting', 'rules');
