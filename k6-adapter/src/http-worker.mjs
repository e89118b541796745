// Worker thread of the test-only k6 adapter: performs the real HTTP exchanges so the main thread
// can block on them (k6's http.* calls are synchronous). One exchange per message, no redirects
// (the main thread follows them hop by hop, as k6 records a sample per hop).
// Plain JavaScript because Node 20 workers cannot load TypeScript without a loader.
import http from 'node:http';
import https from 'node:https';
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { URL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const { syncPort, signal } = workerData;
const signalView = new Int32Array(signal);
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/** k6's error codes (lib/netext/httpext/error_codes.go) for the failures a test meets. */
function classify(error, target, timedOut) {
  if (timedOut) return { error: 'request timeout', errorCode: 1050 };
  const address = `${target.hostname}:${target.port || (target.protocol === 'https:' ? 443 : 80)}`;
  switch (error.code) {
    case 'ECONNREFUSED':
      return { error: `dial tcp ${address}: connect: connection refused`, errorCode: 1212 };
    case 'ECONNRESET':
      return { error: `read tcp ${address}: read: connection reset by peer`, errorCode: 1220 };
    case 'EPIPE':
      return { error: `write tcp ${address}: write: broken pipe`, errorCode: 1201 };
    case 'ENOTFOUND':
      return { error: `lookup ${target.hostname}: no such host`, errorCode: 1101 };
    case 'ETIMEDOUT':
      return { error: `dial tcp ${address}: i/o timeout`, errorCode: 1211 };
    default:
      return { error: error.message, errorCode: 1000 };
  }
}

function exchange(request) {
  return new Promise((resolve) => {
    const target = new URL(request.url);
    const transport = target.protocol === 'https:' ? https : http;
    const marks = { start: performance.now() };
    let timedOut = false;
    let settled = false;
    const finish = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const headers = {};
    for (const [name, value] of request.headers) headers[name] = value;
    const req = transport.request(target, {
      method: request.method,
      headers,
      agent: agents[target.protocol],
      rejectUnauthorized: !request.insecureSkipTLSVerify,
    });
    const fail = (error) =>
      finish({ id: request.id, status: 0, ...classify(error, target, timedOut), ...timings(marks) });
    // The answer is sent from here, not from the socket events: a stream that never ends must not hang k6's call.
    const timer = setTimeout(() => {
      timedOut = true;
      fail(new Error('request timeout'));
      req.destroy();
    }, request.timeoutMs);
    req.on('socket', (socket) => {
      marks.socket = performance.now();
      if (!socket.connecting) {
        marks.connected = marks.socket;
        return;
      }
      socket.once('connect', () => (marks.connected = performance.now()));
      socket.once('secureConnect', () => (marks.secured = performance.now()));
    });
    req.on('finish', () => (marks.sent = performance.now()));
    req.on('error', fail);
    req.on('response', (res) => {
      marks.firstByte = performance.now();
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', fail);
      res.on('close', () => {
        if (!res.complete) fail(Object.assign(new Error('unexpected EOF'), { code: 'ECONNRESET' }));
      });
      res.on('end', () => {
        marks.end = performance.now();
        const body = Buffer.concat(chunks);
        finish({
          id: request.id,
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          proto: `HTTP/${res.httpVersion}`,
          rawHeaders: res.rawHeaders,
          body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
          remoteIp: res.socket?.remoteAddress ?? '',
          remotePort: res.socket?.remotePort ?? 0,
          ...timings(marks),
        });
      });
    });
    if (request.body) req.end(Buffer.from(request.body));
    else req.end();
  });
}

/** k6's timing fields in ms: duration = sending + waiting + receiving. */
function timings(marks) {
  const socket = marks.socket ?? marks.start;
  const connected = marks.connected ?? socket;
  const secured = marks.secured ?? connected;
  const sent = marks.sent ?? secured;
  const firstByte = marks.firstByte ?? sent;
  const end = marks.end ?? firstByte;
  const sending = Math.max(0, sent - secured);
  const waiting = Math.max(0, firstByte - sent);
  const receiving = Math.max(0, end - firstByte);
  return {
    timings: {
      blocked: Math.max(0, socket - marks.start),
      connecting: Math.max(0, connected - socket),
      tls_handshaking: Math.max(0, secured - connected),
      sending,
      waiting,
      receiving,
      duration: sending + waiting + receiving,
    },
  };
}

parentPort.on('message', async (message) => {
  const result = await exchange(message.request);
  if (message.mode === 'sync') {
    syncPort.postMessage(result);
    Atomics.store(signalView, 0, 1);
    Atomics.notify(signalView, 0);
  } else {
    parentPort.postMessage(result);
  }
});
