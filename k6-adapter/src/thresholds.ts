/**
 * k6 thresholds: `options.thresholds` parsed with k6's expression grammar
 * (`<aggregation> <operator> <number>`), validated per metric type (k6 exits 104 on an invalid
 * one), evaluated at the end (empty sinks count) and, for abortOnFail, after each iteration
 * (empty sinks skipped, as k6's periodic evaluation does).
 */
import { aggregate, parseSelector, type MetricSelector, type MetricStore } from './metric-store.ts';
import type { MetricType, ThresholdResult } from './types.ts';
import { meetsBound, parseDuration } from '@vigil/scenarios/catalog';

export interface ThresholdDefinition {
  metric: string;
  selector: MetricSelector;
  expression: string;
  method: string;
  operator: string;
  bound: number;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
}

const EXPRESSION =
  /^\s*(avg|min|max|med|count|rate|value|p\(\s*\d+(?:\.\d+)?\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/;

const METHODS: Record<MetricType, RegExp> = {
  counter: /^(count|rate)$/,
  gauge: /^value$/,
  rate: /^rate$/,
  trend: /^(avg|min|max|med|p\(.*\))$/,
};

export class InvalidThresholdError extends Error {}

function parseOne(metric: string, raw: unknown, store: MetricStore): ThresholdDefinition {
  const spec = typeof raw === 'string' ? { threshold: raw } : (raw as Record<string, unknown> | null);
  if (!spec || typeof spec.threshold !== 'string') {
    throw new InvalidThresholdError(
      `invalid threshold on '${metric}': expected a string or { threshold: string }`,
    );
  }
  const match = EXPRESSION.exec(spec.threshold);
  if (!match)
    throw new InvalidThresholdError(`invalid threshold expression '${spec.threshold}' on '${metric}'`);
  const selector = parseSelector(metric);
  const definition = store.definition(selector.name);
  if (!definition) {
    throw new InvalidThresholdError(
      `invalid threshold defined on ${metric}; reason: no metric name "${selector.name}" found`,
    );
  }
  const method = match[1]!.replace(/\s+/g, '');
  if (!METHODS[definition.type].test(method)) {
    throw new InvalidThresholdError(
      `invalid threshold '${spec.threshold}' on '${metric}': aggregation method '${method}' is not supported for a ${definition.type}`,
    );
  }
  return {
    metric,
    selector,
    expression: spec.threshold,
    method,
    operator: match[2]!,
    bound: Number(match[3]),
    abortOnFail: spec.abortOnFail === true,
    delayAbortEvalMs: typeof spec.delayAbortEval === 'string' ? (parseDuration(spec.delayAbortEval) ?? 0) : 0,
  };
}

/** Parses `options.thresholds` after init (custom metrics must be declared by then, as in k6). */
export function parseThresholds(thresholds: unknown, store: MetricStore): ThresholdDefinition[] {
  if (thresholds === undefined || thresholds === null) return [];
  if (typeof thresholds !== 'object') throw new InvalidThresholdError('options.thresholds must be an object');
  const result: ThresholdDefinition[] = [];
  for (const [metric, list] of Object.entries(thresholds as Record<string, unknown>)) {
    if (!Array.isArray(list))
      throw new InvalidThresholdError(`options.thresholds['${metric}'] must be an array`);
    for (const raw of list) result.push(parseOne(metric, raw, store));
  }
  return result;
}

export function evaluateThreshold(
  definition: ThresholdDefinition,
  store: MetricStore,
  durationSeconds: number,
): boolean {
  const type = store.definition(definition.selector.name)!.type;
  const value = aggregate(type, store.select(definition.selector), definition.method, durationSeconds) ?? 0;
  return meetsBound(value, definition.operator, definition.bound);
}

export function evaluateAll(
  definitions: readonly ThresholdDefinition[],
  store: MetricStore,
  durationSeconds: number,
): ThresholdResult[] {
  return definitions.map((d) => ({
    metric: d.metric,
    expression: d.expression,
    ok: evaluateThreshold(d, store, durationSeconds),
  }));
}

/** k6's periodic abortOnFail check: metrics without samples are skipped, delayAbortEval honoured. */
export function shouldAbort(
  definitions: readonly ThresholdDefinition[],
  store: MetricStore,
  elapsedMs: number,
): ThresholdDefinition | undefined {
  return definitions.find(
    (d) =>
      d.abortOnFail &&
      elapsedMs >= d.delayAbortEvalMs &&
      store.select(d.selector).length > 0 &&
      !evaluateThreshold(d, store, elapsedMs / 1000),
  );
}
