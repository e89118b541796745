import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { KeyValueStore } from './store.ts';

/** Models whose records are revoked together when their grant is revoked. */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'ClientCredentials',
  'BackchannelAuthenticationRequest',
]);

/**
 * oidc-provider storage adapter over a KeyValueStore (the shape of the project's Redis adapter
 * example): one JSON value per record, expiring with the record, plus secondary keys for uid and
 * user code lookups and a per-grant list for revokeByGrantId.
 */
export function adapterFactory(store: KeyValueStore) {
  return class KeyValueAdapter implements Adapter {
    constructor(private readonly model: string) {}

    private key(id: string) {
      return `oidc:${this.model}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const key = this.key(id);
      await store.set(key, JSON.stringify(payload), expiresIn);
      const writes: Promise<void>[] = [];
      if (GRANTABLE.has(this.model) && payload.grantId) {
        writes.push(store.append(`oidc:grant:${payload.grantId}`, key, expiresIn));
      }
      if (payload.userCode) writes.push(store.set(`oidc:userCode:${payload.userCode}`, id, expiresIn));
      if (payload.uid) writes.push(store.set(`oidc:uid:${payload.uid}`, id, expiresIn));
      await Promise.all(writes);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const value = await store.get(this.key(id));
      return value ? (JSON.parse(value) as AdapterPayload) : undefined;
    }

    async findByUid(uid: string) {
      const id = await store.get(`oidc:uid:${uid}`);
      return id ? this.find(id) : undefined;
    }

    async findByUserCode(userCode: string) {
      const id = await store.get(`oidc:userCode:${userCode}`);
      return id ? this.find(id) : undefined;
    }

    async consume(id: string): Promise<void> {
      const payload = await this.find(id);
      if (!payload) return;
      payload.consumed = Math.floor(Date.now() / 1000);
      await store.replace(this.key(id), JSON.stringify(payload));
    }

    async destroy(id: string): Promise<void> {
      await store.del(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const listKey = `oidc:grant:${grantId}`;
      const keys = await store.list(listKey);
      await store.del(...keys, listKey);
    }
  };
}
