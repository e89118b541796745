/**
 * The runner's /metrics: probe results as gauges (the Synthetic Monitoring pattern, docs/design.md)
 * and whether each threshold of recent load runs passed. Labels are bounded: `probe` and `target`
 * (the target's name, never a URL) plus `step`; threshold series keep only the latest N runs.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { FINDING_SEVERITIES, RUNNER_SERIES, type Finding, type ProbeResult } from '@vigil/scenarios/catalog';
import type { RunRecord } from './store/types.ts';

export interface ProbeOutcomeForMetrics {
  probe: string;
  target: string;
  intervalSeconds: number;
  ok: boolean;
  /** Failed runs in a row ending with this one (0 when it succeeded), counted from the stored history. */
  consecutiveFailures: number;
  durationMs: number;
  atMs: number;
  steps: ProbeResult['steps'];
  toolsHash: string | null;
  tokenExpiresInSeconds: number | null;
  /** Spec findings of the walk (probe_findings counts them by severity). */
  findings: readonly Finding[];
  /** Restoring the last stored verdict at start: set the gauges, count no run, no drift. */
  restored?: boolean;
}

export class RunnerMetrics {
  readonly registry = new Registry();
  private readonly probeLabels = ['probe', 'target'] as const;
  private readonly stepLabels = ['probe', 'target', 'step'] as const;
  readonly probeSuccess = this.gauge(
    RUNNER_SERIES.probeSuccess,
    '1 when the last probe walk succeeded',
    this.probeLabels,
  );
  readonly probeConsecutiveFailures = this.gauge(
    RUNNER_SERIES.probeConsecutiveFailures,
    'failed probe walks in a row, up to the last success',
    this.probeLabels,
  );
  readonly probeDuration = this.gauge(
    RUNNER_SERIES.probeDuration,
    'duration of the last probe walk',
    this.probeLabels,
  );
  readonly probeStepDuration = this.gauge(
    RUNNER_SERIES.probeStepDuration,
    'duration of each step of the last walk',
    this.stepLabels,
  );
  readonly probeStepSuccess = this.gauge(
    RUNNER_SERIES.probeStepSuccess,
    '1 when the step succeeded (or was skipped)',
    this.stepLabels,
  );
  readonly probeLastRun = this.gauge(
    RUNNER_SERIES.probeLastRun,
    'unix time of the last probe walk',
    this.probeLabels,
  );
  readonly probeInterval = this.gauge(
    RUNNER_SERIES.probeInterval,
    'configured probe interval',
    this.probeLabels,
  );
  readonly probeTokenExpiry = this.gauge(
    RUNNER_SERIES.probeTokenExpiry,
    'seconds until the walk’s access token expires',
    this.probeLabels,
  );
  readonly probeToolsHashChanges = new Counter({
    name: RUNNER_SERIES.probeToolsHashChanges,
    help: 'times the tools/list hash changed between walks',
    labelNames: this.probeLabels,
    registers: [this.registry],
  });
  readonly probeRuns = new Counter({
    name: RUNNER_SERIES.probeRunsTotal,
    help: 'probe walks run',
    labelNames: this.probeLabels,
    registers: [this.registry],
  });
  readonly probeRunnerError = this.gauge(
    RUNNER_SERIES.probeRunnerError,
    '1 while the runner cannot run the probe (reason label); 0 (reason="none") once it can',
    [...this.probeLabels, 'reason'],
  );
  readonly probeFindings = this.gauge(
    RUNNER_SERIES.probeFindings,
    'spec findings of the last walk, by severity',
    [...this.probeLabels, 'severity'],
  );
  readonly runThresholdPassed = this.gauge(
    RUNNER_SERIES.runThresholdPassed,
    '1 when every threshold on the metric passed in the run',
    ['testid', 'scenario', 'target', 'metric'],
  );
  readonly runsActive = this.gauge(RUNNER_SERIES.runsActive, 'runs queued or running', []);
  private readonly lastToolsHash = new Map<string, string>();
  private readonly stepsSeen = new Map<string, Set<string>>();
  private readonly runnerErrorReason = new Map<string, string>();
  private readonly thresholdRuns: Array<{ testid: string; labels: Array<Record<string, string>> }> = [];

  constructor(private readonly keepRuns = 50) {
    collectDefaultMetrics({ register: this.registry });
  }

