/**
 * The Vigil catalog: scenario ids and parameters, profiles and load shapes, the SLOs and the
 * metric names. Plain TypeScript with no Node or k6 imports, so k6 (relative path), the runner
 * and (planned) the Grafana app's bundler all import the same file.
 */
export * from './metrics.ts';
export * from './slos.ts';
export * from './workloads.ts';
export * from './scenarios.ts';
export * from './env.ts';
export * from './duration.ts';
export * from './overrides.ts';
export * from './thresholds.ts';
export * from './results.ts';
export * from './dashboards.ts';
export * from './promql.ts';
export * from './protocol.ts';
export * from './hosts.ts';
export * from './k6.ts';
export * from './findings.ts';
