import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startTarget, type TargetOptions } from './index.ts';

const HELP = `vigil-reference-server — reference OAuth 2.1 + PKCE protected MCP server

Usage: npm start -w reference-server -- [options]      (or: vigil-reference-server [options])

Options (each also read from the environment variable in brackets):
  --host <addr>            listen address [HOST] (default 127.0.0.1)
  --port <n>               listen port, 0 = any free port [PORT] (default 8080)
  --public-url <url>       origin clients use, e.g. behind a proxy [PUBLIC_URL]
  --redis-url <url>        Redis for AS data and MCP sessions [REDIS_URL] (unset: in-memory)
  --login-mode             require the login form at authorization [LOGIN_MODE=true]
  --admin-token <token>    guards /admin/* [ADMIN_TOKEN] (default: random, printed at start)
  --config <file.json>     a JSON file of TargetOptions (clients, users, variant, upstream…) [TARGET_CONFIG]
  --access-token-ttl <s>   access token lifetime in seconds [ACCESS_TOKEN_TTL] (default 300)
  --refresh-token-ttl <s>  refresh token lifetime in seconds [REFRESH_TOKEN_TTL] (default 3600)
  --allowed-hosts <list>   comma-separated host:port values accepted in Host/Origin [ALLOWED_HOSTS]
                           (default: 127.0.0.1, localhost and [::1] with the port, plus the public URL's host)
  --log-level <level>      pino level [LOG_LEVEL] (default info)
  -h, --help               this text

Command-line flags win over environment variables, which win over the config file.
Endpoints: /mcp (Streamable HTTP), /sse + /messages (legacy), /mcp/ws (WebSocket),
/.well-known/*, /authorize, /token, /register, /revoke, /metrics, /healthz, /readyz, /admin/faults.
`;

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`${name} must be a number, got "${value}"`);
  return parsed;
}

function hostList(value: string | undefined): string[] | undefined {
  const hosts = value
    ?.split(',')
    .map((host) => host.trim())
    .filter(Boolean);
  return hosts?.length ? hosts : undefined;
}

function readConfigFile(path: string | undefined): TargetOptions {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as TargetOptions;
  } catch (error) {
    throw new Error(`config file ${path}: ${(error as Error).message}`);
  }
}

export function optionsFromCli(argv: string[], env: NodeJS.ProcessEnv): TargetOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'public-url': { type: 'string' },
      'redis-url': { type: 'string' },
      'login-mode': { type: 'boolean' },
      'admin-token': { type: 'string' },
      config: { type: 'string' },
      'access-token-ttl': { type: 'string' },
      'refresh-token-ttl': { type: 'string' },
      'log-level': { type: 'string' },
      'allowed-hosts': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const file = readConfigFile(values.config ?? env.TARGET_CONFIG);
  const pick = <T>(...candidates: Array<T | undefined>) =>
    candidates.find((candidate) => candidate !== undefined);
  return {
    ...file,
    host: pick(values.host, env.HOST, file.host),
    port: pick(numberOption('--port', values.port), numberOption('PORT', env.PORT), file.port),
    publicUrl: pick(values['public-url'], env.PUBLIC_URL, file.publicUrl),
    redisUrl: pick(values['redis-url'], env.REDIS_URL || undefined, file.redisUrl),
    loginMode: pick(
      values['login-mode'],
      env.LOGIN_MODE ? env.LOGIN_MODE === 'true' : undefined,
      file.loginMode,
    ),
    adminToken: pick(values['admin-token'], env.ADMIN_TOKEN, file.adminToken),
    accessTokenTtlSeconds: pick(
      numberOption('--access-token-ttl', values['access-token-ttl']),
      numberOption('ACCESS_TOKEN_TTL', env.ACCESS_TOKEN_TTL),
      file.accessTokenTtlSeconds,
    ),
    refreshTokenTtlSeconds: pick(
      numberOption('--refresh-token-ttl', values['refresh-token-ttl']),
      numberOption('REFRESH_TOKEN_TTL', env.REFRESH_TOKEN_TTL),
      file.refreshTokenTtlSeconds,
    ),
    logLevel: pick(values['log-level'], env.LOG_LEVEL, file.logLevel),
    allowedHosts: pick(hostList(values['allowed-hosts']), hostList(env.ALLOWED_HOSTS), file.allowedHosts),
  };
}

const K6_INSTALL_URL = 'https://grafana.com/docs/k6/latest/set-up/install-k6/';

/** The k6 the `vigil` CLI would use (K6_BIN, else k6 on PATH), or undefined. */
function findK6(env: NodeJS.ProcessEnv): string | undefined {
  const bin = env.K6_BIN || 'k6';
  const candidates = bin.includes('/')
    ? [bin]
    : (env.PATH ?? '').split(delimiter).map((dir) => join(dir, bin));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The first screen: what this server is for and the next command to try against it. */
export function nextSteps(mcpUrl: string, k6: string | undefined): string {
  const k6Line = k6
    ? `k6 found: ${k6}`
    : `k6 not found (needed for the two commands below): install k6 >= 1.0 from ${K6_INSTALL_URL}, or set K6_BIN`;
  return [
    '',
    `MCP endpoint: ${mcpUrl}  (OAuth 2.1 + PKCE; any MCP client can connect, authorization needs no login by default)`,
    '',
    'Next, from the repository root:',
    `  npx vigil probe --target ${mcpUrl}`,
    '      one credentialed walk of discovery, registration, PKCE, token, tools and refresh, step by step',
    `  npx vigil run oauth --target ${mcpUrl} --profile smoke --out results/`,
    '      a CI gate: writes report.md and junit.xml, exits 1 when an SLO threshold fails',
    `  ${k6Line}`,
    '  npx vigil --help lists every command',
    '',
  ].join('\n');
}

async function main() {
  let options: TargetOptions | 'help';
  try {
    options = optionsFromCli(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(HELP);
    return;
  }
  const target = await startTarget(options);
  if (!options.adminToken) process.stderr.write(`admin token (generated): ${target.adminToken}\n`);
  process.stderr.write(`${nextSteps(target.mcpUrl, findK6(process.env))}\n`);
  const shutdown = (signal: string) => {
    process.stderr.write(`${signal}: shutting down\n`);
    target.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: Error) => {
  process.stderr.write(`vigil-reference-server failed to start: ${error.message}\n`);
  process.exit(1);
});
