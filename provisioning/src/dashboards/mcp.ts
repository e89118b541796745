/**
 * MCP: tool execution latency per tool against its SLO, tool throughput, connection setup and
 * concurrently held streaming connections (against the concurrency SLO), success and errors.
 */
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  K6_METRICS,
  k6GaugeByRun,
  k6QuantileByRun,
  k6TrendCountByRun,
  k6TrendThroughput,
} from '@vigil/scenarios/catalog';
import {
  againstObjective,
  lowerBound,
  msToSeconds,
  RATE_WINDOW,
  runVariables,
  stat,
  table,
  timeseries,
  variableMatchers,
} from './common.ts';
import { latencyStat, RUN_BY, RUN_LEGEND, successStat, withSuccessAndErrors } from './k6-panels.ts';
import { build, vigilDashboard } from './layout.ts';
import { concurrencyMinimum, latencySlos, quantileLabel } from './slos.ts';

const PER_TOOL = [...RUN_BY, 'tool'] as const;
const PER_TRANSPORT = [...RUN_BY, 'transport'] as const;

export function mcpDashboard() {
  const runs = variableMatchers('target', 'testid');
  const minConnections = concurrencyMinimum('mcpOpenConnections');
  const dashboard = vigilDashboard(
    'mcp',
    'MCP operations measured by k6: tool execution per tool against its SLO, connections (setup time, concurrently held), success and errors.',
  ).variables(runVariables(K6_METRICS.mcpSuccess.series));

  dashboard.withRow(new RowBuilder('Per run: SLOs at a glance'));
  const toolSlos = latencySlos('mcp_');
  for (const slo of toolSlos) dashboard.withPanel(latencyStat(slo, runs));
  dashboard.withPanel(successStat('mcpSuccess', 'MCP', runs));
  dashboard.withPanel(
    stat(
      'Streaming connections held',
      `${K6_METRICS.mcpOpenConnections.help}; objective ${minConnections}+ at once (load profile and up)`,
      'short',
      [{ expr: k6GaugeByRun('mcpOpenConnections', runs, RUN_BY), legend: RUN_LEGEND }],
    ).thresholds(lowerBound(minConnections)),
  );

  dashboard.withRow(new RowBuilder('Tools'));
  for (const slo of toolSlos) {
    const { metric, quantile, maxMs } = slo.indicator;
    const line = {
      value: msToSeconds(maxMs),
      label: `SLO ${quantileLabel(quantile)} < ${maxMs} ms`,
      kind: 'max' as const,
    };
    dashboard.withPanel(
      againstObjective(
        `Tool execution ${quantileLabel(quantile)} per tool`,
        `${K6_METRICS[metric].help}, per tool, cumulative over each run. ${slo.title}.`,
        's',
        [{ expr: k6QuantileByRun(metric, quantile, runs, PER_TOOL), legend: '{{tool}} {{testid}}' }],
        line,
      ),
    );
    dashboard.withPanel(
      againstObjective(
        'Tool execution p50 / p95 / p99 (all tools)',
        `${K6_METRICS[metric].help}, all tools together, cumulative over each run.`,
        's',
        [0.5, 0.95, 0.99].map((q) => ({
          expr: k6QuantileByRun(metric, q, runs, RUN_BY),
          legend: `{{target}} {{testid}} ${quantileLabel(q)}`,
        })),
        line,
      ),
    );
    dashboard.withPanel(
      table('Tool calls per tool (per run)', 'tools/call observations per tool per run.', 'short', [
        { expr: k6TrendCountByRun(metric, runs, PER_TOOL) },
      ]),
    );
    dashboard.withPanel(
      timeseries(
        'Tool calls per second per tool',
        'Throughput in each rate window; needs runs longer than two push intervals.',
        'reqps',
        [
          {
            expr: k6TrendThroughput(metric, RATE_WINDOW, runs, ['target', 'tool']),
            legend: '{{target}} {{tool}}',
          },
        ],
      ),
    );
  }

  dashboard.withRow(new RowBuilder('Connections'));
  dashboard.withPanel(
    againstObjective(
      'Streaming connections held',
      `${K6_METRICS.mcpOpenConnections.help}, per transport.`,
      'short',
      [{ expr: k6GaugeByRun('mcpOpenConnections', runs, PER_TRANSPORT), legend: '{{target}} {{transport}}' }],
      { value: minConnections, label: `objective ${minConnections}+ held`, kind: 'min' },
    ),
  );
  dashboard.withPanel(
    timeseries(
      'Connection setup p95 per transport',
      `${K6_METRICS.mcpConnectionDuration.help}, cumulative over each run.`,
      's',
      [
        {
          expr: k6QuantileByRun('mcpConnectionDuration', 0.95, runs, PER_TRANSPORT),
          legend: '{{transport}} {{testid}}',
        },
      ],
    ),
  );

  withSuccessAndErrors(dashboard, { success: 'mcpSuccess', errors: 'mcpErrors' }, 'MCP', runs);
  return build(dashboard);
}
