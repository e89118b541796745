/**
 * Secrets at rest (AES-256-GCM, node:crypto) and scrubbing of secret values from text (k6 output,
 * error messages) before it is stored or served.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export class MissingSecretKeyError extends Error {
  constructor() {
    super('cannot store secrets: the runner has no VIGIL_SECRET_KEY (32 bytes, hex or base64) configured');
  }
}

/** Encrypts a JSON-able value; the output is `v1.<iv>.<tag>.<ciphertext>` in base64url. */
export function sealSecrets(key: Buffer | undefined, value: Record<string, string>): string {
  if (!key) throw new MissingSecretKeyError();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export function openSecrets(key: Buffer | undefined, sealed: string | null): Record<string, string> {
  if (!sealed) return {};
  if (!key) throw new MissingSecretKeyError();
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined)
    throw new Error('stored secrets are in an unknown format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
  return JSON.parse(text) as Record<string, string>;
}

const REDACTED = '[REDACTED]';

/** Replaces every occurrence of each secret value (4+ characters) and bearer tokens in text. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out.replace(/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, `$1${REDACTED}`);
}
