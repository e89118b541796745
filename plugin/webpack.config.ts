/**
 * Extends the scaffolded webpack configuration (`.config/`, kept as generated) as create-plugin
 * documents: the only addition is copying the generated dashboards into `dist/dashboards/`.
 *
 * The dashboards are generated from the SLO catalog by `npm run generate -w provisioning` into
 * `provisioning/grafana/dashboards/*.json`; the plugin ships exactly those files (never a hand-edited
 * copy), and `src/plugin.json` lists each one as a `dashboard` include (`dashboards/<file>.json`).
 * `src/test/pluginJson.test.ts` fails when the includes and the generated files differ.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

const DASHBOARDS_SOURCE = path.resolve(process.cwd(), '..', 'provisioning', 'grafana', 'dashboards');

const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  return {
    ...base,
    plugins: [
      ...(base.plugins ?? []),
      new CopyWebpackPlugin({
        patterns: [{ from: '*.json', context: DASHBOARDS_SOURCE, to: 'dashboards/' }],
      }),
    ],
  };
};

export default config;
