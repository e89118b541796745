/** Every generated dashboard, keyed by the catalog's DASHBOARDS keys. */
import path from 'node:path';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import prettier from 'prettier';
import { DASHBOARDS, type DashboardKey } from '@vigil/scenarios/catalog';
import { loadGeneratorDashboard } from './load-generator.ts';
import { mcpDashboard } from './mcp.ts';
import { oauthDashboard } from './oauth.ts';
import { probesDashboard } from './probes.ts';
import { targetResourcesDashboard } from './target-resources.ts';
import { DASHBOARDS_DIR } from '../paths.ts';

const BUILDERS: Record<DashboardKey, () => Dashboard> = {
  oauth: oauthDashboard,
  mcp: mcpDashboard,
  probes: probesDashboard,
  loadGenerator: loadGeneratorDashboard,
  targetResources: targetResourcesDashboard,
};

export interface GeneratedDashboard {
  key: DashboardKey;
  /** File name under grafana/dashboards/: the dashboard uid. */
  fileName: string;
  dashboard: Dashboard;
  json: string;
}

/**
 * The JSON as the repository's prettier config formats it, so `npm run format` at the root leaves
 * the committed files (and the staleness test) alone.
 */
async function formatJson(value: unknown, file: string): Promise<string> {
  const config = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(JSON.stringify(value), { ...config, filepath: file });
}

export async function generateDashboards(): Promise<GeneratedDashboard[]> {
  return Promise.all(
    (Object.keys(DASHBOARDS) as DashboardKey[]).map(async (key) => {
      const dashboard = BUILDERS[key]();
      const fileName = `${DASHBOARDS[key].uid}.json`;
      return {
        key,
        fileName,
        dashboard,
        json: await formatJson(dashboard, path.join(DASHBOARDS_DIR, fileName)),
      };
    }),
  );
}
