/**
 * Grafana identifiers shared by the provisioning (dashboards as code), the alert rules (links in
 * annotations) and the planned Grafana app (`plugin/`: panels, links). docs/design.md "Names and ports".
 */
export const PLUGIN_ID = 'vigil-mcp-app';
export const DATASOURCE_UIDS = {
  prometheus: 'vigil-prometheus',
  alertmanager: 'vigil-alertmanager',
} as const;

export const DASHBOARDS = {
  oauth: { uid: 'vigil-oauth', title: 'Vigil / OAuth flows' },
  mcp: { uid: 'vigil-mcp', title: 'Vigil / MCP' },
  probes: { uid: 'vigil-probes', title: 'Vigil / Probes' },
  loadGenerator: { uid: 'vigil-load-generator', title: 'Vigil / Load generator' },
  targetResources: { uid: 'vigil-target-resources', title: 'Vigil / Target resources' },
} as const;
export type DashboardKey = keyof typeof DASHBOARDS;

/** Default ports of the components (tests pick free ports instead). */
export const DEFAULT_PORTS = {
  grafana: 3000,
  runner: 8090,
  target: 8080,
  prometheus: 9090,
  alertmanager: 9093,
  redis: 6379,
} as const;
