import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { TargetMetrics } from './metrics.ts';

/**
 * The few key-value operations the authorization server and the MCP session bookkeeping need,
 * with TTLs. Redis in production; a Map when no REDIS_URL is given (single process, lost on exit).
 */
export interface KeyValueStore {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** Overwrites the value and leaves the expiry as it was. */
  replace(key: string, value: string): Promise<void>;
  del(...keys: string[]): Promise<void>;
  /** Appends to a list and (re)sets the list's expiry. */
  append(key: string, value: string, ttlSeconds: number): Promise<void>;
  list(key: string): Promise<string[]>;
  /** Sets the expiry of an existing key. */
  touch(key: string, ttlSeconds: number): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export class RedisStore implements KeyValueStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly metrics: TargetMetrics,
    logger: Logger,
  ) {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableAutoPipelining: true });
    this.redis.on('error', (error: Error) =>
      logger.warn({ err: { message: error.message } }, 'redis connection error'),
    );
  }

  connect(): Promise<void> {
    return this.redis.connect();
  }

  private async timed<T>(operation: string, run: () => Promise<T>): Promise<T> {
    const stop = this.metrics.redisDuration.startTimer({ operation });
    try {
      return await run();
    } finally {
      stop();
    }
  }

  get(key: string) {
    return this.timed('get', () => this.redis.get(key));
  }
  async set(key: string, value: string, ttlSeconds?: number) {
    await this.timed('set', () =>
      ttlSeconds
        ? this.redis.set(key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)))
        : this.redis.set(key, value),
    );
  }
  async replace(key: string, value: string) {
    await this.timed('set', () => this.redis.set(key, value, 'KEEPTTL'));
  }
  async del(...keys: string[]) {
    if (keys.length) await this.timed('del', () => this.redis.del(...keys));
  }
  async append(key: string, value: string, ttlSeconds: number) {
    await this.timed('rpush', () =>
      this.redis
        .multi()
        .rpush(key, value)
        .expire(key, Math.max(1, Math.ceil(ttlSeconds)))
        .exec(),
    );
  }
  list(key: string) {
    return this.timed('lrange', () => this.redis.lrange(key, 0, -1));
  }
  async touch(key: string, ttlSeconds: number) {
    await this.timed('expire', () => this.redis.expire(key, Math.max(1, Math.ceil(ttlSeconds))));
  }
  async ping() {
    try {
      return (await this.timed('ping', () => this.redis.ping())) === 'PONG';
    } catch {
      return false;
    }
  }
  async close() {
    this.redis.disconnect();
  }
}

interface MemoryEntry {
  value: string | string[];
  expiresAt?: number;
}

export class MemoryStore implements KeyValueStore {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, MemoryEntry>();
  private readonly sweeper = setInterval(() => this.sweep(), 30_000).unref();

  private live(key: string): MemoryEntry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
  private sweep() {
    for (const key of this.entries.keys()) this.live(key);
  }
  private static expiry(ttlSeconds?: number) {
    return ttlSeconds ? Date.now() + ttlSeconds * 1000 : undefined;
  }

  async get(key: string) {
    const value = this.live(key)?.value;
    return typeof value === 'string' ? value : null;
  }
  async set(key: string, value: string, ttlSeconds?: number) {
    this.entries.set(key, { value, expiresAt: MemoryStore.expiry(ttlSeconds) });
  }
  async replace(key: string, value: string) {
    const entry = this.live(key);
    this.entries.set(key, { value, expiresAt: entry?.expiresAt });
  }
  async del(...keys: string[]) {
    for (const key of keys) this.entries.delete(key);
  }
  async append(key: string, value: string, ttlSeconds: number) {
    const existing = this.live(key)?.value;
    const values = Array.isArray(existing) ? existing : [];
    values.push(value);
    this.entries.set(key, { value: values, expiresAt: MemoryStore.expiry(ttlSeconds) });
  }
  async list(key: string) {
    const value = this.live(key)?.value;
    return Array.isArray(value) ? [...value] : [];
  }
  async touch(key: string, ttlSeconds: number) {
    const entry = this.live(key);
    if (entry) entry.expiresAt = MemoryStore.expiry(ttlSeconds);
  }
  async ping() {
    return true;
  }
  async close() {
    clearInterval(this.sweeper);
    this.entries.clear();
  }
}

export async function openStore(
  redisUrl: string | undefined,
  metrics: TargetMetrics,
  logger: Logger,
): Promise<KeyValueStore> {
  if (!redisUrl) {
    logger.warn(
      'REDIS_URL is not set: using an IN-MEMORY store (authorization data and MCP sessions are lost on restart and not shared between processes)',
    );
    return new MemoryStore();
  }
  const store = new RedisStore(redisUrl, metrics, logger);
  await store.connect();
  logger.info({ redis: new URL(redisUrl).host }, 'using Redis store');
  return store;
}
