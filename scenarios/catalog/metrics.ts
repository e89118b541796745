/**
 * The metric contract (docs/design.md): the custom metrics the k6 scripts declare, and the Prometheus
 * series k6's remote-write output makes of them with native histograms on. Every dashboard, alert
 * rule and the runner's exporter read these names from here.
 */

export type K6MetricType = 'trend' | 'rate' | 'counter' | 'gauge';

export interface K6Metric {
  /** Name declared in the script (`new Trend(name, true)`). */
  name: string;
  type: K6MetricType;
  /** Trends only: values are times in ms (exported in seconds). */
  isTime?: boolean;
  /** The Prometheus series k6's remote write produces (native histograms on). */
  series: string;
  help: string;
}

function trend(name: string, help: string): K6Metric {
  return { name, type: 'trend', isTime: true, series: `k6_${name}_seconds`, help };
}

export const K6_METRICS = {
  oauthAuthFlowDuration: trend(
    'oauth_auth_flow_duration',
    'PKCE authorization code flow, authorize request to token response',
  ),
  oauthTokenRefreshDuration: trend('oauth_token_refresh_duration', 'refresh_token grant round trip'),
  oauthSessionValidationDuration: trend(
    'oauth_session_validation_duration',
    'an authorized MCP request carrying a bearer token',
  ),
  oauthSuccess: {
    name: 'oauth_success',
    type: 'rate',
    series: 'k6_oauth_success_rate',
    help: 'OAuth steps that succeeded',
  },
  oauthErrors: {
    name: 'oauth_errors',
    type: 'counter',
    series: 'k6_oauth_errors_total',
    help: 'OAuth step failures by step and reason',
  },
  mcpToolExecutionDuration: trend('mcp_tool_execution_duration', 'tools/call round trip'),
  mcpConnectionDuration: trend(
    'mcp_connection_duration',
    'time to establish an MCP connection (initialize or stream open)',
  ),
  mcpSuccess: {
    name: 'mcp_success',
    type: 'rate',
    series: 'k6_mcp_success_rate',
    help: 'MCP operations that succeeded',
  },
  mcpErrors: {
    name: 'mcp_errors',
    type: 'counter',
    series: 'k6_mcp_errors_total',
    help: 'MCP failures by step and reason',
  },
  mcpOpenConnections: {
    name: 'mcp_open_connections',
    type: 'gauge',
    series: 'k6_mcp_open_connections',
    help: 'streaming connections currently held by this k6 instance',
  },
  /**
   * Beyond the docs/design.md table: walks that reached their last step. An exception inside an
   * iteration does not fail a k6 run, so probes assert `count==N` on this counter.
   */
  walksCompleted: {
    name: 'vigil_walks_completed',
    type: 'counter',
    series: 'k6_vigil_walks_completed_total',
    help: 'iterations that completed every step of their walk',
  },
} as const satisfies Record<string, K6Metric>;

export type K6MetricKey = keyof typeof K6_METRICS;

/** k6 built-in series used by the load-generator dashboard and the saturation alert. */
export const K6_BUILTIN_SERIES = {
  vus: 'k6_vus',
  vusMax: 'k6_vus_max',
  iterations: 'k6_iterations_total',
  droppedIterations: 'k6_dropped_iterations_total',
  httpReqs: 'k6_http_reqs_total',
  httpReqFailed: 'k6_http_req_failed_rate',
  httpReqDuration: 'k6_http_req_duration_seconds',
  checks: 'k6_checks_rate',
} as const;

/**
 * Run-wide labels: passed on the k6 command line as `--tag k=v` by the runner (docs/design.md: a
 * command-line tag replaces the script's `options.tags`, so scripts set none of these).
 */
export const RUN_LABELS = ['testid', 'target', 'profile', 'kind'] as const;
export type RunLabel = (typeof RUN_LABELS)[number];

