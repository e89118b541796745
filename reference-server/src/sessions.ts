import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from 'pino';
import type { TargetMetrics } from './metrics.ts';
import type { KeyValueStore } from './store.ts';

export type TransportLabel = 'streamable_http' | 'sse' | 'websocket';

interface LocalSession<T extends Transport> {
  transport: T;
  server: McpServer;
  clientId: string;
  label: TransportLabel;
  touchedAt: number;
}

/**
 * MCP sessions: the live transport objects stay in this process, the record of who owns a session
 * and how long it lives is in the store (Redis) with a sliding TTL. A session whose record expired
 * is over (404), even if its transport is still in memory.
 */
export class SessionRegistry {
  private readonly local = new Map<string, LocalSession<Transport>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly store: KeyValueStore,
    private readonly ttlSeconds: number,
    private readonly metrics: TargetMetrics,
    private readonly logger: Logger,
  ) {
    this.sweeper = setInterval(() => void this.sweep(), Math.min(60_000, ttlSeconds * 500)).unref();
  }

  private static key(sessionId: string) {
    return `mcp:session:${sessionId}`;
  }

  async add<T extends Transport>(
    sessionId: string,
    session: Omit<LocalSession<T>, 'touchedAt'>,
  ): Promise<void> {
    this.local.set(sessionId, { ...session, touchedAt: Date.now() } as LocalSession<Transport>);
    this.metrics.sessionsActive.inc({ transport: session.label });
    const record = JSON.stringify({
      clientId: session.clientId,
      transport: session.label,
      createdAt: Date.now(),
    });
    await this.store.set(SessionRegistry.key(sessionId), record, this.ttlSeconds);
  }

  /** The live session for this id and client, extending its TTL; undefined when unknown or ended. */
  async use<T extends Transport>(sessionId: string, clientId: string): Promise<LocalSession<T> | undefined> {
    const session = this.local.get(sessionId);
    if (!session || session.clientId !== clientId) return undefined;
    const record = await this.store.get(SessionRegistry.key(sessionId));
    if (!record) {
      await this.end(sessionId);
      return undefined;
    }
    // Sliding expiry, refreshed at most every tenth of the TTL: one store write per request is waste.
    const now = Date.now();
    if (now - session.touchedAt > (this.ttlSeconds * 1000) / 10) {
      session.touchedAt = now;
      this.store.touch(SessionRegistry.key(sessionId), this.ttlSeconds).catch((error: Error) => {
        this.logger.warn({ err: { message: error.message } }, 'session TTL refresh failed');
      });
    }
    return session as LocalSession<T>;
  }

  /** Forgets the session (called from the transport's onclose too; idempotent). */
  async end(sessionId: string): Promise<void> {
    const session = this.local.get(sessionId);
    if (!session) return;
    this.local.delete(sessionId);
    this.metrics.sessionsActive.dec({ transport: session.label });
    await this.store.del(SessionRegistry.key(sessionId)).catch(() => undefined);
    await session.server.close().catch(() => undefined);
  }

  private async sweep() {
    for (const sessionId of [...this.local.keys()]) {
      const record = await this.store.get(SessionRegistry.key(sessionId)).catch(() => 'unknown');
      if (!record) await this.end(sessionId);
    }
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.local.keys()].map((sessionId) => this.end(sessionId)));
  }
}
