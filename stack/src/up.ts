/**
 * `vigil up`: the whole stack from the binaries this machine has. One chain of named steps:
 * refuse a second stack, find the components, choose ports, render the configuration, start each
 * component and wait for it to answer, create the first target and probe, say what runs and what
 * is missing. Stopping (Ctrl-C, `vigil down`) stops everything it started.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  bootstrap,
  PROBE_INTERVAL_SECONDS,
  REFERENCE_PROBE,
  REFERENCE_TARGET,
  type Bootstrapped,
} from './bootstrap.ts';
import { discover, missingNotes, type Found } from './discover.ts';
import { httpReady, redisReady } from './http.ts';
import { ensureDirs, ensureSecrets, layoutOf, SECRET_NAMES, type Layout, type Secrets } from './layout.ts';
import { SHIPPED } from './paths.ts';
import { choosePorts, type PortName } from './ports.ts';
import {
  localReceiver,
  renderAlertmanagerConfig,
  renderGrafana,
  renderPrometheusConfig,
  renderPrometheusFlags,
  type Addresses,
} from './render.ts';
import {
  readState,
  removeState,
  stackStatus,
  writeState,
  type ComponentState,
  type StackState,
} from './state.ts';
import { start, stopAll, type ComponentSpec, type Running } from './supervisor.ts';

export interface UpOptions {
  dataDir: string;
  /** `free`: every port from the OS; `defaults`: the usual ports, another where one is taken. */
  ports: 'defaults' | 'free';
  /** How to start the runner: the `vigil` executable the CLI runs from; `serve …` is appended. */
  runnerCommand: [string, ...string[]];
  /** Skip Grafana even when it is installed. */
  noGrafana?: boolean;
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
  /** A component that exits while the stack runs (not when it is stopped). */
  onExit?: (name: string, how: string, logFile: string) => void;
}

export interface StackHandle {
  state: StackState;
  /** Stops every component (last started first) and removes stack.json. */
  stop(): Promise<void>;
}

export class AlreadyRunning extends Error {}

/** A path as the user can type it: relative to where they are when it is below, else absolute. */
const shown = (file: string) => {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
};

const COMPONENTS = ['redis', 'reference', 'runner', 'prometheus', 'alertmanager', 'grafana'] as const;
const local = (port: number) => `http://127.0.0.1:${port}`;

