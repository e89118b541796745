/**
 * The target form: its values, the zod/mini schema that mirrors the runner's target schema
 * (runner/src/api/schemas.ts, served in runner/openapi.json; Targets.utils.test.ts checks the
 * pattern, lengths and enums against the OpenAPI document), and the conversion to the runner's
 * create and patch bodies.
 *
 * Secrets (client secret, login password, private key) are write-only: the runner only says
 * whether one is stored (`hasClientSecret`…). The form keeps, per secret, the new value typed (never
 * a stored one) and whether a stored one exists; a reset sends `null` (clears it), an untouched
 * secret is left out of the request (kept).
 */
import * as z from 'zod/mini';
import { CLIENT_KEY_ALGS } from '@vigil/scenarios/catalog/protocol.ts';
import type { Target, TargetAuthInput, TargetCreate, TargetPatch } from '../../api/types';
import { NAME_MAX_LENGTH, NAME_PATTERN, NAME_RULE } from '../../utils/names';

/** The runner's maximum lengths (runner/openapi.json, POST /api/targets). */
export const TARGET_LIMITS = {
  name: NAME_MAX_LENGTH,
  mcpUrl: 2048,
  clientId: 512,
  clientSecret: 4096,
  loginUser: 512,
  loginPassword: 4096,
  clientPrivateKey: 16_384,
  scopes: 1024,
  clientMetadataUrl: 2048,
} as const;

export const GRANTS = ['authorization_code', 'client_credentials'] as const;
export const TOKEN_AUTHS = ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;
export { CLIENT_KEY_ALGS };

export const SECRET_FIELDS = ['clientSecret', 'loginPassword', 'clientPrivateKey'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];
const HAS_SECRET = {
  clientSecret: 'hasClientSecret',
  loginPassword: 'hasLoginPassword',
  clientPrivateKey: 'hasClientPrivateKey',
} as const satisfies Record<SecretField, keyof Target['auth']>;

const TEXT_FIELDS = ['clientId', 'loginUser', 'scopes', 'clientMetadataUrl'] as const;
const ENUM_FIELDS = ['grant', 'tokenAuth', 'clientKeyAlg'] as const;

/** A write-only field: what was typed now, and whether the runner holds a value. */
export interface SecretValue {
  value: string;
  /** A value is stored and not reset. */
  configured: boolean;
}

export interface TargetFormValues {
  name: string;
  mcpUrl: string;
  grant: '' | (typeof GRANTS)[number];
  tokenAuth: '' | (typeof TOKEN_AUTHS)[number];
  clientKeyAlg: '' | (typeof CLIENT_KEY_ALGS)[number];
  clientId: string;
  loginUser: string;
  scopes: string;
  clientMetadataUrl: string;
  clientSecret: SecretValue;
  loginPassword: SecretValue;
  clientPrivateKey: SecretValue;
}

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

const optionalEnum = <T extends readonly string[]>(values: T) => z.union([z.literal(''), z.enum(values)]);
const secret = (max: number, ...extra: Array<z.core.$ZodCheck<string>>) =>
  z.object({
    value: z.string().check(z.maxLength(max, `must be at most ${max} characters`), ...extra),
    configured: z.boolean(),
  });

export const targetFormSchema = z.object({
  name: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'a name is required'),
      z.maxLength(TARGET_LIMITS.name, `must be at most ${TARGET_LIMITS.name} characters`),
      z.regex(NAME_PATTERN, NAME_RULE)
    ),
  mcpUrl: z.string().check(
    z.trim(),
    z.minLength(1, 'the MCP URL is required'),
    z.maxLength(TARGET_LIMITS.mcpUrl, `must be at most ${TARGET_LIMITS.mcpUrl} characters`),
    z.refine((raw) => parseUrl(raw) !== undefined, 'must be an absolute http(s) URL, e.g. https://mcp.example.com/mcp'),
    z.refine((raw) => {
      const url = parseUrl(raw);
      return !url || url.protocol === 'http:' || url.protocol === 'https:';
    }, 'must use http or https'),
    z.refine((raw) => {
      const url = parseUrl(raw);
      return !url || (!url.username && !url.password);
    }, 'must not carry credentials; use the auth settings below')
  ),
  grant: optionalEnum(GRANTS),
  tokenAuth: optionalEnum(TOKEN_AUTHS),
  clientKeyAlg: optionalEnum(CLIENT_KEY_ALGS),
  clientId: z
    .string()
    .check(z.maxLength(TARGET_LIMITS.clientId, `must be at most ${TARGET_LIMITS.clientId} characters`)),
  loginUser: z
    .string()
    .check(z.maxLength(TARGET_LIMITS.loginUser, `must be at most ${TARGET_LIMITS.loginUser} characters`)),
  scopes: z.string().check(z.maxLength(TARGET_LIMITS.scopes, `must be at most ${TARGET_LIMITS.scopes} characters`)),
  clientMetadataUrl: z.string().check(
    z.maxLength(TARGET_LIMITS.clientMetadataUrl, `must be at most ${TARGET_LIMITS.clientMetadataUrl} characters`),
    z.refine((raw) => raw === '' || parseUrl(raw)?.protocol === 'https:', 'must be an https URL')
  ),
  clientSecret: secret(TARGET_LIMITS.clientSecret),
  loginPassword: secret(TARGET_LIMITS.loginPassword),
  clientPrivateKey: secret(
    TARGET_LIMITS.clientPrivateKey,
    z.refine(
      (pem) => pem === '' || pem.includes('-----BEGIN PRIVATE KEY-----'),
      'must be a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----); convert one with `openssl pkcs8 -topk8 -nocrypt -in key.pem`'
    )
  ),
});

