/**
 * k6 thresholds and `options.scenarios`, derived from the SLO catalog for a scenario and profile.
 * Scripts call `k6Options()`; nothing else writes a threshold by hand.
 */
import { K6_METRICS } from './metrics.ts';
import { applyOverrides, type LoadOverrides } from './overrides.ts';
import { SCENARIOS, type ScenarioId } from './scenarios.ts';
import { SUMMARY_TREND_STATS } from './results.ts';
import { SLOS, type Slo } from './slos.ts';
import { WORKLOADS, type Profile, type WorkloadId, PROFILES } from './workloads.ts';

export type Threshold = string | { threshold: string; abortOnFail: boolean; delayAbortEval?: string };

/** A run whose OAuth or MCP calls mostly fail is pointless past a minute: abort it (load profiles). */
export const ABORT_DELAY = '1m';

function latencyExpression(quantile: number, maxMs: number): string {
  return `p(${Number((quantile * 100).toFixed(2))})<${maxMs}`;
}

/** The k6 threshold expressions one SLO contributes (empty for SLOs k6 does not measure). */
export function sloThresholds(slo: Slo, profile: Profile): Record<string, Threshold[]> {
  const i = slo.indicator;
  switch (i.kind) {
    case 'latency':
      return { [K6_METRICS[i.metric].name]: [latencyExpression(i.quantile, i.maxMs)] };
    case 'success_ratio': {
      const expression = `rate>=${i.objective}`;
      return {
        [K6_METRICS[i.metric].name]: [
          profile === 'smoke'
            ? expression
            : { threshold: expression, abortOnFail: true, delayAbortEval: ABORT_DELAY },
        ],
      };
    }
    case 'concurrency':
      // Each streaming iteration records mcp_success{flow:streaming} once its streams were held for
      // the whole hold time; with the shape's VUs that is the concurrency the SLO asks for.
      return { [`${K6_METRICS.mcpSuccess.name}{flow:streaming}`]: ['rate>=0.99'] };
    default:
      return {};
  }
}

function activeWorkloads(scenarioId: ScenarioId, selected?: readonly string[]): WorkloadId[] {
  const all = SCENARIOS[scenarioId].workloads;
  if (!selected || selected.length === 0) return [...all];
  return all.filter((id) => selected.includes(id));
}

export function thresholdsFor(
  scenarioId: ScenarioId,
  profile: Profile,
  selected?: readonly string[],
): Record<string, Threshold[]> {
  const workloads = activeWorkloads(scenarioId, selected);
  const flows = new Set(workloads.map((id) => WORKLOADS[id].flow));
  const result: Record<string, Threshold[]> = {};
  const add = (entries: Record<string, Threshold[]>) => {
    for (const [metric, list] of Object.entries(entries))
      result[metric] = [...(result[metric] ?? []), ...list];
  };
  const oauthFlows = new Set(['auth_flow', 'token_refresh', 'session_validation', 'probe']);
  const mcpFlows = new Set(['session_validation', 'tool_execution', 'streaming', 'concurrent_api', 'probe']);
  for (const slo of SLOS as readonly Slo[]) {
    if (slo.source !== 'k6') continue;
    const i = slo.indicator;
    if (i.kind === 'success_ratio') {
      const relevant = i.metric === 'oauthSuccess' ? oauthFlows : mcpFlows;
      if ([...flows].some((f) => relevant.has(f))) add(sloThresholds(slo, profile));
    } else if (flows.has(slo.flow)) {
      if (i.kind === 'concurrency' && profile === 'smoke') continue;
      add(sloThresholds(slo, profile));
    }
  }
  if (SCENARIOS[scenarioId].kind === 'probe') {
    // An exception inside an iteration does not fail a k6 run: the probe must count its completed walk.
    add({ [K6_METRICS.walksCompleted.name]: ['count==1'], checks: ['rate==1'] });
  }
  return result;
}

export interface K6Options {
  scenarios: Record<string, Record<string, unknown>>;
  thresholds: Record<string, Threshold[]>;
  summaryTrendStats: string[];
}

/** `options` for a script: its workloads' shapes for the profile (with overrides) and the thresholds. */
export function k6Options(
  scenarioId: ScenarioId,
  profileName: string | undefined,
  overrides: LoadOverrides = {},
  selected?: readonly string[],
): K6Options {
  const profile = (PROFILES as readonly string[]).includes(profileName ?? '')
    ? (profileName as Profile)
    : 'smoke';
  const scenarios: Record<string, Record<string, unknown>> = {};
  for (const id of activeWorkloads(scenarioId, selected)) {
    const workload = WORKLOADS[id];
    const shape =
      SCENARIOS[scenarioId].kind === 'probe'
        ? workload.shapes[profile]
        : applyOverrides(workload.shapes[profile], overrides);
    scenarios[id] = { ...shape, exec: workload.exec, tags: { flow: workload.flow } };
  }
  return {
    scenarios,
    thresholds: thresholdsFor(scenarioId, profile, selected),
    summaryTrendStats: [...SUMMARY_TREND_STATS],
  };
}