export async function up(options: UpOptions): Promise<StackHandle> {
  const env = options.env ?? process.env;
  const out = options.out ?? ((line: string) => console.log(line));
  const layout = layoutOf(options.dataDir);
  await refuseSecondStack(layout, out);

  const found = discover(env);
  if (options.noGrafana) delete found.grafana;
  const ports = await choosePorts(options.ports);
  ensureDirs(layout, COMPONENTS);
  const secrets = ensureSecrets(layout);

  const state: StackState = {
    version: 1,
    supervisorPid: process.pid,
    startedAt: new Date().toISOString(),
    ready: false,
    dataDir: layout.dir,
    components: [],
    runnerUrl: local(ports.runner),
    referenceUrl: local(ports.reference),
    mcpUrl: `${local(ports.reference)}/mcp`,
    ...(found.prometheus ? { prometheusUrl: local(ports.prometheus) } : {}),
    ...(found.alertmanager ? { alertmanagerUrl: local(ports.alertmanager) } : {}),
    ...(found.grafana ? { grafanaUrl: local(ports.grafana) } : {}),
    secrets: Object.fromEntries(
      SECRET_NAMES.map((name) => [name, secrets.file(name)]),
    ) as StackState['secrets'],
  };
  writeState(layout, state);
  out(`vigil up: starting the stack in ${shown(layout.dir)} (logs in ${shown(layout.logsDir)})`);

  const running: Running[] = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await stopAll(running);
    removeState(layout);
  };
  try {
    for (const spec of componentSpecs(layout, found, ports, secrets, options)) {
      running.push(await start(spec));
      state.components.push(componentState(spec.name, running.at(-1)!, state, ports));
      writeState(layout, state);
      out(`  ✓ ${spec.name.padEnd(12)} ${describe(spec.name, state)}`);
    }
    const seeded = await bootstrap(state.runnerUrl, secrets.read('runner-token'), state.mcpUrl);
    for (const { name, note } of missingNotes(found, state.prometheusUrl))
      out(`  ✗ ${name.padEnd(12)} ${note}`);
    out(probeLine(seeded, state.mcpUrl));
    if (found.grafana && !grafanaAppInstalled())
      out('  note: the app is not built (npm run build -w plugin): Grafana shows the dashboards only');
    state.ready = true;
    writeState(layout, state);
    for (const component of running)
      void component.exited.then(({ code, signal }) => {
        if (!stopping) options.onExit?.(component.name, signal ?? `code ${code}`, component.logFile);
      });
    out(
      'Ready. Ctrl-C or `vigil down` stops everything; `vigil status` shows what runs; `vigil alerts` lists notifications.',
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { state, stop };
}

/** A second `vigil up` on the same data folder is refused; components a dead one left are stopped. */
async function refuseSecondStack(layout: Layout, out: (line: string) => void): Promise<void> {
  const previous = readState(layout);
  const status = stackStatus(previous);
  if (status === 'running' && previous)
    throw new AlreadyRunning(
      `the stack in ${layout.dir} is already running (vigil up pid ${previous.supervisorPid}, since ${previous.startedAt}): \`vigil status\` shows it, \`vigil down\` stops it`,
    );
  if (status === 'orphaned' && previous) {
    out(
      `vigil up: a previous stack stopped without cleaning up; stopping what it left running (${previous.components.map((c) => c.name).join(', ')})`,
    );
    await stopAll(previous.components);
  }
  removeState(layout);
}

function componentSpecs(
  layout: Layout,
  found: Found,
  ports: Record<PortName, number>,
  secrets: Secrets,
  options: UpOptions,
): ComponentSpec[] {
  const dir = (name: string) => layout.componentDir(name);
  const log = (name: string) => layout.logFile(name);
  const addresses: Addresses = {
    runner: ports.runner,
    reference: ports.reference,
    prometheus: ports.prometheus,
    ...(found.alertmanager ? { alertmanager: ports.alertmanager } : {}),
    ...(found.grafana ? { grafana: ports.grafana } : {}),
    runnerTokenFile: secrets.file('runner-token'),
    referenceTargetName: REFERENCE_TARGET,
  };
  const specs: ComponentSpec[] = [];

  if (found.redis)
    specs.push({
      name: 'redis',
      command: found.redis,
      args: [
        '--port',
        String(ports.redis),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir('redis'),
      ],
      logFile: log('redis'),
      ready: redisReady(ports.redis),
    });

  specs.push({
    name: 'reference',
    command: process.execPath,
    args: [SHIPPED.referenceServerBin],
    env: {
      HOST: '127.0.0.1',
      PORT: String(ports.reference),
      ADMIN_TOKEN: secrets.read('reference-admin-token'),
      ...(found.redis ? { REDIS_URL: `redis://127.0.0.1:${ports.redis}` } : {}),
    },
    logFile: log('reference'),
    ready: httpReady(`${local(ports.reference)}/readyz`),
  });

  if (found.prometheus) {
    const configFile = path.join(dir('prometheus'), 'prometheus.yml');
    writeFileSync(configFile, renderPrometheusConfig(addresses));
    specs.push({
      name: 'prometheus',
      command: found.prometheus,
      args: renderPrometheusFlags(configFile, path.join(dir('prometheus'), 'data'), ports.prometheus),
      logFile: log('prometheus'),
      ready: httpReady(`${local(ports.prometheus)}/-/ready`),
    });
  }

  if (found.alertmanager) {
    const configFile = path.join(dir('alertmanager'), 'alertmanager.yml');
    writeFileSync(configFile, renderAlertmanagerConfig(localReceiver(addresses)));
    specs.push({
      name: 'alertmanager',
      command: found.alertmanager,
      args: [
        `--config.file=${configFile}`,
        `--storage.path=${path.join(dir('alertmanager'), 'data')}`,
        `--web.listen-address=127.0.0.1:${ports.alertmanager}`,
        `--web.external-url=${local(ports.alertmanager)}`,
        // One Alertmanager: no gossip port to bind and leave behind.
        '--cluster.listen-address=',
      ],
      logFile: log('alertmanager'),
      ready: httpReady(`${local(ports.alertmanager)}/-/ready`),
    });
  }

  const [runnerBin, ...runnerArgs] = options.runnerCommand;
  const k6Env = Object.fromEntries(
    Object.entries(options.env ?? process.env).filter(
      (e): e is [string, string] => e[0].startsWith('K6_') && typeof e[1] === 'string',
    ),
  );
  specs.push({
    name: 'runner',
    command: runnerBin,
    args: [
      ...runnerArgs,
      'serve',
      '--token-file',
      secrets.file('runner-token'),
      '--secret-key-file',
      secrets.file('secret-key'),
    ],
    env: {
      ...k6Env,
      VIGIL_HOST: '127.0.0.1',
      VIGIL_PORT: String(ports.runner),
      VIGIL_DATA_DIR: dir('runner'),
      ...(found.k6 ? { K6_BIN: found.k6 } : {}),
      ...(found.prometheus ? { VIGIL_REMOTE_WRITE_URL: `${local(ports.prometheus)}/api/v1/write` } : {}),
    },
    logFile: log('runner'),
    ready: httpReady(`${local(ports.runner)}/readyz`),
  });

  if (found.grafana) {
    const grafana = renderGrafana(
      { ...addresses, grafana: ports.grafana },
      dir('grafana'),
      secrets.file('grafana-admin-password'),
      secrets.read('runner-token'),
    );
    const args = ['--homepath', found.grafana.homepath, '--config', grafana.configFile];
    specs.push({
      name: 'grafana',
      command: found.grafana.bin,
      args: found.grafana.legacy ? args : ['server', ...args],
      env: grafana.env,
      cwd: found.grafana.homepath,
      logFile: log('grafana'),
      ready: httpReady(`${local(ports.grafana)}/api/health`, 180_000),
    });
  }
  return specs;
}

function componentState(
  name: string,
  running: Running,
  state: StackState,
  ports: Record<PortName, number>,
): ComponentState {
  const health: Record<string, [url: string, health?: string]> = {
    redis: [`redis://127.0.0.1:${ports.redis}`],
    reference: [state.mcpUrl, `${state.referenceUrl}/readyz`],
    runner: [state.runnerUrl, `${state.runnerUrl}/readyz`],
    prometheus: [local(ports.prometheus), `${local(ports.prometheus)}/-/ready`],
    alertmanager: [local(ports.alertmanager), `${local(ports.alertmanager)}/-/ready`],
    grafana: [local(ports.grafana), `${local(ports.grafana)}/api/health`],
  };
  const [url, healthUrl] = health[name] ?? [''];
  return { name, pid: running.pid, url, ...(healthUrl ? { healthUrl } : {}), logFile: running.logFile };
}

function describe(name: string, state: StackState): string {
  const rel = shown;
  const url = state.components.find((c) => c.name === name)?.url ?? '';
  switch (name) {
    case 'reference':
      return `${url} (the MCP server under test; fault injection with the admin token in ${rel(state.secrets['reference-admin-token'])})`;
    case 'runner':
      return `${url} (API token in ${rel(state.secrets['runner-token'])}; also the alert receiver: vigil alerts)`;
    case 'alertmanager':
      return `${url} (notifications go to the runner)`;
    case 'grafana':
      return `${url} (user admin, password in ${rel(state.secrets['grafana-admin-password'])}; the Vigil app under Apps)`;
    default:
      return url;
  }
}

function probeLine(seeded: Bootstrapped, mcpUrl: string): string {
  const what = seeded.probe === 'created' ? 'created' : 'already there';
  const target = seeded.target === 'updated' ? `; target "${REFERENCE_TARGET}" moved to ${mcpUrl}` : '';
  return `  probe "${REFERENCE_PROBE}" every ${PROBE_INTERVAL_SECONDS} s on ${mcpUrl} (${what}${target})`;
}

function grafanaAppInstalled(): boolean {
  return existsSync(path.join(SHIPPED.pluginDist, 'module.js'));
}
