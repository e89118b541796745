/**
 * The silence form: zod/mini schema, its values from an alert's identifying labels, and
 * Alertmanager's PostableSilence body. Durations are k6-style (`2h`, `30m`), read with the
 * catalog's parser.
 */
import * as z from 'zod/mini';
import { parseDuration } from '@vigil/scenarios/catalog/duration.ts';
import type { AlertmanagerAlert, SilenceCreate } from '../../api/alerting';

/** Labels that say what an alert is about; a silence starts with these (severity and the like are left out). */
export const IDENTIFYING_LABELS = ['alertname', 'probe', 'target', 'testid', 'slo', 'step', 'reason'] as const;

export interface MatcherRow {
  name: string;
  value: string;
}

export interface SilenceFormValues {
  matchers: MatcherRow[];
  /** k6-style: `2h`, `30m`, `1h30m`. */
  duration: string;
  comment: string;
}

/** Alertmanager's label name rule. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export const MAX_SILENCE_MS = 30 * 24 * 3_600_000;

export const silenceFormSchema = z.object({
  matchers: z.array(z.object({ name: z.string(), value: z.string() })).check(
    z.minLength(1, 'a silence needs at least one matcher'),
    z.refine(
      (rows) => rows.every((row) => LABEL_NAME.test(row.name.trim())),
      'label names are letters, digits and _, not starting with a digit'
    ),
    z.refine((rows) => rows.every((row) => row.value.trim() !== ''), 'every matcher needs a value'),
    z.refine(
      (rows) => rows.some((row) => row.name.trim() === 'alertname'),
      'keep the alertname matcher, or the silence mutes more than this alert'
    )
  ),
  duration: z.string().check(
    z.refine((text) => parseDuration(text.trim()) !== undefined, 'a duration such as 30m, 2h or 1h30m'),
    z.refine(
      (text) => (parseDuration(text.trim()) ?? 0) <= MAX_SILENCE_MS,
      'at most 30 days (720h): silence longer by changing the rule'
    ),
    z.refine((text) => (parseDuration(text.trim()) ?? 1) > 0, 'longer than 0')
  ),
  comment: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'say why (Alertmanager requires a comment)'),
      z.maxLength(1000, 'at most 1000 characters')
    ),
});

export function silenceFormFor(alert: Pick<AlertmanagerAlert, 'labels'>): SilenceFormValues {
  const matchers = IDENTIFYING_LABELS.filter((name) => alert.labels[name] !== undefined).map((name) => ({
    name,
    value: alert.labels[name],
  }));
  return { matchers, duration: '2h', comment: '' };
}

/** The PostableSilence for valid values: exact matchers, from now for the duration. */
export function silenceBody(values: SilenceFormValues, createdBy: string, now = Date.now()): SilenceCreate {
  return {
    matchers: values.matchers.map((row) => ({
      name: row.name.trim(),
      value: row.value.trim(),
      isRegex: false,
      isEqual: true,
    })),
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + (parseDuration(values.duration.trim()) ?? 0)).toISOString(),
    createdBy,
    comment: values.comment.trim(),
  };
}
