/**
 * The New run form: its fields come from the catalog the runner serves (`GET /api/scenarios`:
 * scenarios with their parameters, bounds and help, profiles, limits), and its values are checked
 * with the catalog's own functions the runner checks them with (`validateOverrides` for the
 * overrides, `PROFILES`), so what the form accepts the runner accepts. What only the runner can
 * judge (this runner's load limits, whether the kubernetes engine is configured, the target's URL
 * policy) comes back as a field error and is shown on that field.
 */
import * as z from 'zod/mini';
import { validateOverrides, type OverrideValue } from '@vigil/scenarios/catalog/overrides.ts';
import { PROFILES } from '@vigil/scenarios/catalog/workloads.ts';
import type { RunCreate, Scenario, ScenarioParameter, Scenarios } from '../../api/types';

export type OverrideField = `overrides.${string}`;

/** Flat string values as the inputs hold them; an override left '' is not sent (the profile's shape applies). */
export type NewRunValues = {
  scenario: string;
  targetId: string;
  profile: string;
  engine: 'local' | 'kubernetes';
} & { [field: OverrideField]: string };

export const ENGINES = ['local', 'kubernetes'] as const;

export const overrideField = (key: string): OverrideField => `overrides.${key}`;

export function initialValues(
  scenarios: Scenarios | undefined,
  preset: { scenario?: string | null; targetId?: string | null }
): NewRunValues {
  const known = (id: string | null | undefined) => scenarios?.scenarios.some((scenario) => scenario.id === id);
  const firstLoad = scenarios?.scenarios.find((scenario) => scenario.kind === 'load')?.id ?? '';
  return {
    scenario: preset.scenario && known(preset.scenario) ? preset.scenario : firstLoad,
    targetId: preset.targetId ?? '',
    profile: 'smoke',
    engine: 'local',
  };
}

export function scenarioOf(scenarios: Scenarios | undefined, id: string): Scenario | undefined {
  return scenarios?.scenarios.find((scenario) => scenario.id === id);
}

/** The `workloads` value when every box is unchecked: kept apart from '' (= all, the default). */
const NO_WORKLOADS = ',';

/** The overrides the form holds for a scenario's parameters (as typed; '' left out). */
export function overridesOf(values: NewRunValues, parameters: readonly ScenarioParameter[]): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const parameter of parameters) {
    const raw = values[overrideField(parameter.key)] ?? '';
    if (raw.trim() !== '' && raw !== NO_WORKLOADS) {
      overrides[parameter.key] = parameter.type === 'json' ? raw : raw.trim();
    }
  }
  return overrides;
}

/** The schema of the form for the catalog the runner serves. */
export function newRunSchema(scenarios: Scenarios | undefined): z.ZodMiniType<unknown, NewRunValues> {
  const schema = z
    .looseObject({
      scenario: z.string().check(z.minLength(1, 'choose a scenario')),
      targetId: z.string().check(z.minLength(1, 'choose the target to run against')),
      profile: z.enum(PROFILES, `one of ${PROFILES.join(', ')}`),
      engine: z.enum(ENGINES),
    })
    .check(
      z.superRefine((values, context) => {
        const form = values as NewRunValues;
        const scenario = scenarioOf(scenarios, form.scenario);
        if (!scenario) {
          return;
        }
        for (const parameter of scenario.parameters) {
          if (parameter.type === 'workloads' && form[overrideField(parameter.key)] === NO_WORKLOADS) {
            context.addIssue({
              code: 'custom',
              message: 'choose at least one workload',
              path: [overrideField(parameter.key)],
              input: NO_WORKLOADS,
            });
          }
        }
        // the runner's own check (runner/src/run-request.ts calls the same function)
        for (const error of validateOverrides(form.scenario, overridesOf(form, scenario.parameters)).errors) {
          context.addIssue({ code: 'custom', message: error.message, path: [error.field], input: form.scenario });
        }
      })
    );
  // the overrides are loose keys (`overrides.<key>`) the object schema cannot name
  return schema as unknown as z.ZodMiniType<unknown, NewRunValues>;
}

/** POST /api/runs for valid values: the overrides as the catalog normalizes them (numbers for integers). */
export function formToRunCreate(values: NewRunValues, scenario: Scenario): RunCreate {
  const { values: overrides } = validateOverrides(scenario.id, overridesOf(values, scenario.parameters));
  const body: RunCreate = {
    scenario: scenario.id,
    targetId: values.targetId,
    profile: values.profile as RunCreate['profile'],
    engine: values.engine,
  };
  if (Object.keys(overrides).length > 0) {
    body.overrides = overrides satisfies Record<string, OverrideValue>;
  }
  return body;
}

/** The form field a runner error names (`overrides.vus`, `body.targetId` → `targetId`); undefined for others. */
export function newRunFieldOf(
  field: string | undefined,
  scenario: Scenario | undefined
): keyof NewRunValues | undefined {
  const name = field?.replace(/^body\./, '');
  if (name === 'scenario' || name === 'targetId' || name === 'profile' || name === 'engine') {
    return name;
  }
  const key = name?.startsWith('overrides.') ? name.slice('overrides.'.length) : undefined;
  return key && scenario?.parameters.some((parameter) => parameter.key === key) ? overrideField(key) : undefined;
}

/** A parameter's help: what it is, its bounds and default, and the variable the script reads it from. */
export function parameterHelp(parameter: ScenarioParameter): string {
  const { min, max } = parameter;
  const bounds =
    min !== undefined && max !== undefined
      ? `${min} to ${max}`
      : min !== undefined
        ? `at least ${min}`
        : max !== undefined
          ? `at most ${max}`
          : undefined;
  const byDefault =
    parameter.type !== 'workloads' && parameter.default !== undefined ? `default ${parameter.default}` : '';
  const facts = [bounds, byDefault].filter(Boolean).join(', ');
  const what = parameter.description.charAt(0).toUpperCase() + parameter.description.slice(1);
  return `${what}${facts ? ` (${facts})` : ''}. Empty: the profile's value. The script reads it as ${parameter.env}.`;
}

/** Toggles one workload in a `workloads` value ('' = all of them, the default). */
export function toggleWorkload(value: string, all: readonly string[], id: string, checked: boolean): string {
  const current = value === '' ? [...all] : value === NO_WORKLOADS ? [] : value.split(',');
  const next = all.filter((workload) => (workload === id ? checked : current.includes(workload)));
  if (next.length === all.length) {
    return '';
  }
  return next.length === 0 ? NO_WORKLOADS : next.join(',');
}

export function isWorkloadChecked(value: string, id: string): boolean {
  return value === '' || (value !== NO_WORKLOADS && value.split(',').includes(id));
}
