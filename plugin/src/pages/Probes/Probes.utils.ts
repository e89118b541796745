/**
 * The probe form: values, the zod/mini schema mirroring the runner's probe schema
 * (runner/src/api/schemas.ts; Probes.utils.test.ts checks the bounds and the strict levels against
 * runner/openapi.json), the runner's default timeout, and the conversion to create/patch bodies.
 */
import * as z from 'zod/mini';
import { FINDING_SEVERITIES } from '@vigil/scenarios/catalog/findings.ts';
import type { Probe, ProbeCreate, ProbePatch, StrictLevel } from '../../api/types';
import { NAME_MAX_LENGTH, NAME_PATTERN, NAME_RULE } from '../../utils/names';

/** `off`, or the severity from which spec findings fail the walk (the probe scenario's `strict`). */
export const STRICT_LEVELS: readonly StrictLevel[] = ['off', ...FINDING_SEVERITIES];

export const PROBE_LIMITS = {
  intervalMin: 10,
  intervalMax: 86_400,
  timeoutMin: 1,
  timeoutMax: 600,
} as const;

/**
 * The runner's default timeout (runner/src/api/schemas.ts `defaultProbeTimeoutSeconds`): 30 s, or
 * just under the interval for a probe that runs more often.
 */
export function defaultProbeTimeoutSeconds(intervalSeconds: number): number {
  return Math.min(30, intervalSeconds - 1);
}

export interface ProbeFormValues {
  name: string;
  targetId: string;
  intervalSeconds: string;
  /** '' = the runner's default for the interval. */
  timeoutSeconds: string;
  enabled: boolean;
  strict: StrictLevel;
}

const WHOLE = /^\d+$/;
const seconds = (value: string) => (WHOLE.test(value.trim()) ? Number(value.trim()) : NaN);

export const probeFormSchema = z
  .object({
    name: z
      .string()
      .check(
        z.trim(),
        z.minLength(1, 'a name is required'),
        z.maxLength(NAME_MAX_LENGTH, `must be at most ${NAME_MAX_LENGTH} characters`),
        z.regex(NAME_PATTERN, NAME_RULE)
      ),
    targetId: z.string().check(z.minLength(1, 'choose the target to probe')),
    intervalSeconds: z.string().check(
      z.refine((v) => WHOLE.test(v.trim()), 'a whole number of seconds'),
      z.refine(
        (v) => !(seconds(v) < PROBE_LIMITS.intervalMin || seconds(v) > PROBE_LIMITS.intervalMax),
        `between ${PROBE_LIMITS.intervalMin} s and ${PROBE_LIMITS.intervalMax} s (a day)`
      )
    ),
    timeoutSeconds: z.string().check(
      z.refine((v) => v.trim() === '' || WHOLE.test(v.trim()), 'a whole number of seconds, or empty for the default'),
      z.refine(
        (v) => v.trim() === '' || !(seconds(v) < PROBE_LIMITS.timeoutMin || seconds(v) > PROBE_LIMITS.timeoutMax),
        `between ${PROBE_LIMITS.timeoutMin} s and ${PROBE_LIMITS.timeoutMax} s`
      )
    ),
    enabled: z.boolean(),
    strict: z.enum(['off', ...FINDING_SEVERITIES]),
  })
  .check(
    z.refine(
      (v) => {
        const interval = seconds(v.intervalSeconds);
        const timeout =
          v.timeoutSeconds.trim() === '' ? defaultProbeTimeoutSeconds(interval) : seconds(v.timeoutSeconds);
        return Number.isNaN(interval) || Number.isNaN(timeout) || timeout < interval;
      },
      { error: 'must be shorter than the interval', path: ['timeoutSeconds'] }
    )
  );

export function probeToForm(probe?: Probe, targetId = ''): ProbeFormValues {
  return {
    name: probe?.name ?? '',
    targetId: probe?.targetId ?? targetId,
    intervalSeconds: String(probe?.intervalSeconds ?? 60),
    timeoutSeconds: probe ? String(probe.timeoutSeconds) : '',
    enabled: probe?.enabled ?? true,
    strict: probe?.strict ?? 'off',
  };
}

/** The timeout the runner will use for these values (the typed one, or its default). */
export function effectiveTimeout(values: ProbeFormValues): number | undefined {
  const interval = seconds(values.intervalSeconds);
  if (values.timeoutSeconds.trim() !== '') {
    return seconds(values.timeoutSeconds);
  }
  return Number.isNaN(interval) ? undefined : defaultProbeTimeoutSeconds(interval);
}

/** POST /api/probes; an empty timeout is left out, so the runner applies its default. */
export function formToCreate(values: ProbeFormValues): ProbeCreate {
  const body: ProbeCreate = {
    name: values.name.trim(),
    targetId: values.targetId,
    intervalSeconds: seconds(values.intervalSeconds),
    enabled: values.enabled,
    strict: values.strict,
  };
  if (values.timeoutSeconds.trim() !== '') {
    body.timeoutSeconds = seconds(values.timeoutSeconds);
  }
  return body;
}

/** PATCH /api/probes/:id with what changed; an emptied timeout becomes the default for the interval. */
export function formToPatch(values: ProbeFormValues, probe: Probe): ProbePatch {
  const next = formToCreate(values);
  const timeout = next.timeoutSeconds ?? defaultProbeTimeoutSeconds(next.intervalSeconds);
  const patch: ProbePatch = {};
  if (next.name !== probe.name) {
    patch.name = next.name;
  }
  if (next.targetId !== probe.targetId) {
    patch.targetId = next.targetId;
  }
  if (next.intervalSeconds !== probe.intervalSeconds) {
    patch.intervalSeconds = next.intervalSeconds;
  }
  if (timeout !== probe.timeoutSeconds) {
    patch.timeoutSeconds = timeout;
  }
  if (next.enabled !== probe.enabled) {
    patch.enabled = next.enabled;
  }
  if (next.strict !== probe.strict) {
    patch.strict = next.strict;
  }
  return patch;
}

export const STRICT_DESCRIPTIONS: Record<StrictLevel, string> = {
  off: 'Findings never fail the walk (they alert on their own).',
  info: 'Any finding fails the walk.',
  low: 'Findings of severity low or worse fail the walk.',
  medium: 'Findings of severity medium or worse fail the walk.',
  high: 'Only high-severity findings fail the walk.',
};

/** The form field a runner error names (`body.intervalSeconds` → `intervalSeconds`), if the form has it. */
export function probeFieldOf(field: string | undefined): keyof ProbeFormValues | undefined {
  const name = field?.replace(/^body\./, '');
  const fields: Array<keyof ProbeFormValues> = [
    'name',
    'targetId',
    'intervalSeconds',
    'timeoutSeconds',
    'enabled',
    'strict',
  ];
  return fields.find((candidate) => candidate === name);
}