/** The form's starting values: empty for a new target, the target's shown fields for an edit. */
export function targetToForm(target?: Target): TargetFormValues {
  const auth = target?.auth;
  const secretOf = (field: SecretField): SecretValue => ({ value: '', configured: Boolean(auth?.[HAS_SECRET[field]]) });
  return {
    name: target?.name ?? '',
    mcpUrl: target?.mcpUrl ?? '',
    grant: auth?.grant ?? '',
    tokenAuth: auth?.tokenAuth ?? '',
    clientKeyAlg: auth?.clientKeyAlg ?? '',
    clientId: auth?.clientId ?? '',
    loginUser: auth?.loginUser ?? '',
    scopes: auth?.scopes ?? '',
    clientMetadataUrl: auth?.clientMetadataUrl ?? '',
    clientSecret: secretOf('clientSecret'),
    loginPassword: secretOf('loginPassword'),
    clientPrivateKey: secretOf('clientPrivateKey'),
  };
}

/** POST /api/targets: empty fields are left out (the runner's defaults apply); typed secrets are sent. */
export function formToCreate(values: TargetFormValues): TargetCreate {
  const auth: TargetAuthInput = {};
  for (const field of [...TEXT_FIELDS, ...ENUM_FIELDS]) {
    const value = values[field].trim();
    if (value !== '') {
      Object.assign(auth, { [field]: value });
    }
  }
  for (const field of SECRET_FIELDS) {
    if (values[field].value !== '') {
      auth[field] = values[field].value;
    }
  }
  return { name: values.name.trim(), mcpUrl: values.mcpUrl.trim(), auth };
}

/**
 * PATCH /api/targets/:id with what changed only: an emptied field is `null` (cleared), a typed
 * secret is sent, a reset stored secret is `null`, anything untouched is left out (kept).
 */
export function formToPatch(values: TargetFormValues, target: Target): TargetPatch {
  const patch: TargetPatch = {};
  const name = values.name.trim();
  const mcpUrl = values.mcpUrl.trim();
  if (name !== target.name) {
    patch.name = name;
  }
  if (mcpUrl !== target.mcpUrl) {
    patch.mcpUrl = mcpUrl;
  }
  const auth: TargetAuthInput = {};
  for (const field of [...TEXT_FIELDS, ...ENUM_FIELDS]) {
    const value = values[field].trim();
    if (value !== (target.auth[field] ?? '')) {
      Object.assign(auth, { [field]: value === '' ? null : value });
    }
  }
  for (const field of SECRET_FIELDS) {
    const { value, configured } = values[field];
    if (value !== '') {
      auth[field] = value;
    } else if (!configured && target.auth[HAS_SECRET[field]]) {
      auth[field] = null;
    }
  }
  if (Object.keys(auth).length > 0) {
    patch.auth = auth;
  }
  return patch;
}

/** The form field a runner error names (`auth.clientSecret` → `clientSecret`), if the form has it. */
export function formFieldOf(field: string | undefined): keyof TargetFormValues | undefined {
  const name = field?.replace(/^(body\.)?(auth\.)?/, '');
  const fields: Array<keyof TargetFormValues> = ['name', 'mcpUrl', ...TEXT_FIELDS, ...ENUM_FIELDS, ...SECRET_FIELDS];
  return fields.find((candidate) => candidate === name);
}
