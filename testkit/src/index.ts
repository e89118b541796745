export { freePort, waitFor, waitForHttp } from './ports.ts';
export { spawnService, scratchDir, whenReady, type Service } from './processes.ts';
export { startRedis } from './redis.ts';
export { startPrometheus, startAlertmanager, promQuery, type PrometheusOptions } from './prometheus.ts';
export {
  remoteWrite,
  encodeWriteRequest,
  NativeHistogramAccumulator,
  K6RemoteWriteRun,
  K6_NATIVE_HISTOGRAM_SCHEMA,
  NATIVE_HISTOGRAM_ZERO_THRESHOLD,
  type TimeSeries,
  type NativeHistogram,
  type K6RunLabels,
  type K6SampleTags,
  type K6RemoteWriteOptions,
} from './remote-write.ts';
export { referenceDir, referenceFile } from './reference.ts';
