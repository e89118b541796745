/** Shapes of a Prometheus rule file (the subset Vigil writes) and small shared helpers. */

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RuleGroup<R> {
  name: string;
  interval: string;
  rules: R[];
}

export interface RuleFile<R> {
  groups: RuleGroup<R>[];
}

/** A number printed for PromQL without float noise (14.4 × 0.005 → 0.072, not 0.07200000000000001). */
export function promNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** Seconds in a Prometheus duration such as `30s`, `5m`, `1h`, `3d`. */
export function durationSeconds(duration: string): number {
  const match = /^(\d+)(ms|s|m|h|d|w)$/.exec(duration);
  if (!match) throw new Error(`duration: "${duration}" is not a single-unit Prometheus duration`);
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[
    match[2] as 'ms' | 's' | 'm' | 'h' | 'd' | 'w'
  ];
  return Number(match[1]) * factor;
}
