/**
 * The whole-stack commands of the `vigil` CLI: `up`, `down`, `status` (@vigil/stack), `alerts`
 * (the notifications the runner's receiver got) and `drill` (a fault that must page). The stack
 * package is loaded on demand, so `vigil run` in CI starts as fast as before.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { EXIT, UsageError } from './direct-run.ts';

const VIGIL_BIN = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));
const DEFAULT_DATA_DIR = 'vigil-data';
const dataDirOption = () =>
  new Option('--data-dir <dir>', "the stack's data folder (env VIGIL_STACK_DIR)").default(
    process.env.VIGIL_STACK_DIR || DEFAULT_DATA_DIR,
  );

const loadStack = () => import('@vigil/stack');
const say = (line: string) => process.stdout.write(`${line}\n`);

export function registerStackCommands(program: Command): void {
  program
    .command('up')
    .description(
      'start the whole stack from what this machine has: reference server, runner, Redis, Prometheus, Alertmanager, Grafana (with the app), and a probe every 10 s',
    )
    .addOption(dataDirOption())
    .option(
      '--free-ports',
      'let the OS pick every port (default: the usual ports, another where one is taken)',
    )
    .option('--no-grafana', 'do not start Grafana even when it is installed')
    .option('--detach', 'start in the background and return once everything answers (stop with vigil down)')
    .action(async (opts: { dataDir: string; freePorts?: boolean; grafana: boolean; detach?: boolean }) => {
      if (opts.detach) return void (process.exitCode = await detached(opts.dataDir));
      const { up, AlreadyRunning } = await loadStack();
      let handle: Awaited<ReturnType<typeof up>> | undefined;
      let stopping = false;
      const stopOnSignal = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        say(`vigil up: ${signal}: stopping everything it started…`);
        if (handle) await handle.stop();
        else await (await loadStack()).down(opts.dataDir).catch(() => undefined);
        say('vigil up: stopped');
        process.exit(EXIT.ok);
      };
      process.on('SIGINT', () => void stopOnSignal('SIGINT'));
      process.on('SIGTERM', () => void stopOnSignal('SIGTERM'));
      try {
        handle = await up({
          dataDir: opts.dataDir,
          ports: opts.freePorts ? 'free' : 'defaults',
          noGrafana: !opts.grafana,
          runnerCommand: [process.execPath, VIGIL_BIN],
          out: say,
          onExit: (name, how, logFile) =>
            say(
              `vigil up: ${name} stopped unexpectedly (${how}); its log: ${logFile}. The rest keeps running.`,
            ),
        });
      } catch (error) {
        if (error instanceof AlreadyRunning) throw new UsageError(error.message);
        throw error;
      }
      // Keeps the supervisor alive while components run; signals end it.
      setInterval(() => undefined, 1 << 30);
    });

  program
    .command('down')
    .description('stop the stack vigil up started (nothing is left running)')
    .addOption(dataDirOption())
    .action(async (opts: { dataDir: string }) => {
      const result = await (await loadStack()).down(opts.dataDir);
      say(
        result.was === 'stopped'
          ? `vigil down: no stack is running in ${path.resolve(opts.dataDir)}`
          : `vigil down: stopped ${result.stopped.join(', ')}`,
      );
    });

  program
    .command('status')
    .description(
      'what the stack runs: each component, its URL, pid and whether it answers (exit 3 when not running)',
    )
    .addOption(dataDirOption())
    .option('--json', 'print the status as JSON')
    .action(async (opts: { dataDir: string; json?: boolean }) => {
      const result = await (await loadStack()).status(opts.dataDir);
      if (opts.json) say(JSON.stringify({ stack: result.stack, components: result.components }, null, 2));
      else if (result.stack === 'stopped')
        say(`vigil status: no stack is running in ${path.resolve(opts.dataDir)} (vigil up starts one)`);
      else {
        say(
          `stack: ${result.stack} (since ${result.state?.startedAt}, supervisor pid ${result.state?.supervisorPid})`,
        );
        for (const c of result.components)
          say(
            `  ${c.state === 'up' ? '✓' : '✗'} ${c.name.padEnd(12)} ${c.state.padEnd(13)} pid ${String(c.pid).padEnd(7)} ${c.url}`,
          );
      }
      if (result.stack === 'stopped') process.exitCode = EXIT.runError;
      else if (result.components.some((c) => c.state !== 'up')) process.exitCode = EXIT.thresholdsFailed;
    });

  program
    .command('alerts')
    .description("the alert notifications Alertmanager sent to the runner's receiver, newest first")
    .addOption(dataDirOption())
    .option('--runner <url>', 'a runner to ask instead of the running stack (env VIGIL_URL)')
    .option('--token-file <file>', "file holding that runner's API token (env VIGIL_TOKEN)")
    .option('--limit <n>', 'how many', (v) => Number(v), 20)
    .option('--json', 'print the notifications as JSON')
    .action(
      async (opts: {
        dataDir: string;
        runner?: string;
        tokenFile?: string;
        limit: number;
        json?: boolean;
      }) => {
        if (!Number.isInteger(opts.limit) || opts.limit < 1 || opts.limit > 500)
          throw new UsageError('--limit must be an integer from 1 to 500');
        const { url, token } = await runnerAccess(opts);
        const res = await fetch(`${url}/api/notifications?limit=${opts.limit}`, {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(10_000),
        });
        if (!res.ok) throw new Error(`runner GET /api/notifications: ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { items: Notification[] };
        if (opts.json) return void say(JSON.stringify(body.items, null, 2));
        if (body.items.length === 0)
          return void say('no notifications yet (vigil drill <fault> sends a test alert)');
        for (const n of body.items) {
          say(`${n.receivedAt}  ${n.status.toUpperCase().padEnd(8)} ${n.receiver}`);
          for (const a of n.alerts) {
            const where = ['target', 'probe', 'step', 'reason']
              .map((k) => (a.labels[k] ? `${k}=${a.labels[k]}` : ''))
              .filter(Boolean);
            say(
              `    ${a.status === 'firing' ? '🔥' : '✓'} ${a.labels.alertname ?? '?'} ${a.labels.severity ?? ''} ${where.join(' ')}${a.annotations.summary ? ` — ${a.annotations.summary}` : ''}`,
            );
          }
        }
      },
    );

  program
    .command('bootstrap')
    .description(
      'make sure a runner has the reference target and its probe every 10 s (what vigil up and the compose stack do on first start)',
    )
    .requiredOption('--runner <url>', 'the runner (env VIGIL_URL)', process.env.VIGIL_URL)
    .option('--token-file <file>', "file holding the runner's API token (env VIGIL_TOKEN)")
    .requiredOption('--mcp-url <url>', "the reference server's MCP URL")
    .action(async (opts: { runner: string; tokenFile?: string; mcpUrl: string }) => {
      const token = opts.tokenFile ? readFileSync(opts.tokenFile, 'utf8').trim() : process.env.VIGIL_TOKEN;
      if (!token) throw new UsageError('the runner token is needed: --token-file <file> or env VIGIL_TOKEN');
      const { bootstrap, REFERENCE_PROBE, REFERENCE_TARGET } = await loadStack();
      const done = await bootstrap(opts.runner.replace(/\/$/, ''), token, opts.mcpUrl);
      say(`target "${REFERENCE_TARGET}": ${done.target}; probe "${REFERENCE_PROBE}": ${done.probe}`);
    });

  program
    .command('drill')
    .description(
      "make the running stack's probe fail through the reference server's fault injection, wait for the firing notification, then remove the fault and wait for the resolved one; prints how long each took",
    )
    .addArgument(
      new Command()
        .createArgument('<fault>', 'which requests fail')
        .choices(['authorize', 'token', 'tool_call', 'refresh']),
    )
    .addOption(dataDirOption())
    .option('--timeout <seconds>', 'give up after this long for each notification', (v) => Number(v), 180)
    .option('--no-resolve', 'stop after the firing notification')
    .action(async (fault: string, opts: { dataDir: string; timeout: number; resolve: boolean }) => {
      if (!Number.isFinite(opts.timeout) || opts.timeout < 10 || opts.timeout > 3600)
        throw new UsageError('--timeout must be a number of seconds from 10 to 3600');
      const { drill, DrillAborted, StackNotRunning } = await loadStack();
      const abort = new AbortController();
      process.once('SIGINT', () => abort.abort());
      try {
        await drill({
          dataDir: opts.dataDir,
          fault: fault as Parameters<typeof drill>[0]['fault'],
          timeoutMs: opts.timeout * 1000,
          resolve: opts.resolve,
          out: say,
          signal: abort.signal,
        });
      } catch (error) {
        if (error instanceof StackNotRunning) throw new UsageError(error.message);
        if (error instanceof DrillAborted) return void (process.exitCode = EXIT.runError);
        process.stderr.write(`vigil drill: ${(error as Error).message}\n`);
        process.exitCode = EXIT.thresholdsFailed;
      }
    });
}

interface Notification {
  receivedAt: string;
  status: string;
  receiver: string;
  alerts: Array<{ status: string; labels: Record<string, string>; annotations: Record<string, string> }>;
}

/** The runner to ask: --runner/VIGIL_URL with its token, else the running stack's. */
async function runnerAccess(opts: { dataDir: string; runner?: string; tokenFile?: string }) {
  const url = opts.runner ?? process.env.VIGIL_URL;
  if (url) {
    const token = opts.tokenFile ? readFileSync(opts.tokenFile, 'utf8').trim() : process.env.VIGIL_TOKEN;
    if (!token) throw new UsageError('--runner needs its token: --token-file <file> or env VIGIL_TOKEN');
    return { url: url.replace(/\/$/, ''), token };
  }
  const { runningStack, secretOf, StackNotRunning } = await loadStack();
  try {
    const state = runningStack(opts.dataDir);
    return { url: state.runnerUrl, token: secretOf(state, 'runner-token') };
  } catch (error) {
    if (error instanceof StackNotRunning)
      throw new UsageError(`${error.message}; or name a runner with --runner`);
    throw error;
  }
}

/** `vigil up --detach`: the same command in the background; returns once it is ready or failed. */
async function detached(dataDir: string): Promise<number> {
  const { layoutOf, readState } = await loadStack();
  const layout = layoutOf(dataDir);
  mkdirSync(layout.logsDir, { recursive: true });
  const logFile = path.join(layout.logsDir, 'up.log');
  const out = openSync(logFile, 'w');
  const args = process.argv.slice(2).filter((a) => a !== '--detach');
  const child = spawn(process.execPath, [VIGIL_BIN, ...args], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? 1));
  child.unref();
  const deadline = Date.now() + 10 * 60_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const state = readState(layout);
    if (exited !== null || (state?.ready && state.supervisorPid === child.pid)) break;
  }
  process.stdout.write(readFileSync(logFile, 'utf8'));
  if (exited !== null) return exited === 0 ? EXIT.runError : exited;
  const state = readState(layout);
  return state?.ready ? EXIT.ok : EXIT.runError;
}
