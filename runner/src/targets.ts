/**
 * Target service: URL policy, secret sealing and the public (secret-free) view of a target.
 */
import { checkTargetUrl, UrlRefused, type Resolver } from './hosts.ts';
import { MissingSecretKeyError, openSecrets, sealSecrets } from './secrets.ts';
import { newId, type Store } from './store/store.ts';
import { SECRET_FIELDS, type SecretField, type TargetAuth, type TargetRecord } from './store/types.ts';

export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly status = 400,
    readonly code = 'invalid_field',
  ) {
    super(message);
  }
}

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

export class TargetService {
  constructor(
    private readonly store: Store,
    private readonly key: Buffer | undefined,
    private readonly allowedHosts: readonly string[],
    private readonly resolve: Resolver,
  ) {}

  async checkUrl(url: string, field = 'mcpUrl'): Promise<URL> {
    try {
      return await checkTargetUrl(url, this.allowedHosts, this.resolve);
    } catch (error) {
      if (error instanceof UrlRefused)
        throw new FieldError(field, `${field} ${error.message}`, 400, 'url_refused');
      throw error;
    }
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
    const secretsChanged = Object.keys(secrets).length > 0;
    const { sealed, fields } = secretsChanged
      ? this.seal(this.secretsOf(target), secrets)
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

  secretsOf(target: TargetRecord): Record<string, string> {
    return openSecrets(this.key, target.sealedSecrets);
  }
}
