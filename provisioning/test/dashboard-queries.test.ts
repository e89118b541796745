/**
 * Every panel query of every generated dashboard, run against a real Prometheus that holds data:
 * k6 series pushed by remote write in the contract's shapes, the real reference target scraped
 * (with real Redis and MCP traffic behind it), a real Alertmanager, and the runner's real exporter
 * behind a test-double HTTP shell, scraped with the bearer token from a file as the shipped
 * prometheus.yml does. A query that returns
 * nothing fails the test: a dashboard that silently shows "No data" is a bug.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startTarget, type RunningTarget } from '@vigil/reference-server';
import {
  promQuery,
  startAlertmanager,
  startPrometheus,
  startRedis,
  waitFor,
  type Service,
} from '@vigil/testkit';
import { SCRAPE_JOBS, TARGET_SERIES } from '@vigil/scenarios/catalog';
import { generateDashboards } from '../src/dashboards/index.ts';
import {
  queriesOf,
  substitute,
  variablesOf,
  type PanelQuery,
  type VariableQuery,
} from './support/dashboard-queries.ts';
import { pushLoadRun } from './support/k6-run.ts';
import { localPrometheusConfig } from './support/local-config.ts';
import { startRunnerStandIn, type RunnerStandIn } from './support/runner-stand-in.ts';
import { driveTarget } from './support/target-traffic.ts';

const RUN = { testid: 'dash-run-1', target: 'demo', profile: 'load', kind: 'load' };
/** A smoke run short enough that k6 pushes once, at its end. */
const SHORT_RUN = { ...RUN, testid: 'dash-short-1', profile: 'smoke' };
/** Queries over a sliding window: empty for a run that pushed once (docs/design.md), by design. */
const WINDOWED = /\b(rate|increase)\(/;
const PROBES = [
  { probe: 'demo-walk', target: 'demo', ok: true },
  { probe: 'demo-machine', target: 'demo', ok: false, failedStep: 'tools_list' as const },
];
const RUNNER_TOKEN = 'provisioning-test-runner-token';
/** The smallest valid Alertmanager config: the test only needs it scraped and reachable. */
const ALERTMANAGER_CONFIG = 'route:\n  receiver: discard\nreceivers:\n  - name: discard\n';
/** What Grafana would put for the interval variables over a 5-minute range with 1 s scrapes. */
const RANGE_SECONDS = 300;
/** How long an empty panel is asked again before it counts as "No data". */
const PANEL_DATA_PATIENCE_MS = 20_000;
const INTERVALS = { __rate_interval: '2m', __range: `${RANGE_SECONDS}s` };

type Sample = { metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> };

async function rangeQuery(baseUrl: string, query: string): Promise<Sample[]> {
  const end = Date.now() / 1000;
  const params = new URLSearchParams({
    query,
    start: String(end - RANGE_SECONDS),
    end: String(end),
    step: '5',
  });
  const response = await fetch(`${baseUrl}/api/v1/query_range?${params}`);
  const body = (await response.json()) as { status: string; error?: string; data?: { result: Sample[] } };
  if (body.status !== 'success')
    throw new Error(`query_range ${query} failed: ${body.error ?? response.status}`);
  return body.data?.result ?? [];
}

async function labelValues(baseUrl: string, label: string, match: string): Promise<string[]> {
  const params = new URLSearchParams({ 'match[]': match });
  const response = await fetch(`${baseUrl}/api/v1/label/${label}/values?${params}`);
  const body = (await response.json()) as { status: string; error?: string; data?: string[] };
  if (body.status !== 'success')
    throw new Error(`label values ${label} ${match}: ${body.error ?? response.status}`);
  return body.data ?? [];
}

/** The options Grafana would list for a variable, with the variables before it substituted. */
async function variableOptions(
  baseUrl: string,
  variable: VariableQuery,
  values: Record<string, string>,
): Promise<string[]> {
  if (variable.kind === 'label_values')
    return labelValues(baseUrl, variable.label, substitute(variable.series, values));
  const result = await promQuery(baseUrl, substitute(variable.expr, values));
  return result.map((series) => series.metric[variable.label] ?? '').filter(Boolean);
}

/** The values a panel would draw: finite numbers only (NaN is "No data" in another dress). */
function finiteValues(result: Sample[]): number[] {
  return result
    .flatMap((series) => [...(series.value ? [series.value] : []), ...(series.values ?? [])])
    .map(([, value]) => Number(value))
    .filter(Number.isFinite);
}

async function runPanelQuery(
  baseUrl: string,
  query: PanelQuery,
  values: Record<string, string>,
): Promise<number[]> {
  const expr = substitute(query.expr, { ...INTERVALS, ...values });
  const result = query.instant ? await promQuery(baseUrl, expr) : await rangeQuery(baseUrl, expr);
  return finiteValues(result as Sample[]);
}

/**
 * Scrapes the target a second time with `labels: { target: <runner target name> }`, as the README
 * suggests, so the Target resources queries are tested on both ways they name a target: by that
 * label, and by the instance when no label is set (the shipped default).
 */
function withLabelledTargetScrape(config: string, targetHostPort: string): string {
  const parsed = parse(config) as { scrape_configs: Array<{ job_name: string; static_configs: unknown[] }> };
  const job = parsed.scrape_configs.find((j) => j.job_name === SCRAPE_JOBS.target)!;
  job.static_configs.push({ targets: [targetHostPort], labels: { target: RUN.target } });
  return stringify(parsed);
}

const dashboards = await generateDashboards();

describe('every dashboard panel query returns data from a real Prometheus', () => {
  let dir: string;
  let redis: Service;
  let target: RunningTarget;
  let runner: RunnerStandIn;
  let prometheus: Service;
  let alertmanager: Service;
  let targetTraffic: { close(): void } | undefined;
  let variableValues: Record<string, string>;
  /** The scrape of the target without a `target` label: dashboards name it by its instance. */
  let targetInstance: string;

  /**
   * Waits until every scrape target of `job` (`targets` of them) has answered `times` scrapes.
   * `up` counts failed scrapes too, so successful ones are summed; waiting on one series only let
   * the second, unlabelled target scrape lag behind on a loaded CI machine.
   */
  async function scrapedAtLeast(job: string, times: number, targets = 1): Promise<void> {
    await waitFor(
      `${times} successful scrapes of each of ${targets} ${job} target(s)`,
      async () => {
        const result = await promQuery(
          prometheus.url,
          `count(sum_over_time(up{job="${job}"}[5m]) >= ${times}) >= ${targets}`,
        );
        return result.length > 0;
      },
      30_000,
      250,
    );
  }

  /** Target resources are checked for a target named by its label and one named by its instance. */
  function selections(key: string): Array<Record<string, string>> {
    if (key !== 'targetResources') return [variableValues];
    return [variableValues, { ...variableValues, target: targetInstance }];
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-dashboards-'));
    const tokenFile = path.join(dir, 'runner-token');
    await writeFile(tokenFile, `${RUNNER_TOKEN}\n`);
    const rulesDir = path.join(dir, 'rules');
    redis = await startRedis();
    target = await startTarget({ port: 0, logLevel: 'silent', redisUrl: redis.url });
    runner = await startRunnerStandIn(RUNNER_TOKEN, PROBES);
    alertmanager = await startAlertmanager(ALERTMANAGER_CONFIG);
    targetInstance = new URL(target.origin).host;
    const alertmanagerHostPort = new URL(alertmanager.url).host;
    const config = await localPrometheusConfig({
      tokenFile,
      rulesDir,
      scrapeInterval: '1s',
      targets: {
        [SCRAPE_JOBS.runner]: runner.hostPort,
        [SCRAPE_JOBS.target]: targetInstance,
        [SCRAPE_JOBS.alertmanager]: alertmanagerHostPort,
      },
      alertmanager: alertmanagerHostPort,
    });
    prometheus = await startPrometheus({ config: withLabelledTargetScrape(config, targetInstance) });
    await pushLoadRun(`${prometheus.url}/api/v1/write`, RUN, 'long');
    await pushLoadRun(`${prometheus.url}/api/v1/write`, SHORT_RUN, 'short');
    // Counters and histograms need movement between two scrapes for rate() and increase().
    await scrapedAtLeast(SCRAPE_JOBS.target, 1, 2);
    await scrapedAtLeast(SCRAPE_JOBS.runner, 1);
    targetTraffic = await driveTarget(target);
    runner.recordRuns();
    await scrapedAtLeast(SCRAPE_JOBS.target, 3, 2);
    await scrapedAtLeast(SCRAPE_JOBS.runner, 3);
    variableValues = {
      target: RUN.target,
      testid: RUN.testid,
      // Grafana's multi-value regex format for both probes selected.
      probe: `(${PROBES.map((p) => p.probe).join('|')})`,
    };
  }, 90_000);

  afterAll(async () => {
    targetTraffic?.close();
    await prometheus?.stop();
    await alertmanager?.stop();
    await runner?.close();
    await target?.close();
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('scrapes the runner with the token from credentials_file, the real target and Alertmanager, and finds Alertmanager', async () => {
    await scrapedAtLeast(SCRAPE_JOBS.alertmanager, 1);
    expect(runner.unauthorized()).toBe(0);
    const jobs = [SCRAPE_JOBS.runner, SCRAPE_JOBS.target, SCRAPE_JOBS.alertmanager];
    const up = await promQuery(prometheus.url, `group by (job) (up{job=~"${jobs.join('|')}"} == 1)`);
    expect(up.map((s) => s.metric.job).sort()).toEqual(jobs.sort());
    const discovered = (await (await fetch(`${prometheus.url}/api/v1/alertmanagers`)).json()) as {
      data: { activeAlertmanagers: Array<{ url: string }> };
    };
    expect(discovered.data.activeAlertmanagers.map((am) => new URL(am.url).host)).toEqual([
      new URL(alertmanager.url).host,
    ]);
    const sessions = await promQuery(prometheus.url, TARGET_SERIES.mcpSessionsActive);
    expect(sessions.length).toBeGreaterThan(0);
  });

  it.each(dashboards.map((d) => [d.dashboard.uid, d] as const))(
    '%s: template variables list the pushed values',
    async (_uid, d) => {
      for (const variable of variablesOf(d.dashboard)) {
        const options = await variableOptions(prometheus.url, variable, variableValues);
        const wanted =
          variable.name === 'probe'
            ? PROBES.map((p) => p.probe)
            : selections(d.key).map((values) => values[variable.name]!);
        expect(options, `${d.dashboard.uid} variable ${variable.name}`).toEqual(
          expect.arrayContaining(wanted),
        );
      }
    },
  );

  it.each(dashboards.map((d) => [d.dashboard.uid, d] as const))(
    '%s: every panel query returns data',
    async (_uid, d) => {
      const queries = queriesOf(d.dashboard);
      let pending = selections(d.key).flatMap((values) => queries.map((query) => ({ query, values })));
      // A panel over rate() needs two scrapes that saw movement; on a loaded machine that can take
      // a few more seconds than the readiness wait above. Empty panels are asked again until a
      // bounded deadline; one that never shows data still fails.
      const deadline = Date.now() + PANEL_DATA_PATIENCE_MS;
      for (;;) {
        const stillEmpty = [];
        for (const item of pending) {
          if ((await runPanelQuery(prometheus.url, item.query, item.values)).length === 0)
            stillEmpty.push(item);
        }
        pending = stillEmpty;
        if (pending.length === 0 || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      const empty = pending.map(
        ({ query, values }) => `"${query.panel}" ${query.refId} (target=${values.target}): ${query.expr}`,
      );
      expect(empty, `panels with no data in ${d.dashboard.uid}`).toEqual([]);
      expect(queries.length).toBeGreaterThan(0);
    },
  );

  it.each(
    dashboards
      .filter((d) => d.key !== 'probes' && d.key !== 'targetResources')
      .map((d) => [d.dashboard.uid, d] as const),
  )('%s: the per-run panels show a short run that pushed once', async (_uid, d) => {
    const perRun = queriesOf(d.dashboard).filter((q) => q.expr.includes('$testid') && !WINDOWED.test(q.expr));
    expect(perRun.length).toBeGreaterThan(0);
    const empty: string[] = [];
    for (const query of perRun) {
      const values = await runPanelQuery(prometheus.url, query, {
        ...variableValues,
        testid: SHORT_RUN.testid,
      });
      if (values.length === 0) empty.push(`"${query.panel}" ${query.refId}: ${query.expr}`);
    }
    expect(empty, `per-run panels with no data for ${SHORT_RUN.testid}`).toEqual([]);
  });

  it.each([
    ['oauth', 'testid', 'no-such-run'],
    ['targetResources', 'target', 'no-such-target'],
  ] as const)(
    'would catch an empty panel: %s queries using $%s return nothing for %s',
    async (key, variable, value) => {
      const dashboard = dashboards.find((d) => d.key === key)!;
      const filtered = queriesOf(dashboard.dashboard).filter((q) => q.expr.includes(`$${variable}`));
      expect(filtered.length).toBeGreaterThan(0);
      for (const query of filtered) {
        const values = await runPanelQuery(prometheus.url, query, { ...variableValues, [variable]: value });
        expect(values, query.expr).toEqual([]);
      }
    },
  );
});
