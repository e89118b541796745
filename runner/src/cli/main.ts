/**
 * The `vigil` CLI: `serve` (the runner service), `run` (a CI gate), `probe` (one credentialed
 * walk), `scenarios` (the catalog); `up`, `down`, `status`, `alerts`, `drill` (the whole stack,
 * stack-commands.ts). Exit codes: README.md "CLI exit codes".
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { formatMeasured, PROFILES, SCENARIOS, type ProbeResult } from '@vigil/scenarios/catalog';
import { configFromEnv } from '../config.ts';
import type { TargetAuth } from '../store/types.ts';
import {
  directRun,
  EXIT,
  secretsOf,
  UsageError,
  type DirectRunOptions,
  type DirectRunResult,
} from './direct-run.ts';
import {
  FAIL_ON,
  findingLines,
  findingsAtOrAbove,
  redactSecrets,
  STRICT_VALUES,
  type FailOn,
} from './findings.ts';
import { stepTable } from './report.ts';
import { registerStackCommands } from './stack-commands.ts';
import { sarifLog } from './sarif.ts';

const collect = (value: string, previous: string[]) => [...previous, value];
const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

function authFrom(opts: Record<string, string | undefined>): TargetAuth {
  const auth: TargetAuth = {};
  if (opts.clientId) auth.clientId = opts.clientId;
  if (opts.loginUser) auth.loginUser = opts.loginUser;
  if (opts.scope) auth.scopes = opts.scope;
  if (opts.grant) auth.grant = opts.grant as TargetAuth['grant'];
  if (opts.tokenAuth) auth.tokenAuth = opts.tokenAuth as TargetAuth['tokenAuth'];
  return auth;
}

function withK6Options(cmd: Command): Command {
  return cmd
    .option('--client-id <id>', 'pre-registered client id (secret: env CLIENT_SECRET, never a flag)')
    .option('--login-user <user>', 'login form user (password: env LOGIN_PASSWORD)')
    .option('--scope <scopes>', 'scopes to ask for')
    .addOption(
      new Option('--grant <grant>', 'OAuth grant').choices(['authorization_code', 'client_credentials']),
    )
    .addOption(
      new Option('--token-auth <method>', 'token endpoint auth').choices([
        'none',
        'client_secret_basic',
        'client_secret_post',
        'private_key_jwt',
      ]),
    )
    .option('--k6 <path>', 'k6 executable (default: env K6_BIN, else k6 on PATH)')
    .option('--remote-write <url>', 'Prometheus remote-write URL (default: env VIGIL_REMOTE_WRITE_URL)')
    .option('--timeout <seconds>', 'hard timeout in seconds', (v) => Number(v))
    .option('--json', 'print the summary as JSON on stdout');
}

function progressPrinter(label: string): ((f: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (fraction) =>
    process.stderr.write(`\r${label} [${String(Math.round(fraction * 100)).padStart(3)}%]`);
}

/** What `vigil probe` adds to a run: the findings gate and the SARIF file. */
interface ProbeOutputs {
  failOn: FailOn;
  sarif?: string;
  target: string;
}

/** `vigil probe --sarif`: the findings as a SARIF log, secrets kept out. */
function writeSarif(result: DirectRunResult, probe: ProbeOutputs): string | undefined {
  if (!result.outDir || !probe.sarif) return undefined;
  const file = resolve(probe.sarif);
  mkdirSync(dirname(file), { recursive: true });
  const log = redactSecrets(sarifLog(result.outcome.summary, probe.target), secretsOf(process.env));
  writeFileSync(file, `${JSON.stringify(log, null, 2)}\n`);
  return file;
}

