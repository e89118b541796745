/**
 * Error-budget math of the probe availability SLO. With objective o the budget is 1 − o (0.5 % for
 * 99.5 %). Burning at rate b means failing b × (1 − o) of the runs; a policy that alerts when
 * `budgetFraction` of a `windowDays` budget is spent within its `long` window (L hours) therefore
 * uses b = budgetFraction × windowDays × 24 / L and alerts on failure ratio > b × (1 − o) over
 * both its long and its short window.
 */
import { slosOfKind, type SloOfKind } from '@vigil/scenarios/catalog';
import { durationSeconds } from './rules.ts';

interface BurnRatePolicy {
  budgetFraction: number;
  /** The long window as a Prometheus duration (`1h`, `3d`). */
  long: string;
}

export type AvailabilitySlo = SloOfKind<'availability'>;

export function availabilitySlo(): AvailabilitySlo {
  const slo = slosOfKind('availability')[0];
  if (!slo) throw new Error('SLOS: no availability SLO for the probe burn-rate alerts');
  return slo;
}

/** How many times faster than sustainable the policy's budget fraction is spent in its long window. */
export function burnRate(policy: BurnRatePolicy, slo: AvailabilitySlo): number {
  const longHours = durationSeconds(policy.long) / 3600;
  return (policy.budgetFraction * slo.indicator.windowDays * 24) / longHours;
}

/** The failure ratio above which the policy fires. */
export function burnRateThreshold(policy: BurnRatePolicy, slo: AvailabilitySlo): number {
  return burnRate(policy, slo) * (1 - slo.indicator.objective);
}
