/** Small HTTP helpers over fetch, each request bounded in time. */
import net from 'node:net';

export async function request(
  url: string,
  init: RequestInit & { token?: string; timeoutMs?: number } = {},
): Promise<{ status: number; body: unknown }> {
  const { token, timeoutMs = 5_000, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (rest.body !== undefined) headers.set('content-type', 'application/json');
  const res = await fetch(url, { ...rest, headers, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

/** Polls `check` until it returns a value (not undefined) or the time is up. */
export async function poll<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${last ? ` (${last})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Resolves once GET `url` answers 2xx. */
export function httpReady(url: string, timeoutMs = 60_000): () => Promise<void> {
  return async () => {
    await poll(
      url,
      async () => ((await request(url, { timeoutMs: 2_000 })).status < 300 ? true : undefined),
      timeoutMs,
    );
  };
}

/** Resolves once a Redis server answers PING on the port. */
export function redisReady(port: number, timeoutMs = 30_000): () => Promise<void> {
  const ping = () =>
    new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setTimeout(1_000, () => socket.destroy());
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        resolve(data.toString().startsWith('+PONG'));
        socket.destroy();
      });
      socket.once('error', () => resolve(false));
      socket.once('close', () => resolve(false));
    });
  return async () => {
    await poll(`redis on port ${port}`, async () => ((await ping()) ? true : undefined), timeoutMs);
  };
}
