/**
 * The load a run request asks for (peak VUs, peak rate, duration), computed from the catalog's
 * shapes with the overrides applied, checked against the server's limits.
 */
import {
  PROFILES,
  SCENARIOS,
  WORKLOADS,
  applyOverrides,
  loadOverridesFromEnv,
  overridesToEnv,
  parseDuration,
  type OverrideValue,
  type Profile,
  type ScenarioDef,
  type Shape,
  type WorkloadId,
} from '@vigil/scenarios/catalog';

/** A runner's per-run limits (VIGIL_MAX_*), defaulting to catalogLimits(). */
export interface Limits {
  maxVus: number;
  maxRate: number;
  maxDurationMs: number;
  maxConcurrentRuns: number;
}

export interface LoadFootprint {
  vus: number;
  rate: number;
  durationMs: number;
}

function shapeFootprint(shape: Shape): LoadFootprint {
  const stagesMs = (stages: Array<{ duration: string }>) =>
    stages.reduce((sum, s) => sum + (parseDuration(s.duration) ?? 0), 0);
  switch (shape.executor) {
    case 'per-vu-iterations':
    case 'shared-iterations':
      return { vus: shape.vus, rate: 0, durationMs: parseDuration(shape.maxDuration) ?? 0 };
    case 'constant-vus':
      return { vus: shape.vus, rate: 0, durationMs: parseDuration(shape.duration) ?? 0 };
    case 'ramping-vus':
      return {
        vus: Math.max(shape.startVUs, ...shape.stages.map((s) => s.target)),
        rate: 0,
        durationMs: stagesMs(shape.stages),
      };
    case 'constant-arrival-rate':
      return { vus: shape.maxVUs, rate: shape.rate, durationMs: parseDuration(shape.duration) ?? 0 };
    case 'ramping-arrival-rate':
      return {
        vus: shape.maxVUs,
        rate: Math.max(shape.startRate, ...shape.stages.map((s) => s.target)),
        durationMs: stagesMs(shape.stages),
      };
  }
}

/** Workloads run side by side: VUs and rates add up, the longest one sets the duration. */
export function footprint(
  scenario: ScenarioDef,
  profile: Profile,
  values: Record<string, OverrideValue>,
): LoadFootprint {
  const selected =
    typeof values.workloads === 'string' ? (values.workloads.split(',') as WorkloadId[]) : scenario.workloads;
  const overrides = loadOverridesFromEnv(overridesToEnv(scenario.id, values));
  return selected
    .map((id) => shapeFootprint(applyOverrides(WORKLOADS[id].shapes[profile], overrides)))
    .reduce(
      (a, b) => ({
        vus: a.vus + b.vus,
        rate: a.rate + b.rate,
        durationMs: Math.max(a.durationMs, b.durationMs),
      }),
      {
        vus: 0,
        rate: 0,
        durationMs: 0,
      },
    );
}

/** The largest load any scenario × profile of the catalog asks for (the default limits). */
export function catalogLimits(): LoadFootprint {
  const prints = Object.values(SCENARIOS).flatMap((scenario) =>
    PROFILES.map((profile) => footprint(scenario, profile, {})),
  );
  return {
    vus: Math.max(...prints.map((p) => p.vus)),
    rate: Math.max(...prints.map((p) => p.rate)),
    durationMs: Math.max(...prints.map((p) => p.durationMs)),
  };
}

export interface LimitError {
  field: string;
  message: string;
}

export function checkLimits(
  print: LoadFootprint,
  limits: Limits,
  values: Record<string, OverrideValue>,
): LimitError[] {
  const field = (key: string) => (values[key] !== undefined ? `overrides.${key}` : 'profile');
  const errors: LimitError[] = [];
  if (print.vus > limits.maxVus)
    errors.push({
      field: field('vus'),
      message: `the run needs ${print.vus} VUs; this server allows at most ${limits.maxVus}`,
    });
  if (print.rate > limits.maxRate)
    errors.push({
      field: field('rate'),
      message: `the run needs ${print.rate} iterations/s; this server allows at most ${limits.maxRate}`,
    });
  if (print.durationMs > limits.maxDurationMs)
    errors.push({
      field: field('duration'),
      message: `the run lasts ${Math.round(print.durationMs / 1000)} s; this server allows at most ${Math.round(limits.maxDurationMs / 1000)} s`,
    });
  return errors;
}
