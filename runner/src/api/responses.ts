/**
 * What every route answers, as zod schemas: they describe the responses in the OpenAPI document
 * (openapi.json, from which the Grafana app's client types are generated), and a contract test
 * validates real answers against that document, so the document, the API and the app cannot
 * drift apart. Serialization stays JSON.stringify (server.ts): these schemas describe, they do not
 * filter.
 */
import {
  CLIENT_KEY_ALGS,
  FINDING_CODES,
  FINDING_SEVERITIES,
  PROBE_RUNNER_ERRORS,
  PROFILES,
  REASONS,
  RUN_KINDS,
  SCENARIO_IDS,
  STEPS,
  type VigilSummary,
} from '@vigil/scenarios/catalog';
import { z } from 'zod';
import { ENGINES, RUN_STATUSES } from '../store/types.ts';
import { jsonSchema } from './schemas.ts';

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();
const timestamp = z.string().describe('ISO 8601 time');

export const errorResponse = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      field: z.string().optional(),
      runId: z.string().optional(),
    }),
  })
  .describe('Every error answer');

export const targetResponse = z.object({
  id: z.string(),
  name: z.string(),
  mcpUrl: z.string(),
  auth: z.object({
    clientId: z.string().optional(),
    loginUser: z.string().optional(),
    scopes: z.string().optional(),
    grant: z.enum(['authorization_code', 'client_credentials']).optional(),
    tokenAuth: z.enum(['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt']).optional(),
    clientKeyAlg: z.enum(CLIENT_KEY_ALGS).optional(),
    clientMetadataUrl: z.string().optional(),
    hasClientSecret: z.boolean(),
    hasLoginPassword: z.boolean(),
    hasClientPrivateKey: z.boolean(),
  }),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const targetListResponse = z.object({ items: z.array(targetResponse), total: z.int() });

const threshold = z.object({
  metric: z.string(),
  expression: z.string(),
  ok: z.boolean(),
  value: z.number().optional(),
});

const stepResult = z.object({
  step: z.enum(STEPS),
  ok: z.boolean(),
  durationMs: z.number(),
  reason: z.enum(REASONS).optional(),
  skipped: z.boolean().optional(),
  detail: z.string().optional(),
});

const finding = z.object({
  code: z.enum(FINDING_CODES),
  severity: z.enum(FINDING_SEVERITIES),
  step: z.enum(STEPS),
  evidence: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});

/** A finding as served: what the walk saw, with the catalog's title, spec reference and fix. */
const findingView = finding.extend({
  title: z.string(),
  spec: z.object({ name: z.string(), url: z.string() }),
  fix: z.string(),
});

const probeWalk = z.object({
  ok: z.boolean(),
  failedStep: z.enum(STEPS).optional(),
  steps: z.array(stepResult),
  compliance: z.array(z.object({ name: z.string(), ok: z.boolean() })),
  findings: z.array(finding).optional(),
  strict: z.enum(FINDING_SEVERITIES).optional(),
  toolsHash: z.string().optional(),
  toolCount: z.number().optional(),
  tokenExpiresInSeconds: z.number().optional(),
});

/** The script's VigilSummary (catalog results.ts); `summaryMatchesCatalog` below keeps them equal. */
const summary = z.object({
  version: z.literal(1),
  scenario: z.enum(SCENARIO_IDS),
  profile: z.enum(PROFILES),
  ok: z.boolean(),
  thresholds: z.array(threshold),
  metrics: z.record(
    z.string(),
    z.object({
      type: z.enum(['trend', 'rate', 'counter', 'gauge']),
      values: z.record(z.string(), z.number()),
    }),
  ),
  checks: z.object({ passes: z.number(), fails: z.number() }),
  durationMs: z.number(),
  failedChecks: z.array(z.object({ name: z.string(), passes: z.number(), fails: z.number() })).optional(),
  errors: z
    .array(
      z.object({
        metric: z.string(),
        by: z.enum(['reason', 'step', 'status']),
        value: z.string(),
        count: z.number(),
      }),
    )
    .optional(),
  probe: probeWalk.optional(),
});

// Compile-time guard: a catalog VigilSummary is a valid `summary` (the schema cannot lag behind).
export const summaryMatchesCatalog = (s: VigilSummary): z.input<typeof summary> => s;

const runFields = {
  id: z.string(),
  kind: z.enum(RUN_KINDS),
  scenario: z.string(),
  targetId: nullable(z.string()),
  targetName: z.string(),
  targetUrl: z.string(),
  profile: z.string(),
  overrides: z.record(z.string(), z.union([z.string(), z.number()])),
  engine: z.enum(ENGINES),
  status: z.enum(RUN_STATUSES),
  progress: nullable(z.number()),
  exitCode: nullable(z.int()),
  thresholds: nullable(z.array(threshold)).describe('null: no verdict (the run did not run to its end)'),
  steps: nullable(z.array(stepResult)),
  metricsDelivered: nullable(z.boolean()),
  error: nullable(z.string()),
  createdBy: nullable(z.object({ login: z.string().optional(), userId: z.string().optional() })),
  baseline: z.boolean(),
  createdAt: timestamp,
  startedAt: nullable(timestamp),
  finishedAt: nullable(timestamp),
};

export const runResponse = z.object({ ...runFields, summary: nullable(summary) });
export const runListResponse = z.object({
  items: z.array(z.object(runFields)),
  nextCursor: nullable(z.string()),
});
export const runEventsResponse = z.object({
  items: z.array(
    z.object({ id: z.int(), runId: z.string(), at: timestamp, type: z.string(), message: z.string() }),
  ),
});
export const runLogsResponse = z.object({ lines: z.array(z.string()), truncated: z.boolean() });
export const runCompareResponse = z.object({
  runId: z.string(),
  baselineId: z.string(),
  items: z.array(
    z.object({
      metric: z.string(),
      stat: z.enum(['p50', 'p95', 'p99', 'errorRate', 'throughput']),
      run: nullable(z.number()),
      baseline: nullable(z.number()),
      delta: nullable(z.number()),
      deltaPercent: nullable(z.number()),
    }),
  ),
});
export const engineUnavailableResponse = errorResponse;

export const probeResultResponse = z.object({
  id: z.int(),
  probeId: z.string(),
  runId: nullable(z.string()),
  at: timestamp,
  ok: z.boolean(),
  status: z.string(),
  durationMs: z.number(),
  failedStep: nullable(z.enum(STEPS)),
  steps: z.array(stepResult),
  toolsHash: nullable(z.string()),
  tokenExpiresInSeconds: nullable(z.number()),
  runnerError: nullable(z.object({ code: z.enum(PROBE_RUNNER_ERRORS), message: z.string() })),
  findings: z.array(findingView),
});

export const probeResponse = z.object({
  id: z.string(),
  name: z.string(),
  targetId: z.string(),
  intervalSeconds: z.int(),
  timeoutSeconds: z.int(),
  enabled: z.boolean(),
  strict: z.enum(['off', ...FINDING_SEVERITIES]),
  skippedRuns: z.int(),
  lastResult: nullable(probeResultResponse),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const probeListResponse = z.object({ items: z.array(probeResponse), total: z.int() });
export const probeRunResponse = z.object({ result: nullable(probeResultResponse) });
export const probeResultsResponse = z.object({
  items: z.array(probeResultResponse),
  nextCursor: nullable(z.string()),
});

const parameter = z.object({
  key: z.string(),
  env: z.string(),
  type: z.enum(['integer', 'duration', 'string', 'json', 'workloads']),
  description: z.string(),
  default: z.union([z.string(), z.number()]).optional(),
  min: z.union([z.string(), z.number()]).optional(),
  max: z.union([z.string(), z.number()]).optional(),
  pattern: z.string().optional(),
});

export const scenariosResponse = z.object({
  scenarios: z.array(
    z.object({
      id: z.enum(SCENARIO_IDS),
      title: z.string(),
      description: z.string(),
      kind: z.enum(RUN_KINDS),
      script: z.string(),
      /** The one-file bundle the runner runs (scenarios/bundles/), the source otherwise. */
      bundle: z.string(),
      workloads: z.array(z.object({ id: z.string(), title: z.string(), flow: z.string() })),
      flows: z.array(z.string()),
      parameters: z.array(parameter),
    }),
  ),
  profiles: z.array(z.object({ id: z.enum(PROFILES), description: z.string() })),
  slos: z.array(
    z.object({ id: z.string(), flow: z.string(), title: z.string(), source: z.string() }).loose(),
  ),
  env: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      default: z.string().optional(),
      required: z.boolean().optional(),
      secret: z.boolean().optional(),
    }),
  ),
  limits: z.object({
    maxVus: z.int(),
    maxRate: z.int(),
    maxDurationSeconds: z.int(),
    maxConcurrentRuns: z.int(),
  }),
});

export const healthResponse = z.object({ status: z.literal('ok') });
export const readyResponse = z.object({
  status: z.enum(['starting', 'ready', 'degraded']),
  problems: z.array(z.object({ code: z.enum(['k6_missing', 'secrets_unreadable']), message: z.string() })),
});

/**
 * A route's `response` for the OpenAPI document: its success answers, and the error shape for every
 * 4xx and 5xx.
 */
const labels = z.record(z.string(), z.string());
export const notificationResponse = z.object({
  id: z.int(),
  receivedAt: timestamp,
  receiver: z.string(),
  status: z.enum(['firing', 'resolved']),
  groupLabels: labels,
  commonLabels: labels,
  truncatedAlerts: z.int().describe('alerts not kept: over Alertmanager max_alerts or the runner bound'),
  alerts: z.array(
    z.object({
      status: z.enum(['firing', 'resolved']),
      labels,
      annotations: labels,
      startsAt: z.string(),
      endsAt: z.string(),
      generatorURL: z.string(),
      fingerprint: z.string(),
    }),
  ),
});
export const notificationListResponse = z.object({
  items: z.array(notificationResponse).describe('newest first'),
  latestId: z.int().describe('the newest id received (0: none); wait for more with afterId'),
});

export function answers(success: Record<number, z.ZodType>): Record<string, unknown> {
  const described: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(success)) described[status] = jsonSchema(schema, 'output');
  return {
    ...described,
    '4xx': jsonSchema(errorResponse, 'output'),
    '5xx': jsonSchema(errorResponse, 'output'),
  };
}