async function runAndReport(
  options: DirectRunOptions,
  json: boolean,
  probeOutputs?: ProbeOutputs,
): Promise<number> {
  const result = await directRun(options);
  if (process.stderr.isTTY) process.stderr.write('\n');
  const { outcome, meta } = result;
  const probe: ProbeResult | undefined = outcome.summary?.probe;
  const sarifFile = probeOutputs && writeSarif(result, probeOutputs);
  const failing = probeOutputs ? findingsAtOrAbove(probe, probeOutputs.failOn) : [];
  if (json) process.stdout.write(`${JSON.stringify({ ...meta, summary: outcome.summary }, null, 2)}\n`);
  else {
    if (probeOutputs && probe) process.stdout.write(`${stepTable(probe)}\n\n${findingLines(probe)}\n\n`);
    for (const t of outcome.summary?.thresholds ?? [])
      process.stdout.write(
        `${t.ok ? '✓' : '✗'} ${t.metric} ${t.expression} (${formatMeasured(t.expression, t.value)})\n`,
      );
    if (failing.length)
      process.stdout.write(
        `--fail-on ${probeOutputs!.failOn}: ${failing.length} finding${failing.length === 1 ? '' : 's'} at or above ${probeOutputs!.failOn} (${[...new Set(failing.map((f) => f.code))].join(', ')})\n`,
      );
    const where = result.outDir
      ? ` — reports in ${result.outDir}${sarifFile ? `, SARIF in ${sarifFile}` : ''}`
      : ' — nothing ran, no reports written';
    process.stdout.write(`${meta.status}${meta.error ? `: ${meta.error}` : ''}${where}\n`);
  }
  if (result.exitCode !== EXIT.ok) return result.exitCode;
  // A walk that failed, or findings at or above --fail-on, fail a probe whose k6 run passed.
  if (probeOutputs && probe && (!probe.ok || failing.length > 0)) return EXIT.thresholdsFailed;
  return result.exitCode;
}

function k6Settings(opts: { k6?: string; remoteWrite?: string }) {
  return {
    k6Bin: opts.k6 ?? process.env.K6_BIN ?? 'k6',
    remoteWriteUrl: opts.remoteWrite ?? process.env.VIGIL_REMOTE_WRITE_URL,
  };
}

