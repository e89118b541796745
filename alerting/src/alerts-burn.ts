/** Error-budget burn-rate alerts of the probe availability SLO (group `burn`); the math: burn-rate.ts. */
import { probeFailureRatioSeries } from '@vigil/scenarios/catalog';
import type { AlertDef } from './alert-def.ts';
import { PROBE_VARS } from './alerts-probe.ts';
import { availabilitySlo, burnRate, burnRateThreshold } from './burn-rate.ts';
import { promNumber } from './rules.ts';
import { BURN_RATE_POLICIES } from './settings.ts';
import { label, text, value } from './template.ts';

export function burnRateAlerts(): AlertDef[] {
  const slo = availabilitySlo();
  return BURN_RATE_POLICIES.map((policy) => {
    const threshold = promNumber(burnRateThreshold(policy, slo));
    const burn = promNumber(burnRate(policy, slo));
    return {
      group: 'burn',
      alert: 'VigilProbeErrorBudgetBurn',
      expr: `${probeFailureRatioSeries(policy.long)} > ${threshold} and ${probeFailureRatioSeries(policy.short)} > ${threshold}`,
      for: policy.for,
      labels: {
        severity: policy.severity,
        slo: slo.id,
        long_window: policy.long,
        short_window: policy.short,
      },
      summary: [
        text('Probe '),
        label('probe'),
        text(` burns its error budget ${burn}× too fast on `),
        label('target'),
      ],
      description: [
        text(`Failure ratio `),
        value('humanizePercentage'),
        text(` over ${policy.long} (and over ${policy.short}) exceeds ${burn}× the budget of ${slo.id} `),
        text(
          `(${promNumber(slo.indicator.objective * 100)}% over ${slo.indicator.windowDays} d): ${promNumber(policy.budgetFraction * 100)}% of the budget gone in ${policy.long}.`,
        ),
      ],
      dashboard: 'probes',
      dashboardVars: PROBE_VARS,
    };
  });
}
