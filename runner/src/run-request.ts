/**
 * One way to build a run. The API (POST /api/runs), the CLI (`vigil run`, `vigil probe`) and the
 * probe scheduler all come here, so every run is checked the same way: a known scenario and
 * profile, overrides within the catalog's bounds, load within this runner's limits, an engine
 * that exists, the target's URL allowed and resolving to no forbidden address — again at run
 * time, since the allow-list or DNS may have changed since the target was stored — and secrets
 * this runner can open. `runSpecFor` then turns the request into what an engine starts.
 */
import {
  ALLOWED_HOSTS_ENV,
  overridesToEnv,
  PROFILES,
  scenarioById,
  SCENARIO_IDS,
  validateOverrides,
  type OverrideValue,
  type Profile,
  type ScenarioDef,
} from '@vigil/scenarios/catalog';
import type { RunSpec } from './engine/types.ts';
import { FieldError } from './errors.ts';
import type { K6Blocklist, NetworkPolicy } from './hosts.ts';
import { checkLimits, footprint, type Limits } from './limits.ts';
import {
  SECRET_FIELDS,
  type CreatedBy,
  type EngineName,
  type TargetAuth,
  type TargetRecord,
} from './store/types.ts';

/** Time a run may take beyond its planned duration (setup, teardown, graceful stop) before `timeout`. */
export const RUN_TIMEOUT_GRACE_MS = 120_000;
/** Hard limit of a probe walk started as a run (API, CLI); scheduled probes use their own timeout. */
export const PROBE_RUN_TIMEOUT_MS = 120_000;

export interface RunRequest {
  kind: 'load' | 'probe';
  scenario: ScenarioDef;
  profile: string;
  overrides: Record<string, OverrideValue>;
  targetId: string | null;
  targetName: string;
  mcpUrl: string;
  auth: TargetAuth;
  secrets: Record<string, string>;
  engine: EngineName;
  createdBy: CreatedBy | null;
  probeId: string | null;
  timeoutMs: number;
  /** Hosts the script may send requests to, and what k6 refuses to connect to. */
  allowedHosts: readonly string[];
  blocklist: K6Blocklist;
}

/** A stored target, or an ad-hoc URL (API `targetUrl`, CLI `--target`) with auth given alongside. */
export type RunTarget =
  | { stored: TargetRecord }
  | { url: string; field: string; auth?: TargetAuth; secrets?: Record<string, string> };

export interface RunRequestInput {
  scenario: string;
  profile?: string;
  overrides?: Record<string, unknown>;
  target: RunTarget;
  engine?: EngineName;
  createdBy?: CreatedBy | null;
  probeId?: string | null;
  /** A hard limit chosen by the caller (a probe's timeout, `--timeout`); else planned + grace. */
  timeoutMs?: number;
}

export interface RunBuilderDeps {
  policy: NetworkPolicy;
  /** Opens a stored target's secrets; throws a RequestError (409) when this runner cannot. */
  secretsOf(target: TargetRecord): Record<string, string>;
  /** The server's limits; the CLI has none (it runs where its user chose to). */
  limits?: Limits;
  hasEngine?(name: EngineName): boolean;
}

function scenarioOf(id: string): ScenarioDef {
  const scenario = scenarioById(id);
  if (!scenario)
    throw new FieldError('scenario', `unknown scenario ${id}; known: ${SCENARIO_IDS.join(', ')}`);
  return scenario;
}

function profileOf(profile: string): Profile {
  if (!(PROFILES as readonly string[]).includes(profile))
    throw new FieldError('profile', `profile must be one of ${PROFILES.join(', ')}`);
  return profile as Profile;
}

async function resolveTarget(target: RunTarget, deps: RunBuilderDeps) {
  if ('stored' in target) {
    const stored = target.stored;
    await deps.policy.checkField(stored.mcpUrl, 'targetId');
    return {
      targetId: stored.id,
      targetName: stored.name,
      mcpUrl: stored.mcpUrl,
      auth: stored.auth,
      secrets: deps.secretsOf(stored),
    };
  }
  const url = await deps.policy.checkField(target.url, target.field);
  return {
    targetId: null,
    targetName: url.host,
    mcpUrl: url.toString(),
    auth: target.auth ?? {},
    secrets: target.secrets ?? {},
  };
}

export async function buildRunRequest(input: RunRequestInput, deps: RunBuilderDeps): Promise<RunRequest> {
  const scenario = scenarioOf(input.scenario);
  const profile = profileOf(input.profile ?? 'smoke');
  const { values, errors } = validateOverrides(scenario.id, input.overrides ?? {});
  if (errors[0]) throw new FieldError(errors[0].field, errors[0].message);
  const print = footprint(scenario, profile, values);
  const limitError = deps.limits && checkLimits(print, deps.limits, values)[0];
  if (limitError) throw new FieldError(limitError.field, limitError.message, 400, 'limit_exceeded');
  const engine = input.engine ?? 'local';
  if (deps.hasEngine && !deps.hasEngine(engine))
    throw new FieldError('engine', `the ${engine} engine is not configured on this runner`);
  const target = await resolveTarget(input.target, deps);
  const planned = deps.limits ? Math.min(print.durationMs, deps.limits.maxDurationMs) : print.durationMs;
  const timeoutMs =
    input.timeoutMs ?? (scenario.kind === 'probe' ? PROBE_RUN_TIMEOUT_MS : planned + RUN_TIMEOUT_GRACE_MS);
  return {
    kind: scenario.kind,
    scenario,
    profile,
    overrides: values,
    engine,
    createdBy: input.createdBy ?? null,
    probeId: input.probeId ?? null,
    timeoutMs,
    allowedHosts: deps.policy.allowedHosts,
    blocklist: deps.policy.k6Blocklist(),
    ...target,
  };
}

const AUTH_ENV: Record<keyof TargetAuth, string> = {
  clientId: 'CLIENT_ID',
  loginUser: 'LOGIN_USER',
  scopes: 'SCOPE',
  grant: 'GRANT',
  tokenAuth: 'TOKEN_AUTH',
  clientKeyAlg: 'CLIENT_KEY_ALG',
  clientMetadataUrl: 'CLIENT_METADATA_URL',
};

/** The script's non-secret environment: target, profile, auth settings, allowed hosts, overrides. */
export function scriptEnvFor(req: RunRequest): Record<string, string> {
  const env: Record<string, string> = {
    MCP_URL: req.mcpUrl,
    PROFILE: req.profile,
    [ALLOWED_HOSTS_ENV]: req.allowedHosts.join(','),
  };
  for (const [key, name] of Object.entries(AUTH_ENV) as Array<[keyof TargetAuth, string]>) {
    const value = req.auth[key];
    if (value) env[name] = value;
  }
  return { ...env, ...overridesToEnv(req.scenario.id, req.overrides) };
}

export function secretEnvFor(secrets: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [field, name] of Object.entries(SECRET_FIELDS)) if (secrets[field]) env[name] = secrets[field];
  return env;
}

/** What an engine starts for a request. */
export function runSpecFor(req: RunRequest, runId: string, runDir: string): RunSpec {
  return {
    runId,
    kind: req.kind,
    scenario: req.scenario,
    profile: req.profile,
    targetName: req.targetName,
    env: scriptEnvFor(req),
    secretEnv: secretEnvFor(req.secrets),
    runDir,
    timeoutMs: req.timeoutMs,
    blocklist: req.blocklist,
  };
}
