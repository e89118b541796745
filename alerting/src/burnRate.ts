/**
 * Error-budget math of the probe availability SLO. With objective o the budget is 1 − o (0.5 % for
 * 99.5 %). Burning at rate b means failing b × (1 − o) of the runs; a policy that alerts when
 * `budgetFraction` of a `windowDays` budget is spent within `longHours` therefore uses
 * b = budgetFraction × windowDays × 24 / longHours and alerts on failure ratio > b × (1 − o)
 * over both its long and its short window.
 */
import { SLOS, type Slo } from '@vigil/scenarios/catalog';

export type AvailabilitySlo = Slo & { indicator: Extract<Slo['indicator'], { kind: 'availability' }> };

export function availabilitySlo(): AvailabilitySlo {
  const slo = (SLOS as readonly Slo[]).find((s) => s.indicator.kind === 'availability');
  if (!slo) throw new Error('SLOS: no availability SLO for the probe burn-rate alerts');
  return slo as AvailabilitySlo;
}

export function burnRateThreshold(policy: { budgetFraction: number; longHours: number }, slo: AvailabilitySlo): number {
  const burnRate = (policy.budgetFraction * slo.indicator.windowDays * 24) / policy.longHours;
  return burnRate * (1 - slo.indicator.objective);
}
