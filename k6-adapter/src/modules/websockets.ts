/**
 * `k6/websockets`: the async, browser-like WebSocket of k6 (on* handlers, addEventListener,
 * send, close, readyState) on top of the `ws` package in the main thread. An open socket holds
 * the iteration open, as in k6, until it is closed.
 */
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import NodeWebSocket from 'ws';
import type { Runtime } from '../runtime.ts';
import { isBinary, toBytes } from './bytes.ts';

type Listener = (event: Record<string, unknown>) => unknown;
const EVENTS = ['open', 'message', 'error', 'close', 'ping', 'pong'] as const;
type EventName = (typeof EVENTS)[number];

export function createWebSocketsModule(runtime: Runtime) {
  class WebSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly url: string;
    binaryType = 'blob';
    onopen: Listener | null = null;
    onmessage: Listener | null = null;
    onerror: Listener | null = null;
    onclose: Listener | null = null;
    onping: Listener | null = null;
    onpong: Listener | null = null;
    readonly #listeners = new Map<EventName, Listener[]>();
    readonly #socket: NodeWebSocket;
    readonly #tags: Record<string, string>;
    readonly #started = performance.now();
    #openedAt = 0;

    constructor(
      url: string,
      protocols?: string | string[] | null,
      params?: { headers?: Record<string, string>; tags?: Record<string, unknown> } | null,
    ) {
      if (runtime.phase === 'init')
        throw runtime.error('using websockets in the init context is not supported');
      this.url = String(url);
      this.#tags = runtime.sampleTags({
        ...(params?.tags ?? {}),
        ...runtime.enabledSystemTags({ url: this.url }),
      });
      const loop = runtime.loop;
      const release = loop.hold(() => this.#socket.terminate());
      this.#socket = new NodeWebSocket(this.url, protocols ?? undefined, { headers: params?.headers ?? {} });
      this.#socket.on('open', () => {
        this.#openedAt = performance.now();
        runtime.addSample('ws_sessions', 1, this.#tags);
        runtime.addSample('ws_connecting', this.#openedAt - this.#started, this.#tags);
        loop.invoke(() => this.#dispatch('open', {}));
      });
      this.#socket.on('message', (data, isBinary) => {
        runtime.addSample('ws_msgs_received', 1, this.#tags);
        const payload = isBinary
          ? runtime.toScriptArrayBuffer(Buffer.concat([data as Buffer].flat()))
          : data.toString();
        loop.invoke(() => this.#dispatch('message', { data: payload, type: 'message' }));
      });
      this.#socket.on('ping', () => loop.invoke(() => this.#dispatch('ping', {})));
      this.#socket.on('pong', () => loop.invoke(() => this.#dispatch('pong', {})));
      this.#socket.on('error', (error) => {
        loop.invoke(() => this.#dispatch('error', { error: this.#describe(error), type: 'error' }));
      });
      this.#socket.on('close', (code, reason) => {
        if (this.#openedAt)
          runtime.addSample('ws_session_duration', performance.now() - this.#openedAt, this.#tags);
        loop.invoke(() => this.#dispatch('close', { code, reason: reason.toString(), type: 'close' }));
        release();
      });
    }

    get readyState(): number {
      return this.#socket.readyState;
    }

    get bufferedAmount(): number {
      return this.#socket.bufferedAmount;
    }

    #describe(error: Error): string {
      const refused = /ECONNREFUSED/.test(error.message);
      if (refused) return `dial tcp ${new URL(this.url).host}: connect: connection refused`;
      if (/Unexpected server response/.test(error.message))
        return `websocket: bad handshake (${error.message})`;
      return error.message;
    }

    #dispatch(name: EventName, fields: Record<string, unknown>): void {
      const event = { ...fields, type: fields.type ?? name, timestamp: Date.now() };
      const handler = this[`on${name}` as const];
      if (typeof handler === 'function') handler.call(this, event);
      for (const listener of this.#listeners.get(name) ?? []) listener.call(this, event);
    }

    addEventListener(name: string, listener: Listener): void {
      if (!(EVENTS as readonly string[]).includes(name)) throw runtime.error(`unknown event "${name}"`);
      if (typeof listener !== 'function')
        throw runtime.error('addEventListener: listener must be a function');
      const list = this.#listeners.get(name as EventName) ?? [];
      list.push(listener);
      this.#listeners.set(name as EventName, list);
    }

    send(data: unknown): void {
      if (this.#socket.readyState !== NodeWebSocket.OPEN)
        throw runtime.error('InvalidStateError: the WebSocket is not open');
      runtime.addSample('ws_msgs_sent', 1, this.#tags);
      this.#socket.send(isBinary(data) ? toBytes(data, 'send data') : String(data));
    }

    ping(): void {
      this.#socket.ping();
    }

    close(code?: number, reason?: string): void {
      this.#socket.close(code ?? 1000, reason);
    }
  }
  return { WebSocket };
}
