/**
 * `npm run bench -w reference-server`: the target runs in a child process with a real Redis; this process
 * generates the load on loopback and prints achieved rate and p50/p95/p99 per phase, plus the
 * server's RSS and CPU (read from its own /metrics). Phases are short (≈10–15 s) on purpose.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { freePort, startRedis, waitForHttp } from '@vigil/testkit';
import { sloById } from '@vigil/scenarios/catalog';
import {
  INITIALIZE,
  MCP_ACCEPT,
  MCP_PROTOCOL_VERSION,
  REDIRECT_URI,
  authorize,
  fullAuthFlow,
  pkcePair,
  register,
  tokenRequest,
  type RegisteredClient,
} from '../support/oauth-flow.ts';
import { closedLoop, createPoster, openLoop, summarize, type PhaseResult } from './load.ts';

const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 15_000);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 1000);
const MCP_CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 1000);

interface ServerSample {
  rssBytes: number;
  cpuSeconds: number;
}

async function sampleServer(metricsUrl: string): Promise<ServerSample> {
  const text = await (await fetch(metricsUrl)).text();
  const value = (name: string) => Number(new RegExp(`^${name} ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { rssBytes: value('process_resident_memory_bytes'), cpuSeconds: value('process_cpu_seconds_total') };
}

function startTargetProcess(port: number, redisUrl: string): ChildProcess {
  const require = createRequire(import.meta.url);
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  return spawn(
    process.execPath,
    [
      require.resolve('tsx/cli'),
      main,
      '--port',
      String(port),
      '--redis-url',
      redisUrl,
      '--log-level',
      'warn',
      '--access-token-ttl',
      '3600',
      '--admin-token',
      'bench',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

/** Goals come from the SLO catalog, never restated here. */
const goal = (id: string) => sloById(id)?.title ?? id;

const rows: Array<Record<string, unknown>> = [];

