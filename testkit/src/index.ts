export { freePort, waitFor, waitForHttp } from './ports.ts';
export { spawnService, scratchDir, type Service } from './processes.ts';
export { startRedis } from './redis.ts';
export { startPrometheus, startAlertmanager, promQuery, type PrometheusOptions } from './prometheus.ts';
