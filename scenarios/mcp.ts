/**
 * MCP work under load: tool execution (PROBE_TOOL with PROBE_TOOL_ARGS), held streaming
 * connections (WebSocket and/or an SSE stream, whichever the server offers) and concurrent mixed
 * API calls, in the catalog's load shapes for PROFILE. Thresholds are the catalog's SLOs.
 *
 *   k6 run -e MCP_URL=http://127.0.0.1:8080/mcp -e PROFILE=load scenarios/mcp.ts
 */
import { loadOverridesFromEnv } from './catalog/overrides.ts';
import { k6Options } from './catalog/thresholds.ts';
import { workloadsFromEnv } from './lib/config.ts';
import { SYSTEM_TAGS } from './lib/options.ts';
import { summaryOutputs, type K6SummaryData } from './lib/summary.ts';
import { prepareRun } from './lib/vu-state.ts';

export const options = {
  ...k6Options('mcp', __ENV.PROFILE, loadOverridesFromEnv(__ENV), workloadsFromEnv('mcp')),
  systemTags: [...SYSTEM_TAGS],
};

export const setup = prepareRun;
export { toolExecution, streamingConnections, concurrentApi } from './lib/workloads.ts';

export function handleSummary(data: K6SummaryData): Record<string, string> {
  return summaryOutputs('mcp', data);
}
