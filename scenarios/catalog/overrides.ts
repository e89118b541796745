/**
 * Run overrides: validation against the catalog's bounds, and their effect on a workload's shape.
 * Pure functions: the k6 scripts (options), the runner (request validation) and (planned) the Grafana app (forms)
 * all call them, so a value accepted by one is accepted by all.
 */
import { formatDuration, parseDuration } from './duration.ts';
import { scenarioById, type Parameter } from './scenarios.ts';
import type { Shape } from './workloads.ts';

export interface LoadOverrides {
  vus?: number;
  rate?: number;
  duration?: string;
  iterations?: number;
}

export interface OverrideError {
  field: string;
  message: string;
}

export type OverrideValue = string | number;

function checkParameter(param: Parameter, raw: unknown): { value?: OverrideValue; error?: string } {
  switch (param.type) {
    case 'integer': {
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof value !== 'number' || !Number.isInteger(value)) return { error: 'must be a whole number' };
      if (param.min !== undefined && value < Number(param.min))
        return { error: `must be at least ${param.min}` };
      if (param.max !== undefined && value > Number(param.max))
        return { error: `must be at most ${param.max}` };
      return { value };
    }
    case 'duration': {
      const ms = typeof raw === 'string' ? parseDuration(raw) : undefined;
      if (ms === undefined) return { error: 'must be a duration such as 30s, 5m or 1h30m' };
      if (param.min !== undefined && ms < (parseDuration(String(param.min)) ?? 0))
        return { error: `must be at least ${param.min}` };
      if (param.max !== undefined && ms > (parseDuration(String(param.max)) ?? Infinity))
        return { error: `must be at most ${param.max}` };
      return { value: raw as string };
    }
    case 'string': {
      if (typeof raw !== 'string') return { error: 'must be a string' };
      if (param.pattern && !new RegExp(param.pattern).test(raw))
        return { error: `must match ${param.pattern}` };
      return { value: raw };
    }
    case 'json': {
      const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
      if (text === undefined || text.length > 8192)
        return { error: 'must be JSON of at most 8192 characters' };
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
          return { error: 'must be a JSON object' };
      } catch {
        return { error: 'must be valid JSON' };
      }
      return { value: text };
    }
    case 'workloads': {
      const allowed = String(param.default ?? '').split(',');
      const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
      if (!list || list.length === 0) return { error: `must list one or more of ${allowed.join(', ')}` };
      const unknown = list.map((w) => String(w).trim()).filter((w) => !allowed.includes(w));
      if (unknown.length > 0)
        return { error: `unknown workload ${unknown.join(', ')}; allowed: ${allowed.join(', ')}` };
      return { value: list.map((w) => String(w).trim()).join(',') };
    }
  }
}

/**
 * Checks run overrides against a scenario's parameters. Returns the normalized values keyed by
 * parameter key, and one error per bad field (the field is named `overrides.<key>`).
 */
export function validateOverrides(
  scenarioId: string,
  overrides: Record<string, unknown>,
): { values: Record<string, OverrideValue>; errors: OverrideError[] } {
  const scenario = scenarioById(scenarioId);
  if (!scenario)
    return { values: {}, errors: [{ field: 'scenario', message: `unknown scenario ${scenarioId}` }] };
  const values: Record<string, OverrideValue> = {};
  const errors: OverrideError[] = [];
  for (const [key, raw] of Object.entries(overrides)) {
    const param = scenario.parameters.find((p) => p.key === key);
    if (!param) {
      const known = scenario.parameters.map((p) => p.key).join(', ') || 'none';
      errors.push({
        field: `overrides.${key}`,
        message: `unknown parameter for ${scenario.id}; known: ${known}`,
      });
      continue;
    }
    const { value, error } = checkParameter(param, raw);
    if (error) errors.push({ field: `overrides.${key}`, message: `${key} ${error}` });
    else if (value !== undefined) values[key] = value;
  }
  return { values, errors };
}

/** Environment variables (`-e NAME=value`) that carry validated overrides to the script. */
export function overridesToEnv(
  scenarioId: string,
  values: Record<string, OverrideValue>,
): Record<string, string> {
  const scenario = scenarioById(scenarioId);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const param = scenario?.parameters.find((p) => p.key === key);
    if (param) env[param.env] = String(value);
  }
  return env;
}

/** Reads LOAD_* variables (as a script sees them in `__ENV`) back into overrides; bad values are ignored. */
export function loadOverridesFromEnv(env: Record<string, string | undefined>): LoadOverrides {
  const int = (text: string | undefined) => {
    const n = Number(text);
    return text !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
  };
  const duration = env.LOAD_DURATION && parseDuration(env.LOAD_DURATION) ? env.LOAD_DURATION : undefined;
  return { vus: int(env.LOAD_VUS), rate: int(env.LOAD_RATE), duration, iterations: int(env.LOAD_ITERATIONS) };
}

function scaleStages(
  stages: Array<{ target: number; duration: string }>,
  peak: number | undefined,
  total: string | undefined,
): Array<{ target: number; duration: string }> {
  const currentPeak = Math.max(...stages.map((s) => s.target), 1);
  const currentTotal = stages.reduce((sum, s) => sum + (parseDuration(s.duration) ?? 0), 0) || 1;
  const totalMs = total ? (parseDuration(total) ?? currentTotal) : currentTotal;
  return stages.map((s) => ({
    target: peak === undefined ? s.target : Math.round((s.target / currentPeak) * peak),
    duration: formatDuration(
      Math.max(1000, Math.round((((parseDuration(s.duration) ?? 0) / currentTotal) * totalMs) / 1000) * 1000),
    ),
  }));
}

/** Applies overrides to a shape: each executor takes the fields that mean something to it. */
export function applyOverrides(shape: Shape, o: LoadOverrides): Shape {
  switch (shape.executor) {
    case 'per-vu-iterations':
    case 'shared-iterations':
      return {
        ...shape,
        vus: o.vus ?? shape.vus,
        iterations: o.iterations ?? shape.iterations,
        maxDuration: o.duration ?? shape.maxDuration,
      };
    case 'constant-vus':
      return { ...shape, vus: o.vus ?? shape.vus, duration: o.duration ?? shape.duration };
    case 'ramping-vus':
      return { ...shape, stages: scaleStages(shape.stages, o.vus, o.duration) };
    case 'constant-arrival-rate': {
      const maxVUs = o.vus ?? shape.maxVUs;
      return {
        ...shape,
        rate: o.rate ?? shape.rate,
        duration: o.duration ?? shape.duration,
        maxVUs,
        preAllocatedVUs: Math.min(shape.preAllocatedVUs, maxVUs),
      };
    }
    case 'ramping-arrival-rate': {
      const maxVUs = o.vus ?? shape.maxVUs;
      return {
        ...shape,
        stages: scaleStages(shape.stages, o.rate, o.duration),
        maxVUs,
        preAllocatedVUs: Math.min(shape.preAllocatedVUs, maxVUs),
      };
    }
  }
}
