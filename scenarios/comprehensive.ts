/**
 * The end-to-end mix: every OAuth and MCP workload at once, as production traffic mixes them.
 *
 *   k6 run -e MCP_URL=http://127.0.0.1:8080/mcp -e PROFILE=load scenarios/comprehensive.ts
 */
import { loadOverridesFromEnv } from './catalog/overrides.ts';
import { k6Options } from './catalog/thresholds.ts';
import { workloadsFromEnv } from './lib/config.ts';
import { SYSTEM_TAGS } from './lib/options.ts';
import { summaryOutputs, type K6SummaryData } from './lib/summary.ts';
import { prepareRun } from './lib/vu-state.ts';

export const options = {
  ...k6Options(
    'comprehensive',
    __ENV.PROFILE,
    loadOverridesFromEnv(__ENV),
    workloadsFromEnv('comprehensive'),
  ),
  systemTags: [...SYSTEM_TAGS],
};

export const setup = prepareRun;
export {
  authorizationFlow,
  tokenRefresh,
  sessionValidation,
  toolExecution,
  streamingConnections,
  concurrentApi,
} from './lib/workloads.ts';

export function handleSummary(data: K6SummaryData): Record<string, string> {
  return summaryOutputs('comprehensive', data);
}
