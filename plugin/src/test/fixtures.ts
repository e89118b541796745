/**
 * Runner objects as the API answers them, for the MSW runner double and the tests. Findings get
 * their title, spec and fix from the catalog's findings-text.ts, as the runner adds them.
 */
import { FINDINGS, type FindingCode } from '@vigil/scenarios/catalog/findings.ts';
import { FINDING_TEXT } from '@vigil/scenarios/catalog/findings-text.ts';
import {
  PROFILES,
  PROFILE_DESCRIPTIONS,
  SCENARIOS as CATALOG_SCENARIOS,
  SCENARIO_ENV,
  SLOS,
  WORKLOADS,
} from '@vigil/scenarios/catalog/index.ts';
import type { AlertmanagerAlert } from '../api/alerting';
import type {
  Finding,
  Notification,
  Probe,
  ProbeResult,
  ProbeStep,
  Readiness,
  Run,
  Scenarios,
  Target,
} from '../api/types';

export const MINUTE = 60_000;
export const isoAgo = (ms: number) => new Date(Date.now() - ms).toISOString();

let sequence = 0;
export const nextId = (prefix: string) => `${prefix}_${(++sequence).toString(36).padStart(6, '0')}`;

export function makeTarget(overrides: Partial<Target> = {}): Target {
  const at = isoAgo(60 * MINUTE);
  return {
    id: nextId('tgt'),
    name: 'reference',
    mcpUrl: 'http://127.0.0.1:8080/mcp',
    auth: { hasClientSecret: false, hasLoginPassword: false, hasClientPrivateKey: false },
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export const WALK_STEPS: ReadonlyArray<ProbeStep['step']> = [
  'discovery',
  'registration',
  'authorization',
  'token',
  'initialize',
  'tools_list',
  'tools_call',
];

export function makeFinding(code: FindingCode, evidence: Finding['evidence'] = {}): Finding {
  return { code, ...FINDINGS[code], evidence, ...FINDING_TEXT[code] };
}

/** A passing walk, every step ok. */
export function makeResult(overrides: Partial<ProbeResult> = {}): ProbeResult {
  return {
    id: ++sequence,
    probeId: 'prb_x',
    runId: nextId('run'),
    at: isoAgo(2 * MINUTE),
    ok: true,
    status: 'passed',
    durationMs: 842,
    failedStep: null,
    steps: WALK_STEPS.map((step) => ({ step, ok: true, durationMs: 120 })),
    toolsHash: 'b1946ac92492d2347c6235b4d2611184',
    tokenExpiresInSeconds: 3600,
    runnerError: null,
    findings: [],
    ...overrides,
  };
}

/** A walk that failed at `step` with `reason`. */
export function makeFailedResult(
  step: ProbeStep['step'],
  reason: NonNullable<ProbeStep['reason']>,
  overrides: Partial<ProbeResult> = {}
): ProbeResult {
  const upTo = WALK_STEPS.indexOf(step);
  return makeResult({
    ok: false,
    status: 'failed',
    failedStep: step,
    steps: WALK_STEPS.slice(0, upTo + 1).map((name) =>
      name === step
        ? { step: name, ok: false, durationMs: 95, reason, detail: 'HTTP 500 from the token endpoint' }
        : { step: name, ok: true, durationMs: 110 }
    ),
    tokenExpiresInSeconds: null,
    ...overrides,
  });
}

/** A result the runner could not produce: says nothing about the target. */
export function makeRunnerErrorResult(overrides: Partial<ProbeResult> = {}): ProbeResult {
  return makeResult({
    runId: null,
    ok: false,
    status: 'error',
    durationMs: 0,
    steps: [],
    toolsHash: null,
    tokenExpiresInSeconds: null,
    runnerError: { code: 'k6_missing', message: 'k6 was not found: install k6 ≥ 1.0 on the runner host or set K6_BIN' },
    ...overrides,
  });
}

export function makeProbe(overrides: Partial<Probe> = {}): Probe {
  const at = isoAgo(90 * MINUTE);
  return {
    id: nextId('prb'),
    name: 'reference-probe',
    targetId: 'tgt_missing',
    intervalSeconds: 60,
    timeoutSeconds: 30,
    enabled: true,
    strict: 'off',
    skippedRuns: 0,
    lastResult: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export const READY: Readiness = { status: 'ready', problems: [] };

/**
 * The catalog as the runner serves it (runner/src/api/routes-misc.ts builds the same answer from
 * the same modules), with the limits of a runner started with VIGIL_MAX_VUS=200: the New run form is tested against the
 * real scenarios, parameters and bounds.
 */
export const SCENARIOS: Scenarios = {
  scenarios: Object.values(CATALOG_SCENARIOS).map((scenario) => ({
    ...scenario,
    workloads: scenario.workloads.map((id) => ({ id, title: WORKLOADS[id].title, flow: WORKLOADS[id].flow })),
  })) as Scenarios['scenarios'],
  profiles: PROFILES.map((id) => ({ id, description: PROFILE_DESCRIPTIONS[id] })),
  slos: SLOS as unknown as Scenarios['slos'],
  env: SCENARIO_ENV as unknown as Scenarios['env'],
  limits: { maxVus: 200, maxRate: 1100, maxDurationSeconds: 3600, maxConcurrentRuns: 2 },
};

/** A finished load run that passed, with its thresholds and summary. */
export function makeRun(overrides: Partial<Run> = {}): Run {
  const createdAt = isoAgo(10 * MINUTE);
  return {
    id: nextId('run'),
    kind: 'load',
    scenario: 'oauth',
    targetId: 'tgt_missing',
    targetName: 'reference',
    targetUrl: 'http://127.0.0.1:8080/mcp',
    profile: 'smoke',
    overrides: {},
    engine: 'local',
    status: 'passed',
    progress: null,
    exitCode: 0,
    thresholds: [
      { metric: 'oauth_auth_duration', expression: 'p(95)<200', ok: true, value: 84.2 },
      { metric: 'oauth_token_refresh_duration', expression: 'p(95)<100', ok: true, value: 31.5 },
    ],
    steps: null,
    metricsDelivered: true,
    error: null,
    createdBy: { login: 'editor', userId: '2' },
    baseline: false,
    createdAt,
    startedAt: createdAt,
    finishedAt: isoAgo(9 * MINUTE),
    summary: {
      version: 1,
      scenario: 'oauth',
      profile: 'smoke',
      ok: true,
      thresholds: [],
      metrics: {
        oauth_auth_duration: { type: 'trend', values: { 'p(50)': 61.3, 'p(95)': 84.2, 'p(99)': 97.8 } },
      },
      checks: { passes: 24, fails: 0 },
      durationMs: 60_000,
    },
    ...overrides,
  };
}

/** A run that is still going: no verdict yet. */
export function makeActiveRun(overrides: Partial<Run> = {}): Run {
  return makeRun({
    status: 'running',
    progress: 0.4,
    exitCode: null,
    thresholds: null,
    finishedAt: null,
    startedAt: isoAgo(MINUTE),
    summary: null,
    ...overrides,
  });
}

/** An alert as Alertmanager's v2 API lists it (firing, not silenced). */
export function makeAlertmanagerAlert(
  labels: Record<string, string>,
  overrides: Partial<AlertmanagerAlert> = {}
): AlertmanagerAlert {
  return {
    labels: { severity: 'critical', ...labels },
    annotations: { summary: `${labels.alertname} on ${labels.probe ?? labels.testid ?? 'the runner'}` },
    startsAt: isoAgo(5 * MINUTE),
    endsAt: new Date(Date.now() + 4 * MINUTE).toISOString(),
    updatedAt: isoAgo(MINUTE),
    fingerprint: nextId('fp'),
    receivers: [{ name: 'vigil-runner' }],
    status: { state: 'active', silencedBy: [], inhibitedBy: [] },
    ...overrides,
  };
}

/** A notification the runner's receiver got from Alertmanager. */
export function makeNotification(
  status: 'firing' | 'resolved',
  labels: Record<string, string>,
  id = ++sequence
): Notification {
  return {
    id,
    receivedAt: isoAgo(MINUTE),
    receiver: 'vigil-runner',
    status,
    groupLabels: { alertname: labels.alertname },
    commonLabels: labels,
    truncatedAlerts: 0,
    alerts: [
      {
        status,
        labels,
        annotations: { summary: `${labels.alertname} on ${labels.probe ?? 'the runner'}` },
        startsAt: isoAgo(3 * MINUTE),
        endsAt: status === 'resolved' ? isoAgo(MINUTE) : '0001-01-01T00:00:00Z',
        generatorURL: 'http://127.0.0.1:9090/graph',
        fingerprint: `fp${id}`,
      },
    ],
  };
}
