/** A node:http webhook receiver for Alertmanager notifications (payload version 4), for tests and bench/. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

export interface WebhookNotification {
  receivedAtMs: number;
  receiver: string;
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  alerts: WebhookAlert[];
}

export interface WebhookReceiver {
  url: string;
  notifications: WebhookNotification[];
  /** Resolves with the first notification (already received or future) that satisfies `match`. */
  waitFor(
    match: (n: WebhookNotification) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<WebhookNotification>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const notifications: WebhookNotification[] = [];
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const payload = JSON.parse(body) as Omit<WebhookNotification, 'receivedAtMs'>;
      notifications.push({ ...payload, receivedAtMs: Date.now() });
      res.writeHead(200).end();
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/vigil-alerts`,
    notifications,
    waitFor(match, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = notifications.find(match);
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(found);
          return true;
        };
        const wake = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(
            new Error(
              `no webhook notification ${what} within ${timeoutMs} ms; got ${JSON.stringify(notifications.map((n) => [n.status, n.groupLabels]))}`,
            ),
          );
        }, timeoutMs);
        if (!check()) waiters.add(wake);
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
