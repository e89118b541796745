/**
 * Which iterations the adapter runs for a script's `options`: one entry per k6 scenario with its
 * exec function, tags and the (VU, iteration) pairs, run sequentially. Iteration-based executors
 * keep their counts (capped); time-based ones run a fixed number of iterations instead.
 */
import { parseDuration } from '@vigil/scenarios/catalog';

export interface PlannedScenario {
  name: string;
  executor: string;
  exec: string;
  tags: Record<string, string>;
  /** [vuId, iterationOfThatVu] in run order. */
  iterations: Array<[number, number]>;
}

export class InvalidOptionsError extends Error {}

const DEFAULT_CAP = 5;

function startMs(shape: Record<string, unknown>): number {
  return parseDuration(String(shape.startTime ?? '0s')) ?? 0;
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && value > 0 ? Math.floor(value) : fallback;
}

/** k6's shortcut options (`vus`, `iterations`, `duration`, `stages`) as one "default" scenario. */
function shortcutScenario(options: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(options.stages)) return { executor: 'ramping-vus', stages: options.stages };
  if (typeof options.iterations === 'number')
    return { executor: 'shared-iterations', vus: options.vus ?? 1, iterations: options.iterations };
  if (options.duration)
    return { executor: 'constant-vus', vus: options.vus ?? 1, duration: options.duration };
  return { executor: 'per-vu-iterations', vus: options.vus ?? 1, iterations: 1 };
}

function declaredVus(shape: Record<string, unknown>): number {
  const stages = Array.isArray(shape.stages) ? (shape.stages as Array<{ target?: number }>) : [];
  const stageMax = Math.max(0, ...stages.map((s) => s.target ?? 0));
  return Math.max(
    1,
    positive(shape.vus, 0),
    positive(shape.preAllocatedVUs, 0),
    positive(shape.startVUs, 0),
    stageMax,
  );
}

function iterationPairs(
  shape: Record<string, unknown>,
  limit: number,
  firstVu: number,
): Array<[number, number]> {
  const executor = String(shape.executor);
  const vus = declaredVus(shape);
  const pairs: Array<[number, number]> = [];
  if (executor === 'per-vu-iterations') {
    const perVu = positive(shape.iterations, 1);
    for (let vu = 0; vu < vus && pairs.length < limit; vu++) {
      for (let i = 0; i < perVu && pairs.length < limit; i++) pairs.push([firstVu + vu, i]);
    }
    return pairs;
  }
  const total = executor === 'shared-iterations' ? Math.min(positive(shape.iterations, 1), limit) : limit;
  const used = Math.min(vus, total);
  for (let n = 0; n < total; n++) pairs.push([firstVu + (n % used), Math.floor(n / used)]);
  return pairs;
}

const KNOWN_EXECUTORS = [
  'shared-iterations',
  'per-vu-iterations',
  'constant-vus',
  'ramping-vus',
  'constant-arrival-rate',
  'ramping-arrival-rate',
  'externally-controlled',
];

export function planScenarios(
  options: Record<string, unknown>,
  exports: Record<string, unknown>,
  selection: { only?: readonly string[]; maxIterationsPerScenario?: number },
): PlannedScenario[] {
  const declared = (options.scenarios as Record<string, Record<string, unknown>> | undefined) ?? {
    default: shortcutScenario(options),
  };
  const limit = selection.maxIterationsPerScenario ?? DEFAULT_CAP;
  for (const wanted of selection.only ?? []) {
    if (!(wanted in declared))
      throw new InvalidOptionsError(
        `scenario "${wanted}" is not in options.scenarios (${Object.keys(declared).join(', ')})`,
      );
  }
  const ordered = Object.entries(declared)
    .filter(([name]) => !selection.only?.length || selection.only.includes(name))
    .sort(([, a], [, b]) => startMs(a) - startMs(b));
  let nextVu = 1;
  return ordered.map(([name, shape]) => {
    if (!KNOWN_EXECUTORS.includes(String(shape.executor))) {
      throw new InvalidOptionsError(`scenario "${name}": unknown executor "${String(shape.executor)}"`);
    }
    const exec = typeof shape.exec === 'string' ? shape.exec : 'default';
    if (typeof exports[exec] !== 'function') {
      throw new InvalidOptionsError(`executor ${name}: function '${exec}' not found in exports`);
    }
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries((shape.tags as Record<string, unknown>) ?? {})) tags[k] = String(v);
    const iterations = iterationPairs(shape, limit, nextVu);
    nextVu += declaredVus(shape);
    return { name, executor: String(shape.executor), exec, tags, iterations };
  });
}
