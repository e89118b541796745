/**
 * Main-thread side of the HTTP worker: `exchangeSync` blocks on a SharedArrayBuffer
 * (`Atomics.wait`) until the worker has done the real exchange, which is how k6's synchronous
 * `http.*` calls are reproduced in Node; `exchangeAsync` serves `http.asyncRequest`.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

export interface WireRequest {
  id: number;
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: Uint8Array | null;
  timeoutMs: number;
  insecureSkipTLSVerify?: boolean;
}

export interface WireTimings {
  blocked: number;
  connecting: number;
  tls_handshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
  duration: number;
}

export interface WireResponse {
  id: number;
  status: number;
  statusText?: string;
  proto?: string;
  rawHeaders?: string[];
  body?: Uint8Array;
  remoteIp?: string;
  remotePort?: number;
  error?: string;
  errorCode?: number;
  timings: WireTimings;
}

/** Margin on top of a request's own timeout before the worker is considered stuck. */
const WORKER_STALL_MARGIN_MS = 5_000;

export class HttpTransport {
  private readonly worker: Worker;
  private readonly syncPort: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly pending = new Map<number, (response: WireResponse) => void>();
  private nextId = 1;

  /** `workerFile`: path of http-worker.mjs (passed in because this code runs from a bundle). */
  constructor(workerFile: string) {
    const channel = new MessageChannel();
    this.syncPort = channel.port1;
    this.worker = new Worker(workerFile, {
      workerData: { syncPort: channel.port2, signal: this.signal.buffer },
      transferList: [channel.port2],
    });
    this.worker.on('message', (response: WireResponse) => {
      this.pending.get(response.id)?.(response);
      this.pending.delete(response.id);
    });
    this.worker.unref();
    this.syncPort.unref();
  }

  exchangeSync(request: Omit<WireRequest, 'id'>): WireResponse {
    const id = this.nextId++;
    Atomics.store(this.signal, 0, 0);
    this.worker.postMessage({ mode: 'sync', request: { ...request, id } });
    const outcome = Atomics.wait(this.signal, 0, 0, request.timeoutMs + WORKER_STALL_MARGIN_MS);
    // Answers to earlier calls that gave up waiting may still be queued: skip them.
    for (
      let message = receiveMessageOnPort(this.syncPort);
      message;
      message = receiveMessageOnPort(this.syncPort)
    ) {
      if ((message.message as WireResponse).id === id) return message.message as WireResponse;
    }
    throw new Error(
      `k6 adapter: HTTP worker gave no answer for ${request.method} ${request.url} (${outcome})`,
    );
  }

  exchangeAsync(request: Omit<WireRequest, 'id'>): Promise<WireResponse> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ mode: 'async', request: { ...request, id } });
    }).finally(() => {
      if (this.pending.size === 0) this.worker.unref();
    }) as Promise<WireResponse>;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
    this.syncPort.close();
  }
}
