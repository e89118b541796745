/**
 * `npm run generate -w stack` writes stack/compose/alertmanager.yml: alerting/alertmanager.yml with
 * every receiver pointed at the runner inside the compose network (Alertmanager has no environment
 * expansion, and 0.25 no url_file). `-- --check` exits 1 when the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { COMPOSE_ALERTMANAGER_CONFIG, composeAlertmanagerConfig } from './src/compose.ts';

const check = process.argv.includes('--check');
const fresh = composeAlertmanagerConfig();
let current = '';
try {
  current = readFileSync(COMPOSE_ALERTMANAGER_CONFIG, 'utf8');
} catch {
  // not written yet
}
const relative = path.relative(process.cwd(), COMPOSE_ALERTMANAGER_CONFIG);
if (check) {
  if (current !== fresh) {
    console.error(`${relative} is stale: npm run generate -w stack`);
    process.exit(1);
  }
  console.log(`${relative} is fresh`);
} else {
  writeFileSync(COMPOSE_ALERTMANAGER_CONFIG, fresh);
  console.log(`wrote ${relative}`);
}
