/**
 * Scenario ids, their scripts, workloads and the parameters a run request may override, with
 * types, defaults and bounds. The runner validates run requests against these; the planned Grafana app builds
 * its forms from them.
 */
import type { Flow } from './slos.ts';
import { WORKLOADS, type WorkloadId } from './workloads.ts';

export const SCENARIO_IDS = ['oauth', 'mcp', 'comprehensive', 'probe'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export type ParameterType = 'integer' | 'duration' | 'string' | 'json' | 'workloads';

export interface Parameter {
  key: string;
  /** The environment variable the script reads it from. */
  env: string;
  type: ParameterType;
  description: string;
  default?: string | number;
  min?: number | string;
  max?: number | string;
  /** For `string`: a pattern the value must match. */
  pattern?: string;
}

/** Shape overrides every load scenario accepts; each workload applies the ones that fit its executor. */
export const LOAD_PARAMETERS: readonly Parameter[] = [
  {
    key: 'vus',
    env: 'LOAD_VUS',
    type: 'integer',
    description: 'VUs (or max VUs for arrival-rate executors)',
    min: 1,
    max: 5000,
  },
  {
    key: 'rate',
    env: 'LOAD_RATE',
    type: 'integer',
    description: 'iterations per second (arrival-rate executors; peak for ramps)',
    min: 1,
    max: 2000,
  },
  {
    key: 'duration',
    env: 'LOAD_DURATION',
    type: 'duration',
    description: 'how long each workload runs',
    min: '1s',
    max: '4h',
  },
  {
    key: 'iterations',
    env: 'LOAD_ITERATIONS',
    type: 'integer',
    description: 'iterations per VU (iteration executors)',
    min: 1,
    max: 100000,
  },
];

const TOOL_PARAMETERS: readonly Parameter[] = [
  {
    key: 'tool',
    env: 'PROBE_TOOL',
    type: 'string',
    description: 'tool to call',
    default: 'health',
    pattern: '^[A-Za-z0-9_.\\-/]{1,128}$',
  },
  {
    key: 'toolArgs',
    env: 'PROBE_TOOL_ARGS',
    type: 'json',
    description: 'JSON arguments for the tool',
    default: '{}',
  },
];

function workloadsParameter(ids: readonly WorkloadId[]): Parameter {
  return {
    key: 'workloads',
    env: 'WORKLOADS',
    type: 'workloads',
    description: `comma-separated subset of: ${ids.join(', ')}`,
    default: ids.join(','),
  };
}

export interface ScenarioDef {
  id: ScenarioId;
  title: string;
  description: string;
  /** Script path relative to scenarios/ (the source, `k6 run scenarios/<script>`). */
  script: string;
  /** The same script as one bundled file (npm run bundle): what the runner and Kubernetes run. */
  bundle: string;
  kind: 'load' | 'probe';
  workloads: readonly WorkloadId[];
  flows: readonly Flow[];
  parameters: readonly Parameter[];
}

/** Strict mode of the probe: findings of this severity or worse fail the walk (findings.ts). */
export const STRICT_PARAMETER: Parameter = {
  key: 'strict',
  env: 'STRICT',
  type: 'string',
  description:
    'fail the walk on spec findings of this severity or worse: true (= high), info, low, medium, high; false never',
  default: 'false',
  pattern: '^(true|false|info|low|medium|high)$',
};

function define(def: Omit<ScenarioDef, 'flows' | 'bundle'>): ScenarioDef {
  return {
    ...def,
    bundle: `bundles/${def.script.replace(/\.ts$/, '.js')}`,
    flows: [...new Set(def.workloads.map((id) => WORKLOADS[id].flow))],
  };
}

const OAUTH_WORKLOADS = ['authorization_flow', 'token_refresh', 'session_validation'] as const;
const MCP_WORKLOADS = ['tool_execution', 'streaming', 'concurrent_api'] as const;
const ALL_LOAD_WORKLOADS = [...OAUTH_WORKLOADS, ...MCP_WORKLOADS] as const;

export const SCENARIOS: Record<ScenarioId, ScenarioDef> = {
  oauth: define({
    id: 'oauth',
    title: 'OAuth flows',
    description: 'PKCE authorization code flow, token refresh with rotation, and session validation',
    script: 'oauth.ts',
    kind: 'load',
    workloads: OAUTH_WORKLOADS,
    parameters: [...LOAD_PARAMETERS, workloadsParameter(OAUTH_WORKLOADS)],
  }),
  mcp: define({
    id: 'mcp',
    title: 'MCP work',
    description: 'Tool execution, held streaming connections (WebSocket or SSE) and concurrent API calls',
    script: 'mcp.ts',
    kind: 'load',
    workloads: MCP_WORKLOADS,
    parameters: [...LOAD_PARAMETERS, ...TOOL_PARAMETERS, workloadsParameter(MCP_WORKLOADS)],
  }),
  comprehensive: define({
    id: 'comprehensive',
    title: 'End-to-end mix',
    description: 'Every OAuth and MCP workload at once, as production traffic mixes them',
    script: 'comprehensive.ts',
    kind: 'load',
    workloads: ALL_LOAD_WORKLOADS,
    parameters: [...LOAD_PARAMETERS, ...TOOL_PARAMETERS, workloadsParameter(ALL_LOAD_WORKLOADS)],
  }),
  probe: define({
    id: 'probe',
    title: 'Credentialed synthetic probe',
    description:
      'One walk: discovery, registration, PKCE, token, initialize, tools/list, tools/call, refresh — each step named and timed',
    script: 'probe.ts',
    kind: 'probe',
    workloads: ['probe_walk'],
    parameters: [...TOOL_PARAMETERS, STRICT_PARAMETER],
  }),
};

export function scenarioById(id: string): ScenarioDef | undefined {
  return (SCENARIO_IDS as readonly string[]).includes(id) ? SCENARIOS[id as ScenarioId] : undefined;
}
