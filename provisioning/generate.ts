/**
 * Writes grafana/dashboards/*.json from the SLO catalog (dashboards as code).
 *   npm run generate -w provisioning            write the files
 *   npm run generate -w provisioning -- --check exit 1 when a committed file is stale
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateDashboards } from './src/dashboards/index.ts';
import { DASHBOARDS_DIR } from './src/paths.ts';

async function readOrEmpty(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const generated = await generateDashboards();
  const wanted = new Set(generated.map((d) => d.fileName));
  const stale: string[] = [];
  for (const { fileName, json } of generated) {
    const file = path.join(DASHBOARDS_DIR, fileName);
    if ((await readOrEmpty(file)) === json) continue;
    stale.push(fileName);
    if (!check) await writeFile(file, json);
  }
  // A dashboard dropped from the catalog must not linger in Grafana.
  for (const name of await readdir(DASHBOARDS_DIR)) {
    if (!name.endsWith('.json') || wanted.has(name)) continue;
    stale.push(name);
    if (!check) await rm(path.join(DASHBOARDS_DIR, name));
  }
  if (check && stale.length > 0) {
    console.error(`stale dashboards (run npm run generate -w provisioning): ${stale.join(', ')}`);
    process.exitCode = 1;
    return;
  }
  console.log(
    check
      ? 'dashboards are up to date'
      : `wrote ${generated.length} dashboards to ${DASHBOARDS_DIR} (${stale.length} changed)`,
  );
}

await main();
