/**
 * The promtool test cases: for each alert, the input series just under its objective, in breach,
 * and recovered, the labels the alert must carry and its value when firing. Objectives come from
 * the catalog, so a changed SLO moves its test with it.
 */
import {
  K6_BUILTIN_SERIES,
  K6_METRICS,
  RECORDED_SERIES,
  RUNNER_SERIES,
  SCRAPE_JOBS,
  SLOS,
  slosOfKind,
  TARGET_SERIES,
  flowLatencySeries,
  probeFailureRatioSeries,
  selector,
  type Slo,
} from '@vigil/scenarios/catalog';
import type { AlertDef } from './alerts.ts';
import { JUST_UNDER, type AlertCase, type Segment } from './promtool-case.ts';
import { PROBE, probeCases } from './promtool-cases-probe.ts';

const RUN = { testid: 'run-1', target: 'demo', profile: 'load', kind: 'load' };
const TARGET_INSTANCE = { job: SCRAPE_JOBS.target, instance: 'target:8080' };
const TARGET_LABELS = { target: 'target:8080', instance: 'target:8080' };

function latencyCases(): AlertCase[] {
  return (SLOS as readonly Slo[]).flatMap((slo) => {
    if (slo.indicator.kind !== 'latency') return [];
    const bound = slo.indicator.maxMs / 1000;
    const labels = { slo: slo.id, flow: slo.flow, ...RUN };
    return [
      {
        alert: 'VigilFlowLatencySloBreach',
        name: `${slo.id} breached`,
        fires: ['warning'],
        match: (def: AlertDef) => def.labels.slo === slo.id,
        interval: '5s',
        inputs: [
          {
            series: selector(flowLatencySeries(slo.indicator.quantile), labels),
            under: { gauge: bound * JUST_UNDER },
            breach: { gauge: bound * 1.5 },
          },
        ],
        labels,
        value: bound * 1.5,
      },
    ];
  });
}

function successCases(): AlertCase[] {
  return (SLOS as readonly Slo[]).flatMap((slo) => {
    if (slo.indicator.kind !== 'success_ratio') return [];
    const labels = { slo: slo.id, metric: K6_METRICS[slo.indicator.metric].name, flow: 'auth_flow', ...RUN };
    return [
      {
        alert: 'VigilSuccessRatioBelowObjective',
        name: `${slo.id} below objective`,
        fires: ['critical'],
        match: (def: AlertDef) => def.labels.slo === slo.id,
        interval: '5s',
        // Exactly the objective is within it (≥).
        inputs: [
          {
            series: selector(RECORDED_SERIES.successRatio, labels),
            under: { gauge: slo.indicator.objective },
            breach: { gauge: 0.9 },
          },
        ],
        labels,
        value: 0.9,
      },
    ];
  });
}

