/**
 * The Overview's probe grid as data: one row per probe (its target, last result, age), one column
 * per walk step any last result has, in the catalog's step order (STEPS), so the grid reads like
 * the walk. A pure function of the runner's answers; Overview.tsx draws it.
 */
import { STEPS } from '@vigil/scenarios/catalog/metrics.ts';
import type { Probe, ProbeStep, StepName, Target } from '../../api/types';

export type StepCellState = 'ok' | 'failed' | 'skipped' | 'not_reached';

export interface StepCell {
  state: StepCellState;
  /** `reason` of a failed step, `detail` of a skipped one, the duration of a passed one. */
  text: string;
}

export interface ProbeGridRow {
  probe: Probe;
  targetName: string;
  cells: Record<StepName, StepCell | undefined>;
}

export interface ProbeGrid {
  steps: StepName[];
  rows: ProbeGridRow[];
}

function cellOf(step: ProbeStep | undefined): StepCell {
  if (!step) {
    return { state: 'not_reached', text: 'not reached' };
  }
  if (step.skipped) {
    return { state: 'skipped', text: step.detail ?? 'skipped' };
  }
  if (!step.ok) {
    return { state: 'failed', text: step.reason ?? 'failed' };
  }
  return { state: 'ok', text: `${Math.round(step.durationMs)} ms` };
}

/**
 * Rows sorted with failing probes first (then by target and name): what needs looking at is on
 * top. A probe without a result, or whose last result is a runner error, has no step cells.
 */
export function probeGrid(probes: readonly Probe[], targets: ReadonlyArray<Pick<Target, 'id' | 'name'>>): ProbeGrid {
  const seen = new Set<StepName>();
  for (const probe of probes) {
    for (const step of probe.lastResult?.steps ?? []) {
      seen.add(step.step);
    }
  }
  const steps = STEPS.filter((step) => seen.has(step));
  const name = (id: string) => targets.find((target) => target.id === id)?.name ?? id;
  const failing = (probe: Probe) => (probe.lastResult && !probe.lastResult.ok && !probe.lastResult.runnerError ? 0 : 1);
  const rows = probes
    .map((probe): ProbeGridRow => {
      const walked = probe.lastResult && !probe.lastResult.runnerError ? probe.lastResult.steps : undefined;
      const cells = Object.fromEntries(
        steps.map((step) => [step, walked ? cellOf(walked.find((candidate) => candidate.step === step)) : undefined])
      ) as ProbeGridRow['cells'];
      return { probe, targetName: name(probe.targetId), cells };
    })
    .sort(
      (a, b) =>
        failing(a.probe) - failing(b.probe) ||
        a.targetName.localeCompare(b.targetName) ||
        a.probe.name.localeCompare(b.probe.name)
    );
  return { steps, rows };
}
