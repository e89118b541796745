import net from 'node:net';
import { freePort, waitFor } from './ports.ts';
import { scratchDir, spawnService, whenReady, type Service } from './processes.ts';

const REDIS_BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';

async function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}

/** Starts a real, throw-away redis-server (no persistence) on a free loopback port. */
export async function startRedis(): Promise<Service> {
  const port = await freePort();
  const dir = await scratchDir('redis');
  const service = spawnService(
    REDIS_BIN,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { url: `redis://127.0.0.1:${port}`, port, dir },
  );
  return whenReady(service, () => waitFor(`redis-server on ${port}`, () => redisPing(port)));
}
