/**
 * Timing and policy settings of the generated rules — the knobs that are not SLO objectives
 * (those come from the catalog). Breach-to-notification latency budget with these values, for a
 * sample pushed by k6 (see README "Latency"):
 *   recording group tick (≤ FAST_INTERVAL) + alert group tick (≤ FAST_INTERVAL) + SLO_FOR
 *   + one more alert tick to turn pending into firing + Prometheus resend (1 s flag)
 *   + Alertmanager group_wait (alertmanager.yml) ≈ 5 + 5 + 10 + 5 + 1 + 5 ≤ 31 s worst case,
 * ~20 s typical; k6's own 5 s flush period comes before that.
 * Shorter `for` values react faster but let a single noisy evaluation page someone; k6 pushes
 * cumulative per-run values, which move slowly, so 10 s is enough to absorb one odd push.
 */

/** Evaluation interval of the k6 SLO recording and alert groups (set per group, so it does not depend on prometheus.yml). */
export const FAST_INTERVAL = '5s';
/** Evaluation interval of the probe and target groups: they read scraped series (scrape interval ≥ 10 s). */
export const SCRAPED_INTERVAL = '10s';
/** Evaluation interval of the error-budget burn-rate group (windows of 5 m to 3 d). */
export const BURN_RATE_INTERVAL = '30s';

/** `for` of the k6 SLO alerts (latency, success ratio, dropped iterations). */
export const SLO_FOR = '10s';
/** Failed probe runs in a row before VigilProbeFailing fires; in the catalog, as panels show it too. */
export { PROBE_FAILING_RUNS } from '@vigil/scenarios/catalog';
/** `for` of alerts on scraped health (`up`): two scrapes at the default 15 s scrape interval. */
export const SCRAPE_DOWN_FOR = '30s';
/** `for` of resource alerts: a GC pause or a burst is not a breach. */
export const RESOURCE_FOR = '1m';
/** A probe is stale when it has not produced a result for this many of its intervals. */
export const PROBE_STALE_INTERVALS = 3;
/** Window over which a tools/list change counts as drift. */
export const TOOLS_DRIFT_WINDOW = '15m';
/**
 * Credential expiry bounds on `probe_token_expiry_seconds` (seconds until the credential the walk
 * holds expires). A walk obtains a fresh access token each run, whose lifetime is typically 5–60
 * minutes, so only a lifetime below these bounds is news: an authorization server issuing
 * nearly-expired tokens, or a long-lived credential about to lapse.
 */
export const TOKEN_EXPIRY_WARNING_SECONDS = 600;
export const TOKEN_EXPIRY_CRITICAL_SECONDS = 60;

/**
 * Grafana base URL used in the `dashboard` annotation: the Prometheus external label
 * `grafana_url` when prometheus.yml sets one, else this default.
 */
export const DEFAULT_GRAFANA_URL = 'http://localhost:3000';
export const GRAFANA_URL_EXTERNAL_LABEL = 'grafana_url';

/**
 * Multi-window multi-burn-rate alerts (Google SRE workbook, "Alerting on SLOs"): each pair fires
 * when both the long and the short window burn the error budget faster than `burnRate`, where
 * burnRate = budgetFraction × SLO window (hours) / long window (hours). For a 30-day SLO that is
 * 2 % of the budget in 1 h → 14.4, 5 % in 6 h → 6, 10 % in 1 d → 3, 10 % in 3 d → 1.
 * The short window (1/12 of the long one) makes the alert stop soon after the burn stops; the
 * `for` values only absorb a single odd evaluation, since both windows already smooth the signal.
 */
export const BURN_RATE_POLICIES = [
  { long: '1h', short: '5m', budgetFraction: 0.02, severity: 'critical', for: '2m' },
  { long: '6h', short: '30m', budgetFraction: 0.05, severity: 'critical', for: '5m' },
  { long: '1d', short: '2h', budgetFraction: 0.1, severity: 'warning', for: '15m' },
  { long: '3d', short: '6h', budgetFraction: 0.1, severity: 'warning', for: '15m' },
] as const;

/** Severities, routed by alertmanager.yml. */
export const SEVERITIES = ['critical', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];
