/**
 * Request schemas (zod). The same schemas feed the OpenAPI document (z.toJSONSchema), so the
 * served contract and the validation cannot drift apart.
 */
import { CLIENT_KEY_ALGS, FINDING_SEVERITIES, PROFILES, RUN_KINDS } from '@vigil/scenarios/catalog';
import { z } from 'zod';
import { ENGINES, RUN_STATUSES } from '../store/types.ts';

/** Names become metric label values and k6 tags: short, no spaces, no URLs. */
const name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/,
    'must start with a letter or digit and use only letters, digits, _ . : -',
  );
const id = z.string().min(1).max(64);
const secret = (max: number) => z.string().max(max).nullable().optional();
const text = (max: number) => z.string().max(max).nullable().optional();

const authFields = {
  clientId: text(512),
  clientSecret: secret(4096),
  loginUser: text(512),
  loginPassword: secret(4096),
  clientPrivateKey: secret(16_384),
  scopes: text(1024),
  grant: z.enum(['authorization_code', 'client_credentials']).nullable().optional(),
  tokenAuth: z
    .enum(['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'])
    .nullable()
    .optional(),
  clientKeyAlg: z.enum(CLIENT_KEY_ALGS).nullable().optional(),
  clientMetadataUrl: z
    .url({ protocol: /^https$/ })
    .max(2048)
    .nullable()
    .optional(),
};
export const targetAuthSchema = z.strictObject(authFields);

export const targetCreateSchema = z.strictObject({
  name,
  mcpUrl: z.string().min(1).max(2048),
  auth: targetAuthSchema.default({}),
});
export const targetPatchSchema = z.strictObject({
  name: name.optional(),
  mcpUrl: z.string().min(1).max(2048).optional(),
  auth: targetAuthSchema.optional(),
});

export const runCreateSchema = z
  .strictObject({
    scenario: z.string().min(1).max(64),
    targetId: id.optional(),
    targetUrl: z.string().min(1).max(2048).optional(),
    profile: z.enum(PROFILES).default('smoke'),
    overrides: z.record(z.string(), z.unknown()).default({}),
    engine: z.enum(ENGINES).default('local'),
  })
  .refine((body) => (body.targetId === undefined) !== (body.targetUrl === undefined), {
    path: ['targetId'],
    message: 'give exactly one of targetId or targetUrl',
  });

/** Default probe timeout: 30 s, or just under the interval for a probe that runs more often. */
export const defaultProbeTimeoutSeconds = (intervalSeconds: number) => Math.min(30, intervalSeconds - 1);

// The timeout is checked against the interval by the route, after the target is known to exist.
/** `off`, or the severity from which spec findings fail the probe's walk. */
const strict = z.enum(['off', ...FINDING_SEVERITIES]);

export const probeCreateSchema = z.strictObject({
  name,
  targetId: id,
  intervalSeconds: z.int().min(10).max(86_400),
  timeoutSeconds: z.int().min(1).max(600).optional(),
  enabled: z.boolean().default(true),
  strict: strict.default('off'),
});
export const probePatchSchema = z.strictObject({
  name: name.optional(),
  targetId: id.optional(),
  intervalSeconds: z.int().min(10).max(86_400).optional(),
  timeoutSeconds: z.int().min(1).max(600).optional(),
  enabled: z.boolean().optional(),
  strict: strict.optional(),
});

const limit = z.coerce.number().int().min(1).max(500).default(50);
export const offsetPageSchema = z.object({ limit, offset: z.coerce.number().int().min(0).default(0) });
export const runListSchema = z.object({
  limit,
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a nextCursor from a previous page')
    .optional(),
  scenario: z.string().max(64).optional(),
  target: z.string().max(64).optional(),
  status: z.enum(RUN_STATUSES).optional(),
  kind: z.enum(RUN_KINDS).optional(),
});
export const resultsListSchema = z.object({
  limit,
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a nextCursor')
    .optional(),
});
export const logTailSchema = z.object({ tail: z.coerce.number().int().min(1).max(5000).default(200) });
export const idParamSchema = z.object({ id });

/** JSON Schema for the OpenAPI document: of what a request may send (input), or what is answered. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

/** The `:id` path parameter, for the OpenAPI document. */
export const idParams = jsonSchema(idParamSchema);
