/**
 * OAuth flows under load: the PKCE authorization code flow + token exchange, token refresh with
 * rotation, and session validation (an authorized MCP call with a bearer token), in the catalog's
 * load shapes for PROFILE. Thresholds are the catalog's SLOs.
 *
 *   k6 run -e MCP_URL=http://127.0.0.1:8080/mcp -e PROFILE=load scenarios/oauth.ts
 */
import { loadOverridesFromEnv } from './catalog/overrides.ts';
import { k6Options } from './catalog/thresholds.ts';
import { workloadsFromEnv } from './lib/config.ts';
import { SYSTEM_TAGS } from './lib/options.ts';
import { summaryOutputs, type K6SummaryData } from './lib/summary.ts';
import { prepareRun } from './lib/vu-state.ts';

export const options = {
  ...k6Options('oauth', __ENV.PROFILE, loadOverridesFromEnv(__ENV), workloadsFromEnv('oauth')),
  systemTags: [...SYSTEM_TAGS],
};

export const setup = prepareRun;
export { authorizationFlow, tokenRefresh, sessionValidation } from './lib/workloads.ts';

export function handleSummary(data: K6SummaryData): Record<string, string> {
  return summaryOutputs('oauth', data);
}
