/** Ports: the usual one for each component where it is free, else one the OS picks. */
import net from 'node:net';

export const DEFAULT_PORTS = {
  redis: 6379,
  reference: 8080,
  runner: 8090,
  prometheus: 9090,
  alertmanager: 9093,
  grafana: 3000,
} as const;
export type PortName = keyof typeof DEFAULT_PORTS;

function listenOn(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const chosen = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(chosen));
    });
  });
}

export async function isFree(port: number): Promise<boolean> {
  return (await listenOn(port)) === port;
}

/** `free`: every port from the OS (tests, a second stack). Otherwise the defaults, falling back per port. */
export async function choosePorts(mode: 'defaults' | 'free'): Promise<Record<PortName, number>> {
  const chosen = {} as Record<PortName, number>;
  const taken = new Set<number>();
  for (const [name, port] of Object.entries(DEFAULT_PORTS) as Array<[PortName, number]>) {
    let pick = mode === 'defaults' && (await isFree(port)) ? port : undefined;
    while (pick === undefined || taken.has(pick)) pick = await listenOn(0);
    taken.add(pick);
    chosen[name] = pick;
  }
  return chosen;
}
