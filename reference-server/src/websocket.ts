import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, WebSocket } from 'ws';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import { bearerChallenge, type ChallengeVariant } from './challenges.ts';
import { MCP_SCOPE } from './config.ts';
import { INJECTED_TOOL_FAULT_MESSAGE, type FaultRegistry } from './faults.ts';
import type { HostGuard } from './guards.ts';
import { instrumentTransport } from './instrument.ts';
import { INVALID_REQUEST, PARSE_ERROR, SERVER_ERROR, calledTool, jsonRpcMessages } from './jsonrpc.ts';
import type { TargetMetrics } from './metrics.ts';
import type { SessionRegistry } from './sessions.ts';
import { createMcpServer, type ToolContext } from './tools.ts';

export const WEBSOCKET_PATH = '/mcp/ws';

export interface WebSocketContext {
  verifier: OAuthTokenVerifier;
  resourceMetadataUrl?: string;
  /** Shapes the upgrade's 401/403 challenge like the HTTP endpoints'. */
  variant: ChallengeVariant;
  guard: HostGuard;
  sessions: SessionRegistry;
  faults: FaultRegistry;
  metrics: TargetMetrics;
  logger: Logger;
  tools: ToolContext;
  maxBodyBytes: number;
}

/**
 * The community WebSocket transport (SEP-1288, not in the spec): one JSON-RPC message per text
 * frame, the subprotocol "mcp" as the SDK's WebSocketClientTransport asks for it. The SDK ships a
 * client side only, so the server side is written here.
 */
class WebSocketServerTransport implements Transport {
  readonly sessionId = randomUUID();
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;

  constructor(
    private readonly socket: WebSocket,
    private readonly authInfo: AuthInfo,
    private readonly faults: FaultRegistry,
  ) {}

  async start() {
    this.socket.on('message', (data, isBinary) => void this.receive(isBinary ? '' : data.toString()));
    this.socket.on('close', () => this.onclose?.());
    this.socket.on('error', (error) => this.onerror?.(error));
  }

  private async receive(text: string) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return this.send({
        jsonrpc: '2.0',
        id: null,
        error: { code: PARSE_ERROR, message: 'Parse error' },
      } as never);
    }
    const messages = jsonRpcMessages(body);
    if (!messages) {
      return this.send({
        jsonrpc: '2.0',
        id: null,
        error: { code: INVALID_REQUEST, message: 'Invalid Request' },
      } as never);
    }
    for (const message of messages) {
      if (calledTool(message)) {
        const outcome = await this.faults.apply('tool_call');
        if (outcome.failStatus) {
          const error = {
            code: SERVER_ERROR,
            message: INJECTED_TOOL_FAULT_MESSAGE,
            data: { status: outcome.failStatus },
          };
          await this.send({ jsonrpc: '2.0', id: message.id, error } as never);
          continue;
        }
      }
      this.onmessage?.(message as JSONRPCMessage, { authInfo: this.authInfo });
    }
  }

  async send(message: JSONRPCMessage) {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  async close() {
    this.socket.close();
  }
}

function refuseUpgrade(socket: Duplex, status: string, headers: Record<string, string> = {}) {
  const lines = [
    `HTTP/1.1 ${status}`,
    'Connection: close',
    'Content-Length: 0',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n`);
}

async function authenticate(req: IncomingMessage, context: WebSocketContext): Promise<AuthInfo | string> {
  const [scheme, token] = (req.headers.authorization ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) return 'Missing bearer token';
  try {
    const auth = await context.verifier.verifyAccessToken(token);
    return auth.scopes.includes(MCP_SCOPE) ? auth : 'insufficient_scope';
  } catch {
    return 'Token is invalid or expired';
  }
}

export function attachWebSocket(server: Server, context: WebSocketContext): WebSocketServer {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: context.maxBodyBytes,
    handleProtocols: (protocols) => (protocols.has('mcp') ? 'mcp' : false),
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void (async () => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== WEBSOCKET_PATH)
        return refuseUpgrade(socket, '404 Not Found');
      if (context.guard.refusal(req)) return refuseUpgrade(socket, '403 Forbidden');
      const auth = await authenticate(req, context);
      if (typeof auth === 'string') {
        const error = auth === 'insufficient_scope' ? 'insufficient_scope' : 'invalid_token';
        const challenge = bearerChallenge(context.variant, error, [MCP_SCOPE], context.resourceMetadataUrl);
        return refuseUpgrade(
          socket,
          error === 'insufficient_scope' ? '403 Forbidden' : '401 Unauthorized',
          challenge ? { 'WWW-Authenticate': challenge } : {},
        );
      }
      wss.handleUpgrade(req, socket, head, (ws) => void serveSocket(ws, auth, context));
    })().catch((error: Error) => {
      context.logger.error({ err: { message: error.message } }, 'websocket upgrade failed');
      socket.destroy();
    });
  });
  return wss;
}

async function serveSocket(ws: WebSocket, auth: AuthInfo, context: WebSocketContext) {
  const server = createMcpServer(context.tools);
  const transport = new WebSocketServerTransport(ws, auth, context.faults);
  context.metrics.streamingConnections.inc({ transport: 'websocket' });
  ws.once('close', () => {
    context.metrics.streamingConnections.dec({ transport: 'websocket' });
    void context.sessions.end(transport.sessionId);
  });
  // Listen first: a client may send initialize the moment the socket opens, before the store answers.
  await server.connect(transport);
  instrumentTransport(transport, 'websocket', context.metrics);
  await context.sessions.add(transport.sessionId, {
    transport,
    server,
    clientId: auth.clientId,
    label: 'websocket',
  });
}
