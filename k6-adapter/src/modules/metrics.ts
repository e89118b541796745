/** `k6/metrics`: Counter, Gauge, Rate, Trend, declared in the init context only (as k6 enforces). */
import type { Runtime } from '../runtime.ts';
import type { MetricType } from '../types.ts';

/** k6 1.x: metric names are ASCII letters, digits and underscores, starting with a letter or underscore. */
const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

function numericValue(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && !Number.isNaN(value)) return value;
  return undefined;
}

export function createMetricsModule(runtime: Runtime) {
  const metricClass = (type: MetricType) =>
    class {
      readonly name: string;
      constructor(name: string, isTime = false) {
        if (runtime.phase !== 'init') throw runtime.error('metrics must be declared in the init context');
        if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
          throw runtime.error(
            `invalid metric name "${String(name)}": up to 128 ASCII letters, digits or underscores, starting with a letter or underscore`,
          );
        }
        try {
          runtime.store.declare(name, type, type === 'trend' && isTime === true);
        } catch (error) {
          throw runtime.error((error as Error).message);
        }
        this.name = name;
      }

      add(value: unknown, tags?: Record<string, unknown>): boolean {
        if (runtime.phase === 'init')
          throw runtime.error('adding samples to metrics in the init context is not supported');
        const numeric = numericValue(value);
        if (numeric === undefined) {
          runtime.log(
            'WARN',
            `'${String(value)}' is an invalid value for metric '${this.name}', a number or a boolean value is expected`,
          );
          return false;
        }
        runtime.addSample(
          this.name,
          type === 'rate' ? (numeric !== 0 ? 1 : 0) : numeric,
          runtime.sampleTags(tags ?? {}),
        );
        return true;
      }
    };
  return {
    Counter: metricClass('counter'),
    Gauge: metricClass('gauge'),
    Rate: metricClass('rate'),
    Trend: metricClass('trend'),
  };
}
