/** The shape of one promtool alert case, shared by the case files. */
import type { AlertDef } from './alerts.ts';
import type { Severity } from './settings.ts';

/** Just under an objective: the fraction of the bound the quiet segment sits at. */
export const JUST_UNDER = 0.99;

/** A stretch of an input series: a constant gauge or a counter growing by `perStep` each sample. */
export type Segment = { gauge: number } | { perStep: number; from?: number };

export interface AlertCase {
  alert: string;
  name: string;
  /** Severities of the rules expected to fire together (same alertname). */
  fires: Severity[];
  match?: (def: AlertDef) => boolean;
  /** Sample interval of the input series. */
  interval: string;
  /** Time for the value to be steady after the breach starts (the rate()/avg window). */
  settle?: string;
  /** Time for the alert to clear after the recovery starts (defaults to `settle`). */
  clears?: string;
  inputs: Array<{ series: string; under: Segment; breach: Segment; recover?: Segment }>;
  /** Labels the firing alert carries besides the rule's own. */
  labels: Record<string, string>;
  /** `$value` when firing (a function of the firing evaluation time, in seconds, when it moves). */
  value: number | ((evalSeconds: number, breachStartSeconds: number) => number);
}