async function phase(metricsUrl: string, run: () => Promise<PhaseResult>, goal?: string) {
  const before = await sampleServer(metricsUrl);
  const ownCpu = process.cpuUsage();
  const result = await run();
  const ownCpuSeconds = (() => {
    const used = process.cpuUsage(ownCpu);
    return (used.user + used.system) / 1e6;
  })();
  const after = await sampleServer(metricsUrl);
  const row = {
    ...summarize(result),
    serverCpuPct: +(((after.cpuSeconds - before.cpuSeconds) / result.seconds) * 100).toFixed(0),
    serverRssMB: +(after.rssBytes / 2 ** 20).toFixed(0),
    loadGenCpuPct: +((ownCpuSeconds / result.seconds) * 100).toFixed(0),
    goal: goal ?? '',
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}

async function obtainGrants(issuer: string, resource: string, count: number) {
  const grants: Array<{ client: RegisteredClient; refreshToken: string; accessToken: string }> = [];
  const client = await register(issuer);
  const worker = async () => {
    while (grants.length < count) {
      const { tokens } = await fullAuthFlow(issuer, resource, { client });
      grants.push({ client, refreshToken: tokens.refresh_token!, accessToken: tokens.access_token! });
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
  return grants;
}

async function main() {
  const redis = await startRedis();
  const port = await freePort();
  const child = startTargetProcess(port, redis.url);
  const origin = `http://127.0.0.1:${port}`;
  const issuer = origin;
  const mcpUrl = `${origin}/mcp`;
  const metricsUrl = `${origin}/metrics`;
  try {
    await waitForHttp(`${origin}/healthz`);
    console.log(
      `load average before: ${os
        .loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')} on ${os.cpus().length} cores`,
    );
    console.log(`target pid ${child.pid} on ${origin}, Redis ${redis.url}; phases of ${PHASE_MS / 1000} s`);

    const clients = await Promise.all(Array.from({ length: 20 }, () => register(issuer)));
    let next = 0;
    const oneFlow = async () => {
      const client = clients[next++ % clients.length]!;
      const { verifier, challenge } = pkcePair();
      const redirect = await authorize({ issuer, clientId: client.client_id, resource: mcpUrl, challenge });
      const code = redirect.searchParams.get('code');
      if (!code) throw new Error('no code');
      const token = await tokenRequest(issuer, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_id: client.client_id,
      });
      if (token.status !== 200) throw new Error('token failed');
    };
    // Warm-up (not recorded): the first seconds after start are JIT compilation, not the server.
    await openLoop('warm-up', 20, 3_000, 100, oneFlow);
    await phase(
      metricsUrl,
      () => openLoop('auth flow (authorize+interaction+token) @50/s', 50, PHASE_MS, 500, oneFlow),
      goal('auth_flow_p95'),
    );

    const grants = await obtainGrants(issuer, mcpUrl, 300);
    const idle = [...grants];
    await phase(
      metricsUrl,
      () =>
        openLoop('token refresh (rotating) @500/s', 500, PHASE_MS, grants.length, async () => {
          const grant = idle.shift()!;
          try {
            const refreshed = await tokenRequest(issuer, {
              grant_type: 'refresh_token',
              refresh_token: grant.refreshToken,
              client_id: grant.client.client_id,
            });
            if (refreshed.status !== 200 || !refreshed.body.refresh_token) throw new Error('refresh failed');
            grant.refreshToken = refreshed.body.refresh_token;
          } finally {
            idle.push(grant);
          }
        }),
      goal('token_refresh_p95'),
    );

    const post = createPoster(origin, MCP_CONNECTIONS + 10);
    const sessions = await Promise.all(
      grants.slice(0, 20).map(async (grant) => {
        const headers = {
          authorization: `Bearer ${grant.accessToken}`,
          'content-type': 'application/json',
          accept: MCP_ACCEPT,
        };
        const init = await fetch(mcpUrl, { method: 'POST', headers, body: JSON.stringify(INITIALIZE) });
        await init.text();
        return {
          ...headers,
          'mcp-session-id': init.headers.get('mcp-session-id')!,
          'mcp-protocol-version': MCP_PROTOCOL_VERSION,
        };
      }),
    );
    // Ids must be unique per session: the transport routes each answer by its request id.
    let requestId = 0;
    const rpc = (worker: number, body: Record<string, unknown>) =>
      post('/mcp', sessions[worker % sessions.length]!, JSON.stringify({ ...body, id: ++requestId })).then(
        (response) => {
          if (response.status !== 200 || response.body.includes('"error"'))
            throw new Error(`status ${response.status}`);
        },
      );
    await phase(
      metricsUrl,
      () =>
        closedLoop(
          `authorized MCP requests (ping), ${MCP_CONNECTIONS} concurrent connections (closed loop)`,
          MCP_CONNECTIONS,
          PHASE_MS,
          (worker) => rpc(worker, { jsonrpc: '2.0', method: 'ping' }),
        ),
      goal('session_validation_p95'),
    );
    // The closed loop above measures saturation (latency ≈ connections / throughput); this one
    // shows session-validation latency at a sustainable arrival rate over the same 1000 sockets.
    await phase(
      metricsUrl,
      () =>
        openLoop(
          `authorized MCP requests (ping) @1000/s over ${MCP_CONNECTIONS} keep-alive connections`,
          1000,
          PHASE_MS * 0.7,
          MCP_CONNECTIONS,
          () => rpc(0, { jsonrpc: '2.0', method: 'ping' }),
        ),
      goal('session_validation_p95'),
    );
    await phase(
      metricsUrl,
      () =>
        closedLoop('tool execution (echo), 100 connections', 100, PHASE_MS * 0.7, (worker) =>
          rpc(worker, {
            jsonrpc: '2.0',
            method: 'tools/call',
            params: { name: 'echo', arguments: { text: 'bench' } },
          }),
        ),
      goal('tool_execution_p95'),
    );
    await phase(
      metricsUrl,
      () =>
        closedLoop(
          'tool execution (simulate_upstream, median 50 ms / p99 400 ms), 200 connections',
          200,
          PHASE_MS * 0.7,
          (worker) =>
            rpc(worker, {
              jsonrpc: '2.0',
              method: 'tools/call',
              params: { name: 'simulate_upstream', arguments: { errorRate: 0 } },
            }),
        ),
      goal('tool_execution_p95'),
    );

    await holdStreams(
      origin,
      grants.map((grant) => grant.accessToken),
      metricsUrl,
    );
    console.log(
      `load average after: ${os
        .loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')}`,
    );
    console.log('\nsummary');
    console.table(rows);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await redis.stop();
  }
}

async function holdStreams(origin: string, tokens: string[], metricsUrl: string) {
  const wsUrl = `${origin.replace('http', 'ws')}/mcp/ws`;
  const sockets: WebSocket[] = [];
  const openStarted = performance.now();
  const connectTimes: number[] = [];
  for (let batch = 0; batch < STREAMS; batch += 100) {
    await Promise.all(
      Array.from(
        { length: Math.min(100, STREAMS - batch) },
        (_, index) =>
          new Promise<void>((resolve, reject) => {
            const begin = performance.now();
            const socket = new WebSocket(wsUrl, 'mcp', {
              headers: { authorization: `Bearer ${tokens[(batch + index) % tokens.length]}` },
            });
            socket.once('open', () => socket.send(JSON.stringify(INITIALIZE)));
            socket.once('message', () => {
              connectTimes.push(performance.now() - begin);
              sockets.push(socket);
              resolve();
            });
            socket.once('error', reject);
            socket.once('unexpected-response', (_request, response) =>
              reject(
                new Error(
                  `upgrade refused: ${response.statusCode} ${response.headers['www-authenticate'] ?? ''}`,
                ),
              ),
            );
          }),
      ),
    );
  }
  const openSeconds = (performance.now() - openStarted) / 1000;
  const holdMs = Math.min(10_000, PHASE_MS);
  const beforeHold = await sampleServer(metricsUrl);
  const holdStarted = performance.now();
  await new Promise((resolve) => setTimeout(resolve, holdMs));
  const alive = sockets.filter((socket) => socket.readyState === WebSocket.OPEN).length;
  const sample = await sampleServer(metricsUrl);
  const heldSeconds = (performance.now() - holdStarted) / 1000;
  const gauge = /vigil_target_streaming_connections\{transport="websocket"\} (\d+)/.exec(
    await (await fetch(metricsUrl)).text(),
  )?.[1];
  const sorted = connectTimes.sort((a, b) => a - b);
  const row = {
    phase: `streaming: ${STREAMS} WebSockets (initialized MCP sessions) held ${holdMs / 1000} s`,
    ok: alive,
    failed: STREAMS - alive,
    dropped: 0,
    ratePerSec: +(STREAMS / openSeconds).toFixed(1),
    p50ms: +sorted[Math.floor(sorted.length * 0.5)]!.toFixed(1),
    p95ms: +sorted[Math.floor(sorted.length * 0.95)]!.toFixed(1),
    p99ms: +sorted[Math.floor(sorted.length * 0.99)]!.toFixed(1),
    // CPU while the connections are only held (the cost of idle streams), not while they open.
    serverCpuPct: +(((sample.cpuSeconds - beforeHold.cpuSeconds) / heldSeconds) * 100).toFixed(0),
    serverRssMB: +(sample.rssBytes / 2 ** 20).toFixed(0),
    goal: `${gauge} held on the server; ${goal('streaming_concurrency')}; ${goal('server_memory')}`,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
  for (const socket of sockets) socket.close();
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
