/**
 * Which streams a server offers, tried in order: WebSocket at WS_URL (default `<MCP_URL>/ws`),
 * the Streamable HTTP GET stream on the MCP endpoint, and the legacy SSE endpoint (SSE_URL,
 * default `<origin>/sse`). A refused or absent transport is a result, not an exception.
 */
import type { Config } from './config.ts';
import type { McpSession } from './mcp.ts';
import { metrics } from './metrics.ts';
import { holdEventStream, type StreamOutcome } from './sse-legacy.ts';
import { joinPath, parseUrl, toWebSocketUrl } from './url.ts';
import { holdWebSocket, type WebSocketOutcome } from './ws.ts';

export function webSocketUrl(config: Config): string {
  return config.wsUrl ?? `${toWebSocketUrl(config.mcpUrl).replace(/\/+$/, '')}/ws`;
}

export function legacySseUrl(config: Config): string {
  return config.sseUrl ?? joinPath(parseUrl(config.mcpUrl)?.origin ?? config.mcpUrl, '/sse');
}

/** Streams this VU holds right now; k6 gauges keep the last sample, so this is per VU. */
let openStreams = 0;

function opened(): void {
  metrics.mcpOpenConnections.add(++openStreams);
}

function closed(): void {
  metrics.mcpOpenConnections.add(Math.max(0, --openStreams));
}

export interface StreamsResult {
  websocket: WebSocketOutcome;
  /** `streamableStatus`: what GET on the MCP endpoint answered when it offered no stream (405, 404). */
  sse: StreamOutcome & { transport?: 'streamable_http' | 'legacy_sse'; streamableStatus?: number };
}

/** Holds an HTTP event stream: the Streamable HTTP GET stream, else the legacy SSE endpoint. */
export function holdSse(config: Config, session: McpSession, holdMs: number): StreamsResult['sse'] {
  opened();
  try {
    const streamable = holdEventStream({
      url: config.mcpUrl,
      token: session.token,
      holdMs,
      sessionId: session.sessionId,
      protocolVersion: session.protocolVersion,
      name: 'GET {mcp} event stream',
    });
    if (streamable.kind !== 'not_offered') return { ...streamable, transport: 'streamable_http' };
    const legacy = holdEventStream({
      url: legacySseUrl(config),
      token: session.token,
      holdMs,
      name: 'GET {legacy sse}',
    });
    const streamableStatus = streamable.status;
    return legacy.kind === 'not_offered'
      ? { ...legacy, streamableStatus }
      : { ...legacy, transport: 'legacy_sse', streamableStatus };
  } finally {
    closed();
  }
}

/**
 * Opens a WebSocket (async) and, while it is held, an HTTP event stream: STREAMS_PER_VU
 * connections at once. The WebSocket hold covers the SSE hold.
 */
export async function holdStreams(
  config: Config,
  session: McpSession,
  holdMs: number,
): Promise<StreamsResult> {
  let wsOpen = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const websocketDone = holdWebSocket({
    url: webSocketUrl(config),
    token: session.token,
    holdMs,
    onOpen: () => {
      wsOpen = true;
      opened();
    },
    onClose: () => {
      if (wsOpen) closed();
    },
    onReady: () => markReady(),
  });
  // Wait until the WebSocket is initialized (its hold timer runs) before the blocking SSE hold.
  await ready;
  const sse = holdSse(config, session, holdMs);
  const websocket = await websocketDone;
  return { websocket, sse };
}
