/**
 * Target service: URL policy, key material checks, secret sealing, and the public (secret-free)
 * view of a target.
 */
import { CLIENT_KEY_ALGS } from '@vigil/scenarios/catalog';
import { importPKCS8 } from 'jose';
import { FieldError } from './errors.ts';
import type { NetworkPolicy } from './hosts.ts';
import { MissingSecretKeyError, openSecrets, sealSecrets } from './secrets.ts';
import { newId, type Store } from './store/store.ts';
import { SECRET_FIELDS, type SecretField, type TargetAuth, type TargetRecord } from './store/types.ts';

export interface TargetInput {
  name: string;
  mcpUrl: string;
  auth: TargetAuth & Partial<Record<SecretField, string | null>>;
}

export interface PublicTarget {
  id: string;
  name: string;
  mcpUrl: string;
  auth: TargetAuth & { hasClientSecret: boolean; hasLoginPassword: boolean; hasClientPrivateKey: boolean };
  createdAt: string;
  updatedAt: string;
}

export function publicTarget(t: TargetRecord): PublicTarget {
  return {
    id: t.id,
    name: t.name,
    mcpUrl: t.mcpUrl,
    auth: {
      ...t.auth,
      hasClientSecret: t.secretFields.includes('clientSecret'),
      hasLoginPassword: t.secretFields.includes('loginPassword'),
      hasClientPrivateKey: t.secretFields.includes('clientPrivateKey'),
    },
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

function splitAuth(auth: TargetInput['auth']): {
  shown: TargetAuth;
  secrets: Partial<Record<SecretField, string | null>>;
} {
  const shown: Record<string, unknown> = {};
  const secrets: Partial<Record<SecretField, string | null>> = {};
  for (const [key, value] of Object.entries(auth)) {
    if (key in SECRET_FIELDS) secrets[key as SecretField] = value as string | null;
    else if (value !== undefined && value !== null) shown[key] = value;
  }
  return { shown: shown as TargetAuth, secrets };
}

/** Stored secrets this runner cannot open (no VIGIL_SECRET_KEY, or another key sealed them). */
export class SecretsUnreadable extends FieldError {
  constructor(target: TargetRecord, field = 'targetId') {
    super(
      field,
      `the stored secrets of target ${target.name} (${target.secretFields.join(', ')}) cannot be opened: this runner's VIGIL_SECRET_KEY is missing or is not the key they were stored with. Start the runner with that key, or enter the secrets again (PATCH /api/targets/${target.id} with auth.${target.secretFields[0] ?? 'clientSecret'})`,
      409,
      'secrets_unreadable',
    );
  }
}

/**
 * The scripts import the key into k6's WebCrypto as PKCS#8 and sign with the target's algorithm:
 * anything else would fail every walk later with an opaque k6 error, so it is refused on write.
 */
async function checkPrivateKey(pem: string, alg: string): Promise<void> {
  if (!/-----BEGIN PRIVATE KEY-----/.test(pem))
    throw new FieldError(
      'auth.clientPrivateKey',
      'auth.clientPrivateKey must be a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----); convert one with `openssl pkcs8 -topk8 -nocrypt -in key.pem`',
      422,
      'invalid_key',
    );
  try {
    await importPKCS8(pem, alg);
  } catch {
    throw new FieldError(
      'auth.clientPrivateKey',
      `auth.clientPrivateKey is not a usable ${alg} key (${alg.startsWith('ES') ? 'an EC key on the matching curve' : 'an RSA key'} is needed); set auth.clientKeyAlg to one of ${CLIENT_KEY_ALGS.join(', ')} that matches the key`,
      422,
      'invalid_key',
    );
  }
}

export class TargetService {
  constructor(
    private readonly store: Store,
    private readonly key: Buffer | undefined,
    readonly policy: NetworkPolicy,
  ) {}

  checkUrl(url: string, field = 'mcpUrl'): Promise<URL> {
    return this.policy.checkField(url, field);
  }

  private seal(existing: Record<string, string>, changes: Partial<Record<SecretField, string | null>>) {
    const merged: Record<string, string> = { ...existing };
    for (const [field, value] of Object.entries(changes)) {
      if (value === null || value === '') delete merged[field];
      else if (value !== undefined) merged[field] = value;
    }
    const fields = Object.keys(merged) as SecretField[];
    if (fields.length === 0) return { sealed: null, fields };
    try {
      return { sealed: sealSecrets(this.key, merged), fields };
    } catch (error) {
      if (error instanceof MissingSecretKeyError) {
        const field = Object.keys(changes).find((f) => changes[f as SecretField]) ?? 'clientSecret';
        throw new FieldError(`auth.${field}`, error.message, 422, 'secret_key_missing');
      }
      throw error;
    }
  }

  private assertNameFree(name: string, selfId?: string): void {
    const other = this.store.targetByName(name);
    if (other && other.id !== selfId)
      throw new FieldError('name', `a target named ${name} already exists`, 409, 'conflict');
  }

  async create(input: TargetInput): Promise<TargetRecord> {
    await this.checkUrl(input.mcpUrl);
    this.assertNameFree(input.name);
    const { shown, secrets } = splitAuth(input.auth);
    if (secrets.clientPrivateKey)
      await checkPrivateKey(secrets.clientPrivateKey, shown.clientKeyAlg ?? 'ES256');
    const { sealed, fields } = this.seal({}, secrets);
    return this.store.insertTarget({
      id: newId('tgt'),
      name: input.name,
      mcpUrl: input.mcpUrl,
      auth: shown,
      sealedSecrets: sealed,
      secretFields: fields,
    });
  }

  /**
   * The secrets a patch builds on. When the stored ones cannot be opened, the patch must give (or
   * clear) every stored field again, so none is silently dropped.
   */
  private existingSecrets(
    target: TargetRecord,
    changes: Partial<Record<SecretField, string | null>>,
  ): Record<string, string> {
    if (!target.sealedSecrets) return {};
    try {
      return this.secretsOf(target);
    } catch (error) {
      if (!(error instanceof SecretsUnreadable)) throw error;
      const missing = target.secretFields.filter((field) => changes[field] === undefined);
      if (missing.length > 0)
        throw new FieldError(
          `auth.${missing[0]}`,
          `the stored secrets of target ${target.name} cannot be opened with this runner's VIGIL_SECRET_KEY; give every stored secret again (${missing.map((f) => `auth.${f}`).join(', ')}), or null to remove it`,
          409,
          'secrets_unreadable',
        );
      return {};
    }
  }

  /** Partial update: absent fields keep their value; a secret set to null or "" is removed. */
  async update(target: TargetRecord, patch: Partial<TargetInput>): Promise<TargetRecord> {
    if (patch.mcpUrl !== undefined) await this.checkUrl(patch.mcpUrl);
    if (patch.name !== undefined) this.assertNameFree(patch.name, target.id);
    const { shown, secrets } = splitAuth(patch.auth ?? {});
    const auth = { ...target.auth };
    for (const [key, value] of Object.entries(patch.auth ?? {})) {
      if (key in SECRET_FIELDS) continue;
      if (value === null) delete auth[key as keyof TargetAuth];
    }
    Object.assign(auth, shown);
    if (secrets.clientPrivateKey)
      await checkPrivateKey(secrets.clientPrivateKey, auth.clientKeyAlg ?? 'ES256');
    else if (shown.clientKeyAlg && target.secretFields.includes('clientPrivateKey')) {
      const stored = this.existingSecrets(target, {}).clientPrivateKey;
      if (stored) await checkPrivateKey(stored, shown.clientKeyAlg);
    }
    const secretsChanged = Object.keys(secrets).length > 0;
    const { sealed, fields } = secretsChanged
      ? this.seal(this.existingSecrets(target, secrets), secrets)
      : { sealed: target.sealedSecrets, fields: target.secretFields };
    return this.store.updateTarget({
      ...target,
      name: patch.name ?? target.name,
      mcpUrl: patch.mcpUrl ?? target.mcpUrl,
      auth,
      sealedSecrets: sealed,
      secretFields: fields,
    });
  }

  /** The target's secrets in clear; SecretsUnreadable (409) when this runner's key cannot open them. */
  secretsOf(target: TargetRecord, field?: string): Record<string, string> {
    try {
      return openSecrets(this.key, target.sealedSecrets);
    } catch {
      throw new SecretsUnreadable(target, field);
    }
  }

  /** Targets whose stored secrets this runner cannot open (checked at start and on /readyz). */
  unreadable(): TargetRecord[] {
    return this.store.listTargets(100_000, 0).items.filter((target) => {
      try {
        this.secretsOf(target);
        return false;
      } catch {
        return true;
      }
    });
  }
}