/** `kind` label values: a load test run or a probe run. */
export const RUN_KINDS = ['load', 'probe'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** A run's statuses, in the order a run can pass through them (the runner's store and API, the app). */
export const RUN_STATUSES = [
  'queued',
  'running',
  'passed',
  'failed',
  'error',
  'stopped',
  'interrupted',
  'timeout',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Per-sample tags the scripts set (bounded value sets; never URLs, codes or tokens). */
export const SAMPLE_TAGS = {
  /** Request template, e.g. `POST /token`. */
  name: 'name',
  /** Workflow step (STEPS). */
  step: 'step',
  /** Failure class (REASONS). */
  reason: 'reason',
  /** Flow the sample belongs to (FLOWS). */
  flow: 'flow',
  /** MCP tool name (bounded by the target's tool list). */
  tool: 'tool',
  /** Streaming transport: websocket, sse, streamable_http. */
  transport: 'transport',
} as const;

/** Steps of the credentialed walk; every failure is classified by one of them. */
export const STEPS = [
  'discovery',
  'registration',
  'authorization',
  'token',
  'initialize',
  'tools_list',
  'tools_call',
  'refresh',
  'session_end',
  'stream',
] as const;
export type Step = (typeof STEPS)[number];

/** Bounded failure reasons (the `reason` tag and label). Free text never becomes a label. */
export const REASONS = [
  'timeout',
  'connection_error',
  'server_error',
  'unexpected_status',
  'missing_www_authenticate',
  'missing_resource_metadata',
  'invalid_metadata',
  'resource_mismatch',
  'pkce_unsupported',
  'registration_refused',
  'login_failed',
  'authorization_denied',
  'missing_code',
  'state_mismatch',
  'invalid_grant',
  'invalid_client',
  'invalid_target',
  'invalid_scope',
  'insufficient_scope',
  'invalid_token',
  'audience_mismatch',
  'no_refresh_token',
  'refresh_not_rotated',
  'old_refresh_accepted',
  'jsonrpc_error',
  'tool_error',
  'parse_error',
  'session_missing',
  'session_expired',
  'protocol_version_rejected',
  'unsupported',
  'check_failed',
  /** A server pointed the script at a host outside the run's ALLOWED_HOSTS, or k6 refused it. */
  'host_not_allowed',
  /** Strict mode: the step saw a finding at or above the strict severity (catalog findings.ts). */
  'strict_finding',
  'exception',
] as const;
export type Reason = (typeof REASONS)[number];

/**
 * Series the runner exports on its own `/metrics` (probe results and run outcomes). Labels:
 * `probe` and `target` only for probes (bounded), plus `step` for per-step series.
 */
export const RUNNER_SERIES = {
  probeSuccess: 'probe_success',
  /** Failed runs in a row, up to the last success (0 after a success); read from the run history. */
  probeConsecutiveFailures: 'probe_consecutive_failures',
  probeDuration: 'probe_duration_seconds',
  probeStepDuration: 'probe_step_duration_seconds',
  probeStepSuccess: 'probe_step_success',
  probeLastRun: 'probe_last_run_timestamp_seconds',
  probeInterval: 'probe_interval_seconds',
  probeToolsHashChanges: 'probe_tools_hash_changes_total',
  probeTokenExpiry: 'probe_token_expiry_seconds',
  probeRunsTotal: 'probe_runs_total',
  /**
   * 1 (label `reason`, PROBE_RUNNER_ERRORS) while the runner itself cannot run the probe: no k6,
   * secrets it cannot open, a refused URL. Kept apart from probe_success, which is the target's.
   */
  probeRunnerError: 'probe_runner_error',
  /** Spec findings of each probe's last walk, by `severity` (every severity, 0 when none). */
  probeFindings: 'probe_findings',
  runThresholdPassed: 'vigil_run_threshold_passed',
  runsActive: 'vigil_runs_active',
} as const;

/**
 * Why the runner could not produce a walk of a probe (the `reason` of probe_runner_error and of a
 * result's runnerError): the runner's problem, never counted as a failure of the target.
 */
export const PROBE_RUNNER_ERRORS = [
  /** No k6 executable (K6_BIN / PATH). */
  'k6_missing',
  /** The target's stored secrets cannot be opened with this runner's VIGIL_SECRET_KEY. */
  'secrets_unreadable',
  /** The target's URL is no longer allowed (VIGIL_ALLOWED_HOSTS) or resolves to a blocked address. */
  'url_refused',
  /** k6 started but produced no walk (script or configuration error, killed by a signal). */
  'engine_error',
  /** The runner stopped the walk (shutdown). */
  'interrupted',
] as const;
export type ProbeRunnerErrorCode = (typeof PROBE_RUNNER_ERRORS)[number];

/** Series the reference target exports on `/metrics` (prom-client). */
export const TARGET_SERIES = {
  httpRequestDuration: 'vigil_target_http_request_duration_seconds',
  oauthRequestDuration: 'vigil_target_oauth_request_duration_seconds',
  mcpRequestDuration: 'vigil_target_mcp_request_duration_seconds',
  redisOperationDuration: 'vigil_target_redis_operation_duration_seconds',
  mcpSessionsActive: 'vigil_target_mcp_sessions_active',
  streamingConnections: 'vigil_target_streaming_connections',
  /** prom-client's default process metrics: the names any Prometheus client library exposes. */
  residentMemory: 'process_resident_memory_bytes',
  cpuSeconds: 'process_cpu_seconds_total',
} as const;

/** Prometheus scrape job names (prometheus.yml) that alerts and dashboards select on. */
export const SCRAPE_JOBS = {
  runner: 'vigil-runner',
  target: 'vigil-target',
  alertmanager: 'alertmanager',
  prometheus: 'prometheus',
} as const;