  private gauge(name: string, help: string, labelNames: readonly string[]): Gauge {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  /**
   * The runner could (reason "none", 0) or could not (1) run the probe's last walk; one reason series
   * per probe. A runner error changes nothing else: the target's series keep their last verdict.
   */
  recordProbeRunnerError(probe: string, target: string, reason: string): void {
    const key = `${probe}\u0000${target}`;
    const previous = this.runnerErrorReason.get(key);
    if (previous !== undefined && previous !== reason)
      this.probeRunnerError.remove({ probe, target, reason: previous });
    this.runnerErrorReason.set(key, reason);
    this.probeRunnerError.set({ probe, target, reason }, reason === 'none' ? 0 : 1);
  }

  recordProbe(o: ProbeOutcomeForMetrics): void {
    const labels = { probe: o.probe, target: o.target };
    this.probeSuccess.set(labels, o.ok ? 1 : 0);
    this.probeConsecutiveFailures.set(labels, o.consecutiveFailures);
    this.probeDuration.set(labels, o.durationMs / 1000);
    this.probeLastRun.set(labels, Math.floor(o.atMs / 1000));
    this.probeInterval.set(labels, o.intervalSeconds);
    this.probeRuns.inc(labels, o.restored ? 0 : 1);
    this.recordProbeRunnerError(o.probe, o.target, 'none');
    // Every severity, 0 included, so "no high finding" is a value and not a missing series.
    for (const severity of FINDING_SEVERITIES)
      this.probeFindings.set(
        { ...labels, severity },
        o.findings.filter((finding) => finding.severity === severity).length,
      );
    const key = `${o.probe}\u0000${o.target}`;
    // Step series describe the last walk only: a step it did not reach (the walk stopped earlier)
    // is dropped, so an old failure of that step cannot label today's alert or table.
    const current = new Set<string>(o.steps.map((step) => step.step));
    for (const step of this.stepsSeen.get(key) ?? []) {
      if (current.has(step)) continue;
      this.probeStepDuration.remove({ ...labels, step });
      this.probeStepSuccess.remove({ ...labels, step });
    }
    this.stepsSeen.set(key, current);
    for (const step of o.steps) {
      this.probeStepDuration.set({ ...labels, step: step.step }, step.durationMs / 1000);
      this.probeStepSuccess.set({ ...labels, step: step.step }, step.ok || step.skipped ? 1 : 0);
    }
    if (o.tokenExpiresInSeconds !== null) this.probeTokenExpiry.set(labels, o.tokenExpiresInSeconds);
    if (o.toolsHash) {
      const previous = this.lastToolsHash.get(key);
      if (!o.restored && previous !== undefined && previous !== o.toolsHash)
        this.probeToolsHashChanges.inc(labels);
      else this.probeToolsHashChanges.inc(labels, 0);
      this.lastToolsHash.set(key, o.toolsHash);
    }
  }

  /** Drops every series of a probe (deleted or renamed). */
  forgetProbe(probe: string, target: string): void {
    for (const metric of [
      this.probeSuccess,
      this.probeConsecutiveFailures,
      this.probeDuration,
      this.probeLastRun,
      this.probeInterval,
      this.probeTokenExpiry,
    ]) {
      metric.remove({ probe, target });
    }
    this.probeRuns.remove({ probe, target });
    this.probeToolsHashChanges.remove({ probe, target });
    for (const severity of FINDING_SEVERITIES) this.probeFindings.remove({ probe, target, severity });
    const key = `${probe}\u0000${target}`;
    const reason = this.runnerErrorReason.get(key);
    if (reason !== undefined) this.probeRunnerError.remove({ probe, target, reason });
    this.runnerErrorReason.delete(key);
    for (const step of this.stepsSeen.get(key) ?? []) {
      this.probeStepDuration.remove({ probe, target, step });
      this.probeStepSuccess.remove({ probe, target, step });
    }
    this.stepsSeen.delete(key);
    this.lastToolsHash.delete(key);
  }

  recordRunThresholds(run: RunRecord): void {
    if (run.kind !== 'load' || !run.thresholds || run.thresholds.length === 0) return;
    const byMetric = new Map<string, boolean>();
    for (const t of run.thresholds) byMetric.set(t.metric, (byMetric.get(t.metric) ?? true) && t.ok);
    const labels = [...byMetric.entries()].map(([metric, ok]) => {
      const l = { testid: run.id, scenario: run.scenario, target: run.targetName, metric };
      this.runThresholdPassed.set(l, ok ? 1 : 0);
      return l;
    });
    this.thresholdRuns.push({ testid: run.id, labels });
    while (this.thresholdRuns.length > this.keepRuns) {
      for (const l of this.thresholdRuns.shift()!.labels) this.runThresholdPassed.remove(l);
    }
  }
}
