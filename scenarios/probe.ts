/**
 * The credentialed synthetic probe: one walk of every step (discovery → registration →
 * authorization → token → initialize → tools/list → tools/call → refresh → stream → session end),
 * each named and timed, with spec-compliance checks and a sha256 of the canonical tools/list.
 *
 *   k6 run -e MCP_URL=http://127.0.0.1:8080/mcp scenarios/probe.ts
 *
 * The walk runs in setup() so that its ProbeResult (secret-free by construction) reaches
 * handleSummary as setup data: k6 gives handleSummary no other channel from VU code. The
 * `probeWalk` iteration then asserts the verdict; the catalog's thresholds (vigil_walks_completed
 * count==1, the verdict check rate==1) make a walk that died mid-way, or a strict walk with a
 * blocking finding, exit 99. Spec deviations are findings in the summary, not failed checks.
 */
import { check } from 'k6';
import type { ProbeResult } from './catalog/index.ts';
import { loadOverridesFromEnv } from './catalog/overrides.ts';
import { k6Options, PROBE_VERDICT_TAG } from './catalog/thresholds.ts';
import { loadConfig, workloadsFromEnv } from './lib/config.ts';
import { SYSTEM_TAGS } from './lib/options.ts';
import { metrics } from './lib/metrics.ts';
import { runProbeWalk } from './lib/probe-walk.ts';
import { summaryOutputs, type K6SummaryData } from './lib/summary.ts';

export const options = {
  ...k6Options('probe', __ENV.PROFILE, loadOverridesFromEnv(__ENV), workloadsFromEnv('probe')),
  systemTags: [...SYSTEM_TAGS],
};

export interface ProbeSetupData {
  probe: ProbeResult;
}

export async function setup(): Promise<ProbeSetupData> {
  const config = await loadConfig();
  const { result, completed } = await runProbeWalk(config);
  // The very end of the walk: only a walk that reached its last step counts.
  if (completed) metrics.walksCompleted.add(1, { flow: 'probe' });
  return { probe: result };
}

/** The verdict: a real client gets through (findings fail it only in strict mode). */
export function probeWalk(data: ProbeSetupData): void {
  check(data.probe, { 'probe walk completed every step': (p) => p.ok }, PROBE_VERDICT_TAG);
}

// `k6 run --vus 1 --iterations 1` (the Synthetic Monitoring pattern) replaces options.scenarios
// with a default scenario, which runs the default export.
export default probeWalk;

export function handleSummary(data: K6SummaryData): Record<string, string> {
  return summaryOutputs('probe', data);
}
