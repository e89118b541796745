/**
 * Recording rules: the k6 native histograms become per-run float quantiles, the k6 Rates per-run
 * success ratios, the probe results failure ratios over the burn-rate windows, and the target's
 * resources plain series — so every alert reads a float series that promtool can unit-test.
 */
import {
  BURN_RATE_WINDOWS,
  K6_METRICS,
  RECORDED_SERIES,
  RUN_GROUPING,
  SLOS,
  slosOfKind,
  flowLatencySeries,
  k6DroppedIterationsByRun,
  k6QuantileByRun,
  k6SuccessRatio,
  probeAvailability,
  probeFailureRatioSeries,
  targetCpuRatio,
  targetResidentMemory,
  targetSessionStoreQuantile,
  type Slo,
} from '@vigil/scenarios/catalog';
import { BURN_RATE_INTERVAL, FAST_INTERVAL, SCRAPED_INTERVAL } from './settings.ts';
import type { RecordingRule, RuleFile } from './rules.ts';

/** Quantiles recorded for every latency SLO's Trend. */
export const RECORDED_QUANTILES = [0.5, 0.95, 0.99] as const;

/**
 * Per-run quantiles, cumulative over the run (what k6's own `p(95)` threshold sees): they work
 * for a short run that pushed once as well as for a long one. The SLO's id and flow become labels.
 */
function latencyRules(): RecordingRule[] {
  const rules: RecordingRule[] = [];
  for (const slo of SLOS as readonly Slo[]) {
    if (slo.indicator.kind !== 'latency') continue;
    for (const quantile of RECORDED_QUANTILES) {
      rules.push({
        record: flowLatencySeries(quantile),
        expr: k6QuantileByRun(slo.indicator.metric, quantile),
        labels: { slo: slo.id, flow: slo.flow },
      });
    }
  }
  return rules;
}

/** Per-run success ratio per flow: the worst tag set of the k6 Rate (k6 pushes no counts to weight by). */
function successRules(): RecordingRule[] {
  return slosOfKind('success_ratio').map((slo) => ({
    record: RECORDED_SERIES.successRatio,
    expr: k6SuccessRatio(slo.indicator.metric, {}, [...RUN_GROUPING, 'flow']),
    labels: { slo: slo.id, metric: K6_METRICS[slo.indicator.metric].name },
  }));
}

function probeBurnRules(): RecordingRule[] {
  return BURN_RATE_WINDOWS.map((window) => ({
    record: probeFailureRatioSeries(window),
    expr: `1 - ${probeAvailability(window)}`,
  }));
}

function targetRules(): RecordingRule[] {
  return [
    { record: RECORDED_SERIES.targetResidentMemory, expr: targetResidentMemory() },
    { record: RECORDED_SERIES.targetCpuRatio, expr: targetCpuRatio('1m') },
    { record: RECORDED_SERIES.sessionStoreP95, expr: targetSessionStoreQuantile(0.95, '5m') },
  ];
}

export function recordingRules(): RuleFile<RecordingRule> {
  return {
    groups: [
      {
        name: 'vigil-k6-recording',
        interval: FAST_INTERVAL,
        rules: [
          ...latencyRules(),
          ...successRules(),
          { record: RECORDED_SERIES.droppedIterations, expr: k6DroppedIterationsByRun() },
        ],
      },
      { name: 'vigil-target-recording', interval: SCRAPED_INTERVAL, rules: targetRules() },
      { name: 'vigil-probe-burn-recording', interval: BURN_RATE_INTERVAL, rules: probeBurnRules() },
    ],
  };
}
