import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
  CallToolResult,
  LoggingLevel,
  ServerNotification,
  ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ADMIN_SCOPE, type ResolvedConfig } from './config.ts';

export interface ToolContext {
  config: ResolvedConfig;
  storeKind: 'redis' | 'memory';
  startedAt: number;
}

function text(value: string, isError = false): CallToolResult {
  return { content: [{ type: 'text', text: value }], ...(isError ? { isError: true } : {}) };
}

/** A standard normal draw (Box–Muller). */
function standardNormal(): number {
  const u = 1 - Math.random();
  const v = Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Latency of a slow third-party API: log-normal with the given median and 99th percentile
 * (z(0.99) = 2.326), the usual shape of remote call latencies.
 */
export function drawUpstreamLatency(median: number, p99: number): number {
  const sigma = p99 > median && median > 0 ? Math.log(p99 / median) / 2.326 : 0;
  return Math.min(60_000, median * Math.exp(sigma * standardNormal()));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** The SDK Server's test of a level against the one logging/setLevel chose (private in its types). */
interface LevelFilter {
  isMessageIgnored?: (level: LoggingLevel, sessionId?: string) => boolean;
}

/**
 * A `notifications/message` tied to the tool call: `extra.sendNotification` names the request, so
 * Streamable HTTP sends it on the POST's SSE stream before the result, where `sendLoggingMessage`
 * would send it unrelated (to the GET stream, or nowhere without one). Only sendLoggingMessage
 * applies the logging/setLevel level, so the SDK's own test for it is borrowed. Best effort: a log
 * the client can no longer receive must not fail the call.
 */
async function logToClient(
  server: McpServer,
  extra: ToolExtra,
  logger: string,
  level: LoggingLevel,
  data: Record<string, unknown>,
): Promise<void> {
  if ((server.server as unknown as LevelFilter).isMessageIgnored?.(level, extra.sessionId)) return;
  await extra
    .sendNotification({ method: 'notifications/message', params: { level, logger, data } })
    .catch(() => undefined);
}

/** One MCP server (the SDK's McpServer) per session/connection, as the SDK expects. */
export function createMcpServer(context: ToolContext): McpServer {
  const { config } = context;
  // `logging` makes the SDK answer logging/setLevel itself and lets tools send log notifications.
  const server = new McpServer(
    { name: 'vigil-reference-server', version: '0.1.0' },
    { capabilities: { tools: {}, logging: {} } },
  );

  server.registerTool(
    'echo',
    { description: 'Returns its input (fast; no I/O).', inputSchema: { text: z.string().max(65_536) } },
    async ({ text: input }) => text(input),
  );

  server.registerTool(
    'health',
    { description: 'Probe target: reports the server status.', inputSchema: {} },
    async () => {
      const status = {
        status: 'ok',
        store: context.storeKind,
        uptimeSeconds: Math.round((Date.now() - context.startedAt) / 1000),
      };
      return { ...text(JSON.stringify(status)), structuredContent: status };
    },
  );

  server.registerTool(
    'simulate_upstream',
    {
      description:
        'Behaves like a call to a slow third-party API: log-normal latency and an error rate (defaults from the server config).',
      inputSchema: {
        medianMs: z.number().min(0).max(10_000).optional(),
        p99Ms: z.number().min(0).max(30_000).optional(),
        errorRate: z.number().min(0).max(1).optional(),
      },
    },
    async ({ medianMs, p99Ms, errorRate }, extra) => {
      const median = medianMs ?? config.upstream.latencyMs.median;
      const p99 = p99Ms ?? Math.max(median, config.upstream.latencyMs.p99);
      const log = (level: LoggingLevel, data: Record<string, unknown>) =>
        logToClient(server, extra, 'simulate_upstream', level, data);
      await log('info', { event: 'upstream call started', medianMs: median, p99Ms: p99 });
      const latency = drawUpstreamLatency(median, p99);
      await sleep(latency);
      const latencyMs = Math.round(latency);
      if (Math.random() < (errorRate ?? config.upstream.errorRate)) {
        await log('warning', { event: 'upstream call failed', latencyMs });
        return text(`upstream error after ${latencyMs} ms (simulated)`, true);
      }
      await log('info', { event: 'upstream call finished', latencyMs });
      return text(JSON.stringify({ ok: true, latencyMs }));
    },
  );

  server.registerTool(
    'admin_echo',
    {
      description: `Like echo, but needs the ${ADMIN_SCOPE} scope.`,
      inputSchema: { text: z.string().max(65_536) },
    },
    async ({ text: input }, extra) => {
      // HTTP transports answer 403 before reaching here; this covers WebSocket and any other path.
      if (!extra.authInfo?.scopes.includes(ADMIN_SCOPE))
        return text(`insufficient_scope: needs ${ADMIN_SCOPE}`, true);
      return text(input);
    },
  );
  return server;
}

/** Tools that need more than the MCP scope, for the 403 step-up check before dispatch. */
export const TOOL_SCOPES: Record<string, string> = { admin_echo: ADMIN_SCOPE };
