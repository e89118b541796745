/**
 * MCP over WebSocket with k6/websockets (not an official transport, SEP-1288; offered by some
 * servers and the reference target at `<MCP_URL>/ws`). Opens with the bearer token on the
 * upgrade, initializes, holds the connection, then closes. A refused upgrade resolves to a clear
 * `refused` result, never an exception.
 */
import { WebSocket } from 'k6/websockets';
import { assertHostAllowed } from './http.ts';
import { INITIALIZE_REQUEST } from './mcp-protocol.ts';

/** Time from connect to the initialize answer before the WebSocket counts as failed. */
export const CONNECT_TIMEOUT_MS = 5000;
const INITIALIZE_RESEND_MS = 1000;

export type WebSocketOutcome =
  | { kind: 'held'; connectMs: number; heldMs: number }
  | { kind: 'refused'; detail: string }
  | { kind: 'failed'; detail: string; reason: 'timeout' | 'unexpected_status'; connectMs?: number };

export interface HoldOptions {
  url: string;
  token: string;
  holdMs: number;
  onOpen?: () => void;
  onClose?: () => void;
  /** Called once the connection is initialized (the hold starts) or has failed. */
  onReady?: () => void;
}

/** Connects, sends initialize, waits for its answer, holds for `holdMs`, closes. */
export function holdWebSocket({
  url,
  token,
  holdMs,
  onOpen,
  onClose,
  onReady,
}: HoldOptions): Promise<WebSocketOutcome> {
  assertHostAllowed(url, 'stream');
  return new Promise((resolve) => {
    const started = Date.now();
    let openedAt: number | undefined;
    let initialized = false;
    let settled = false;
    const finish = (outcome: WebSocketOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(resend);
      clearTimeout(deadline);
      onReady?.();
      if (openedAt !== undefined) onClose?.();
      resolve(outcome);
    };
    const ws = new WebSocket(url, null, {
      headers: { Authorization: `Bearer ${token}` },
      tags: { name: 'WS {mcp websocket}', step: 'stream' },
    });
    // A server that is still setting the connection up may drop the first frame: resend the
    // initialize once if it has no answer yet, and give up (a `failed` result) after a deadline.
    const resend = setTimeout(() => {
      if (!initialized && openedAt !== undefined) ws.send(JSON.stringify(INITIALIZE_REQUEST));
    }, INITIALIZE_RESEND_MS);
    const deadline = setTimeout(() => {
      if (initialized) return;
      finish(
        openedAt === undefined
          ? { kind: 'refused', detail: `no WebSocket handshake within ${CONNECT_TIMEOUT_MS} ms` }
          : {
              kind: 'failed',
              detail: `no initialize answer within ${CONNECT_TIMEOUT_MS} ms`,
              reason: 'timeout',
              connectMs: openedAt - started,
            },
      );
      ws.close();
    }, CONNECT_TIMEOUT_MS);
    ws.onopen = () => {
      openedAt = Date.now();
      onOpen?.();
      ws.send(JSON.stringify(INITIALIZE_REQUEST));
    };
    ws.onmessage = (event?: { data?: unknown }) => {
      if (initialized) return;
      let message: { id?: unknown; result?: unknown } | undefined;
      try {
        message = JSON.parse(String(event?.data)) as { id?: unknown; result?: unknown };
      } catch {
        message = undefined;
      }
      if (!message || message.id !== INITIALIZE_REQUEST.id) return;
      if (!message.result) {
        finish({
          kind: 'failed',
          detail: 'initialize over WebSocket returned an error',
          reason: 'unexpected_status',
          connectMs: (openedAt ?? started) - started,
        });
        ws.close();
        return;
      }
      initialized = true;
      clearTimeout(resend);
      clearTimeout(deadline);
      const connectMs = Date.now() - started;
      onReady?.();
      setTimeout(() => {
        finish({ kind: 'held', connectMs, heldMs: Date.now() - (openedAt ?? started) });
        ws.close();
      }, holdMs);
    };
    ws.onerror = (event?: { error?: unknown }) => {
      const detail =
        typeof event?.error === 'string'
          ? event.error.replace(/https?:\/\/\S+|wss?:\/\/\S+/g, '{url}')
          : 'WebSocket error';
      finish(
        openedAt === undefined
          ? { kind: 'refused', detail }
          : { kind: 'failed', detail, reason: 'unexpected_status', connectMs: openedAt - started },
      );
    };
    ws.onclose = () => {
      if (openedAt === undefined) finish({ kind: 'refused', detail: 'closed before opening' });
      else
        finish({
          kind: 'failed',
          detail: 'closed by the server before the hold ended',
          reason: 'unexpected_status',
          connectMs: openedAt - started,
        });
    };
  });
}
