#!/usr/bin/env node
// TEST DOUBLE for the `grafana` executable (no Grafana server can run on the development
// machines): records how `vigil up` started it (argv, the provisioning variables, the files it
// was pointed at) to grafana-double-record.json beside its ini, and answers GET /api/health on the ini's http_port,
// as Grafana does once it is up. Never shipped; used only by stack/test/grafana.test.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const argv = process.argv.slice(2);
const configFile = argv[argv.indexOf('--config') + 1];
const ini = readFileSync(configFile, 'utf8');
const port = Number(/^http_port = (\d+)$/m.exec(ini)?.[1]);
const provisioning = /^provisioning = (.+)$/m.exec(ini)?.[1];
writeFileSync(
  path.join(path.dirname(configFile), 'grafana-double-record.json'),
  JSON.stringify({
    argv,
    ini,
    env: Object.fromEntries(
      ['PROMETHEUS_URL', 'ALERTMANAGER_URL', 'VIGIL_RUNNER_URL', 'VIGIL_RUNNER_TOKEN'].map((k) => [
        k,
        process.env[k],
      ]),
    ),
    datasources: readFileSync(`${provisioning}/datasources/vigil.yml`, 'utf8'),
    app: readFileSync(`${provisioning}/plugins/vigil-app.yml`, 'utf8'),
  }),
);
http
  .createServer((req, res) => {
    res.writeHead(req.url === '/api/health' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ database: 'ok' }));
  })
  .listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
