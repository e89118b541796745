import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from 'pino';
import type { TargetMetrics } from './metrics.ts';
import type { KeyValueStore } from './store.ts';

export type TransportLabel = 'streamable_http' | 'sse' | 'websocket';

interface LocalSession<T extends Transport> {
  transport: T;
  server: McpServer;
  /** The OAuth client that owns the session; undefined while a session opened without a token is unbound. */
  clientId?: string;
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

  /** Whether the live session has an owner (a token-less request on it must then authenticate). */
  isBound(sessionId: string): boolean {
    return this.local.get(sessionId)?.clientId !== undefined;
  }

  /**
   * The live session for this id and client, extending its TTL; undefined when unknown, ended or
   * another client's. `clientId` undefined: a request without a token, which only an unbound
   * session serves. The first client to use an unbound session becomes its owner.
   */
  async use<T extends Transport>(
    sessionId: string,
    clientId: string | undefined,
  ): Promise<LocalSession<T> | undefined> {
    const session = this.local.get(sessionId);
    if (!session) return undefined;
    const binds = session.clientId === undefined && clientId !== undefined;
    // Bound before any await: a concurrent request with another client's token must find it taken.
    if (binds) session.clientId = clientId;
    else if (session.clientId !== clientId) return undefined;
    const key = SessionRegistry.key(sessionId);
    const record = await this.store.get(key);
    if (!record) {
      await this.end(sessionId);
      return undefined;
    }
    if (binds) {
      await this.store.set(key, JSON.stringify({ ...JSON.parse(record), clientId }), this.ttlSeconds);
      session.touchedAt = Date.now();
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