export function buildCli(): Command {
  const program = new Command('vigil')
    .description('Load-test and probe OAuth-protected MCP servers with k6')
    .version(version, '-V, --version', 'print the vigil version')
    .exitOverride();

  program
    .command('serve')
    .description('run the runner service (HTTP API, probe scheduler, /metrics)')
    .option('--port <port>', 'listen port (env VIGIL_PORT, default 8090)')
    .option('--host <host>', 'listen address (env VIGIL_HOST, default 127.0.0.1)')
    .option('--db <path>', 'SQLite file (env VIGIL_DB)')
    .option('--data-dir <dir>', 'run folders (env VIGIL_DATA_DIR)')
    .option('--token-file <file>', 'file holding the API bearer token (env VIGIL_TOKEN); never a flag value')
    .option('--secret-key-file <file>', 'file holding the 32-byte secret key (env VIGIL_SECRET_KEY)')
    .option('--allowed-hosts <list>', 'comma-separated target hosts (env VIGIL_ALLOWED_HOSTS)')
    .option('--remote-write <url>', 'Prometheus remote-write URL (env VIGIL_REMOTE_WRITE_URL)')
    .option('--k6 <path>', 'k6 executable (env K6_BIN)')
    .option('--max-vus <n>', 'env VIGIL_MAX_VUS')
    .option('--max-rate <n>', 'env VIGIL_MAX_RATE')
    .option('--max-duration <d>', 'env VIGIL_MAX_DURATION, e.g. 1h')
    .option('--max-concurrent-runs <n>', 'env VIGIL_MAX_CONCURRENT_RUNS')
    .action(async (opts: Record<string, string | undefined>) => {
      const overlay: Record<string, string | undefined> = {
        VIGIL_PORT: opts.port,
        VIGIL_HOST: opts.host,
        VIGIL_DB: opts.db,
        VIGIL_DATA_DIR: opts.dataDir,
        VIGIL_TOKEN: opts.tokenFile ? readFileSync(opts.tokenFile, 'utf8').trim() : undefined,
        VIGIL_SECRET_KEY: opts.secretKeyFile ? readFileSync(opts.secretKeyFile, 'utf8').trim() : undefined,
        VIGIL_ALLOWED_HOSTS: opts.allowedHosts,
        VIGIL_REMOTE_WRITE_URL: opts.remoteWrite,
        K6_BIN: opts.k6,
        VIGIL_MAX_VUS: opts.maxVus,
        VIGIL_MAX_RATE: opts.maxRate,
        VIGIL_MAX_DURATION: opts.maxDuration,
        VIGIL_MAX_CONCURRENT_RUNS: opts.maxConcurrentRuns,
      };
      const env = { ...process.env };
      for (const [k, v] of Object.entries(overlay)) if (v !== undefined) env[k] = v;
      // Loaded on demand: the server's dependencies would slow every other command's start.
      const { createRunner } = await import('../app.ts');
      const runner = await createRunner(configFromEnv(env));
      const address = await runner.listen();
      runner.app.log.info({ address }, 'vigil runner listening');
      const shutdown = async (signal: string) => {
        runner.app.log.info({ signal }, 'shutting down: stopping runs, closing the store');
        await runner.close();
        process.exit(0);
      };
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      process.once('SIGINT', () => void shutdown('SIGINT'));
    });

  withK6Options(
    program
      .command('run <scenario>')
      .description('run a scenario with k6 and write summary.json, report.md and junit.xml')
      .requiredOption('--target <url>', 'the MCP endpoint')
      .addOption(new Option('--profile <profile>', 'load profile').choices([...PROFILES]).default('smoke'))
      .option('--set <key=value>', 'parameter override (repeatable)', collect, [])
      .option('--out <dir>', 'output folder', 'vigil-results'),
  ).action(async (scenario: string, opts) => {
    process.exitCode = await runAndReport(
      {
        scenario,
        target: opts.target,
        profile: opts.profile,
        set: opts.set,
        out: opts.out,
        auth: authFrom(opts),
        timeoutSeconds: opts.timeout,
        progress: progressPrinter(scenario),
        ...k6Settings(opts),
      },
      Boolean(opts.json),
    );
  });

  withK6Options(
    program
      .command('probe')
      .description('one credentialed walk of the target, printed step by step')
      .requiredOption('--target <url>', 'the MCP endpoint')
      .option('--out <dir>', 'output folder', 'vigil-probe')
      .addOption(
        new Option(
          '--fail-on <severity>',
          'exit 1 when a spec finding is this severe or worse, even if the walk passed',
        )
          .choices([...FAIL_ON])
          .default('none'),
      )
      .addOption(
        new Option(
          '--strict <severity>',
          'the walk itself fails on spec findings this severe or worse (true = high); passed to the script as STRICT',
        ).choices([...STRICT_VALUES]),
      )
      .option('--sarif <file>', 'also write the spec findings as a SARIF 2.1.0 log to this file'),
  ).action(async (opts) => {
    process.exitCode = await runAndReport(
      {
        scenario: 'probe',
        target: opts.target,
        profile: 'smoke',
        // The probe scenario's `strict` parameter (catalog): validated like any override, sent as -e STRICT=…
        set: opts.strict ? [`strict=${opts.strict}`] : [],
        out: opts.out,
        auth: authFrom(opts),
        timeoutSeconds: opts.timeout ?? 120,
        failOn: opts.failOn as FailOn,
        ...k6Settings(opts),
      },
      Boolean(opts.json),
      { failOn: opts.failOn as FailOn, sarif: opts.sarif, target: opts.target },
    );
  });

  program
    .command('openapi')
    .description("print the runner API's OpenAPI 3.1 document (the same as GET /api/openapi.json)")
    .option('--out <file>', 'write it to this file instead of stdout')
    .action(async (opts: { out?: string }) => {
      const { openApiDocument } = await import('../api/openapi.ts');
      const text = `${JSON.stringify(await openApiDocument(), null, 2)}\n`;
      if (opts.out) writeFileSync(opts.out, text);
      else process.stdout.write(text);
    });

  program
    .command('scenarios')
    .description('list the scenarios, their parameters and profiles')
    .option('--json', 'print the catalog as JSON')
    .action((opts: { json?: boolean }) => {
      if (opts.json)
        return void process.stdout.write(`${JSON.stringify(Object.values(SCENARIOS), null, 2)}\n`);
      for (const s of Object.values(SCENARIOS)) {
        process.stdout.write(`${s.id.padEnd(14)} ${s.kind.padEnd(6)} ${s.title}\n`);
        for (const p of s.parameters) {
          const bounds = [
            p.min !== undefined ? `min ${p.min}` : '',
            p.max !== undefined ? `max ${p.max}` : '',
            p.default !== undefined ? `default ${p.default}` : '',
          ]
            .filter(Boolean)
            .join(', ');
          process.stdout.write(
            `    --set ${p.key}=<${p.type}>  ${p.description}${bounds ? ` (${bounds})` : ''}\n`,
          );
        }
      }
      process.stdout.write(`profiles: ${PROFILES.join(', ')}\n`);
    });
  registerStackCommands(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    const e = error as { code?: string; exitCode?: number; message?: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
      process.exit(0);
    if (e.code?.startsWith('commander.')) process.exit(EXIT.usage);
    if (error instanceof UsageError) {
      process.stderr.write(`vigil: ${error.message}\n`);
      process.exit(EXIT.usage);
    }
    process.stderr.write(`vigil: ${e.message ?? String(error)}\n`);
    process.exit(EXIT.runError);
  }
}

// `vigil scenarios | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
void main(process.argv);
