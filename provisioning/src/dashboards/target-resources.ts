/**
 * Target resources: the system under test's own /metrics (scraped, job vigil-target) against the
 * server-resource and session-store SLOs: CPU, resident memory, Redis operation latency, plus
 * MCP sessions and streaming connections the server holds.
 */
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  SCRAPE_JOBS,
  onlyTargets,
  scrapeUp,
  targetCpuRatio,
  targetInstances,
  targetGauge,
  targetHistogramQuantile,
  targetResidentMemory,
  targetSessionStoreQuantile,
  withTargetLabel,
} from '@vigil/scenarios/catalog';
import {
  againstObjective,
  lowerBound,
  queryResultVariable,
  msToSeconds,
  RATE_WINDOW,
  stat,
  statusMappings,
  timeseries,
} from './common.ts';
import { build, vigilDashboard } from './layout.ts';
import { formatPercent, quantileLabel, resourceBounds, targetLatencySlo } from './slos.ts';

const TARGET_LEGEND = '{{target}}';
/** Target-side queries carry a derived `target` label; the dashboard's `$target` filters on it. */
const selected = (expr: string) => onlyTargets(expr, '$target');

export function targetResourcesDashboard() {
  const cpu = resourceBounds('cpu_ratio');
  const rss = resourceBounds('rss_bytes');
  const redis = targetLatencySlo('redis');
  const mib = (bytes: number) => `${bytes / 1024 / 1024} MiB`;
  const dashboard = vigilDashboard(
    'targetResources',
    'The system under test as it reports itself on /metrics: CPU, memory and session-store latency against the resource SLOs.',
  ).variables([
    queryResultVariable(
      'target',
      'target',
      targetInstances(),
      `A target scraped by the ${SCRAPE_JOBS.target} job: its target label, else its instance`,
    ),
  ]);

  dashboard.withRow(new RowBuilder('Resources against their SLOs'));
  dashboard.withPanel(
    stat('Scrape up', 'Whether Prometheus can scrape the target.', 'none', [
      {
        expr: selected(withTargetLabel((m) => `max by (target, instance) (${scrapeUp('target', m)})`)),
        legend: '{{instance}}',
      },
    ])
      .mappings(statusMappings('UP', 'DOWN'))
      .thresholds(lowerBound(1))
      .span(24)
      .height(4),
  );
  dashboard.withPanel(
    againstObjective(
      'CPU',
      'Process CPU as a ratio of one core.',
      'percentunit',
      [{ expr: selected(targetCpuRatio(RATE_WINDOW)), legend: TARGET_LEGEND }],
      [
        { value: cpu.max, label: `SLO < ${formatPercent(cpu.max)} (normal)`, kind: 'max' },
        {
          value: cpu.maxUnderStress,
          label: `SLO < ${formatPercent(cpu.maxUnderStress)} (stress)`,
          kind: 'max',
        },
      ],
    ),
  );
  dashboard.withPanel(
    againstObjective(
      'Resident memory',
      'Process resident set size.',
      'bytes',
      [{ expr: selected(targetResidentMemory()), legend: TARGET_LEGEND }],
      [
        { value: rss.max, label: `SLO < ${mib(rss.max)} (normal)`, kind: 'max' },
        { value: rss.maxUnderStress, label: `SLO < ${mib(rss.maxUnderStress)} (stress)`, kind: 'max' },
      ],
    ),
  );
  dashboard.withPanel(
    againstObjective(
      `Session store (Redis) ${quantileLabel(redis.quantile)}`,
      'Redis operation latency seen by the target, over the rate window.',
      's',
      [{ expr: selected(targetSessionStoreQuantile(redis.quantile, RATE_WINDOW)), legend: TARGET_LEGEND }],
      {
        value: msToSeconds(redis.maxMs),
        label: `SLO ${quantileLabel(redis.quantile)} < ${redis.maxMs} ms`,
        kind: 'max',
      },
    ),
  );
  dashboard.withPanel(
    timeseries('HTTP request p95', 'All routes together, over the rate window.', 's', [
      {
        expr: selected(targetHistogramQuantile('httpRequestDuration', 0.95, RATE_WINDOW)),
        legend: TARGET_LEGEND,
      },
    ]),
  );

  dashboard.withRow(new RowBuilder('Sessions and connections'));
  dashboard.withPanel(
    timeseries('MCP sessions', 'MCP sessions the target holds.', 'short', [
      { expr: selected(targetGauge('mcpSessionsActive')), legend: TARGET_LEGEND },
    ]),
  );
  dashboard.withPanel(
    timeseries('Streaming connections', 'SSE streams and WebSockets the target holds.', 'short', [
      { expr: selected(targetGauge('streamingConnections')), legend: TARGET_LEGEND },
    ]),
  );
  return build(dashboard);
}