function targetCases(): AlertCase[] {
  const memory = (SLOS as readonly Slo[]).find((s) => s.id === 'server_memory')?.indicator;
  const cpu = (SLOS as readonly Slo[]).find((s) => s.id === 'server_cpu')?.indicator;
  const store = slosOfKind('target_latency')[0]?.indicator;
  if (memory?.kind !== 'resource' || cpu?.kind !== 'resource' || store?.kind !== 'target_latency')
    throw new Error('SLOS: resource SLOs missing');
  const rss = selector(TARGET_SERIES.residentMemory, TARGET_INSTANCE);
  const cpuSeries = selector(TARGET_SERIES.cpuSeconds, TARGET_INSTANCE);
  const perStep = (ratio: number) => ratio * 15;
  const midMemory = Math.round((memory.max + memory.maxUnderStress) / 2 / 1024 / 1024) * 1024 * 1024;
  const bucket = (le: string) =>
    selector(`${TARGET_SERIES.redisOperationDuration}_bucket`, { ...TARGET_INSTANCE, le });
  const boundSeconds = store.maxMs / 1000;
  // Under: every operation in (bound/2, bound] → p95 just under the bound; breach: all in (2.5, 5] × bound.
  const les = [boundSeconds / 2, boundSeconds, boundSeconds * 2.5, boundSeconds * 5];
  const redisInputs = [...les.map(String), '+Inf'].map((le, index) => ({
    series: bucket(le),
    under: { perStep: index >= 1 ? 10 : 0 },
    breach: { perStep: index >= 3 ? 10 : 0 },
  }));
  return [
    {
      alert: 'VigilTargetDown',
      name: 'target scrape fails',
      fires: ['critical'],
      interval: '15s',
      inputs: [{ series: selector('up', TARGET_INSTANCE), under: { gauge: 1 }, breach: { gauge: 0 } }],
      labels: TARGET_LABELS,
      value: 0,
    },
    {
      alert: 'VigilTargetMemoryHigh',
      name: 'above the normal bound',
      fires: ['warning'],
      interval: '15s',
      inputs: [{ series: rss, under: { gauge: memory.max - 1024 * 1024 }, breach: { gauge: midMemory } }],
      labels: TARGET_LABELS,
      value: midMemory,
    },
    {
      alert: 'VigilTargetMemoryHigh',
      name: 'above the stress bound',
      fires: ['warning', 'critical'],
      interval: '15s',
      inputs: [
        {
          series: rss,
          under: { gauge: memory.max - 1024 * 1024 },
          breach: { gauge: memory.maxUnderStress + 64 * 1024 * 1024 },
        },
      ],
      labels: TARGET_LABELS,
      value: memory.maxUnderStress + 64 * 1024 * 1024,
    },
    {
      alert: 'VigilTargetCpuHigh',
      name: 'above the normal bound',
      fires: ['warning'],
      interval: '15s',
      settle: '1m',
      inputs: [
        {
          series: cpuSeries,
          under: { perStep: perStep(cpu.max - 0.01) },
          breach: { perStep: perStep((cpu.max + cpu.maxUnderStress) / 2) },
        },
      ],
      labels: TARGET_LABELS,
      value: (cpu.max + cpu.maxUnderStress) / 2,
    },
    {
      alert: 'VigilTargetCpuHigh',
      name: 'above the normal bound during a stress run',
      fires: ['critical'],
      interval: '15s',
      settle: '1m',
      inputs: [
        {
          series: cpuSeries,
          under: { perStep: perStep(cpu.max - 0.01) },
          breach: { perStep: perStep(cpu.maxUnderStress + 0.05) },
        },
        {
          series: selector(K6_BUILTIN_SERIES.vus, {
            testid: 'stress-1',
            target: TARGET_LABELS.target,
            profile: 'stress',
            kind: 'load',
          }),
          under: { gauge: 50 },
          breach: { gauge: 50 },
        },
      ],
      labels: TARGET_LABELS,
      value: cpu.maxUnderStress + 0.05,
    },
    {
      alert: 'VigilSessionStoreSlow',
      name: 'Redis p95 above its bound',
      fires: ['warning'],
      interval: '15s',
      settle: '5m',
      inputs: redisInputs,
      labels: TARGET_LABELS,
      value: boundSeconds * 2.5 + (boundSeconds * 5 - boundSeconds * 2.5) * 0.95,
    },
  ];
}

function loadGeneratorCases(): AlertCase[] {
  const labels = { ...RUN, scenario: 'authorization_flow', flow: 'auth_flow' };
  return [
    {
      alert: 'VigilLoadGeneratorSaturated',
      name: 'iterations dropped',
      fires: ['warning'],
      interval: '5s',
      inputs: [
        {
          series: selector(RECORDED_SERIES.droppedIterations, labels),
          under: { gauge: 0 },
          breach: { gauge: 12 },
        },
      ],
      labels,
      value: 12,
    },
  ];
}

export const ALERT_CASES: AlertCase[] = [
  ...latencyCases(),
  ...successCases(),
  ...loadGeneratorCases(),
  ...probeCases(),
  ...targetCases(),
];

/** Recording rules promtool can test (float inputs): the probe failure ratios. */
export const RECORDING_CASES = [
  {
    name: 'probe failure ratio over 5m and 1h',
    interval: '30s',
    steps: 130,
    inputs: [
      { series: selector(RUNNER_SERIES.probeSuccess, PROBE), segment: { gauge: 0 } as Segment },
      {
        series: selector(RUNNER_SERIES.probeSuccess, { ...PROBE, probe: 'healthy' }),
        segment: { gauge: 1 } as Segment,
      },
    ],
    expect: [
      {
        expr: probeFailureRatioSeries('5m'),
        evalTime: '1h',
        samples: [
          {
            labels: `${probeFailureRatioSeries('5m')}{probe="${PROBE.probe}", target="${PROBE.target}"}`,
            value: 1,
          },
          { labels: `${probeFailureRatioSeries('5m')}{probe="healthy", target="${PROBE.target}"}`, value: 0 },
        ],
      },
    ],
  },
];
