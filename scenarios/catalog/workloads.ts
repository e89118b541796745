/**
 * Load shapes. A workload is one k6 scenario (executor + shape) inside a script; a profile picks
 * its size. `load` is docs/design.md's table; `smoke` is 1 VU and a few iterations (CI and probes);
 * `stress` doubles the load; `soak` holds the load's steady rate for an hour.
 */
import type { Flow } from './slos.ts';

export const PROFILES = ['smoke', 'load', 'stress', 'soak'] as const;
export type Profile = (typeof PROFILES)[number];

export const PROFILE_DESCRIPTIONS: Record<Profile, string> = {
  smoke: '1 VU, a few iterations: CI gates and quick checks',
  load: 'the SLO catalog load shapes (docs/design.md)',
  stress: 'twice the load shape, to find the breaking point',
  soak: 'the load rate held for an hour (memory leaks, token expiry)',
};

/** The k6 executors Vigil uses, with the fields k6 expects (k6 `options.scenarios`). */
export type Shape =
  | { executor: 'per-vu-iterations'; vus: number; iterations: number; maxDuration: string }
  | { executor: 'shared-iterations'; vus: number; iterations: number; maxDuration: string }
  | { executor: 'constant-vus'; vus: number; duration: string }
  | {
      executor: 'ramping-vus';
      startVUs: number;
      stages: Array<{ target: number; duration: string }>;
      gracefulRampDown?: string;
    }
  | {
      executor: 'constant-arrival-rate';
      rate: number;
      timeUnit: string;
      duration: string;
      preAllocatedVUs: number;
      maxVUs: number;
    }
  | {
      executor: 'ramping-arrival-rate';
      startRate: number;
      timeUnit: string;
      stages: Array<{ target: number; duration: string }>;
      preAllocatedVUs: number;
      maxVUs: number;
    };

export const WORKLOAD_IDS = [
  'authorization_flow',
  'token_refresh',
  'session_validation',
  'tool_execution',
  'streaming',
  'concurrent_api',
  'probe_walk',
] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

export interface Workload {
  id: WorkloadId;
  flow: Flow;
  title: string;
  /** The exported function of the script that runs one iteration. */
  exec: string;
  shapes: Record<Profile, Shape>;
}

const SMOKE: Shape = { executor: 'per-vu-iterations', vus: 1, iterations: 3, maxDuration: '2m' };

export const WORKLOADS: Record<WorkloadId, Workload> = {
  authorization_flow: {
    id: 'authorization_flow',
    flow: 'auth_flow',
    title: 'PKCE authorization code flow + token exchange',
    exec: 'authorizationFlow',
    shapes: {
      smoke: SMOKE,
      load: {
        executor: 'constant-arrival-rate',
        rate: 50,
        timeUnit: '1s',
        duration: '5m',
        preAllocatedVUs: 100,
        maxVUs: 200,
      },
      stress: {
        executor: 'constant-arrival-rate',
        rate: 100,
        timeUnit: '1s',
        duration: '5m',
        preAllocatedVUs: 200,
        maxVUs: 400,
      },
      soak: {
        executor: 'constant-arrival-rate',
        rate: 50,
        timeUnit: '1s',
        duration: '1h',
        preAllocatedVUs: 100,
        maxVUs: 200,
      },
    },
  },
  token_refresh: {
    id: 'token_refresh',
    flow: 'token_refresh',
    title: 'Refresh token grant with rotation',
    exec: 'tokenRefresh',
    shapes: {
      smoke: SMOKE,
      load: {
        executor: 'ramping-arrival-rate',
        startRate: 0,
        timeUnit: '1s',
        stages: [
          { target: 100, duration: '2m' },
          { target: 500, duration: '5m' },
          { target: 0, duration: '2m' },
        ],
        preAllocatedVUs: 200,
        maxVUs: 500,
      },
      stress: {
        executor: 'ramping-arrival-rate',
        startRate: 0,
        timeUnit: '1s',
        stages: [
          { target: 200, duration: '2m' },
          { target: 1000, duration: '5m' },
          { target: 0, duration: '2m' },
        ],
        preAllocatedVUs: 400,
        maxVUs: 1000,
      },
      soak: {
        executor: 'constant-arrival-rate',
        rate: 100,
        timeUnit: '1s',
        duration: '1h',
        preAllocatedVUs: 100,
        maxVUs: 300,
      },
    },
  },
  session_validation: {
    id: 'session_validation',
    flow: 'session_validation',
    title: 'Authorized MCP requests with a bearer token',
    exec: 'sessionValidation',
    shapes: {
      smoke: SMOKE,
      load: { executor: 'per-vu-iterations', vus: 1000, iterations: 10, maxDuration: '5m' },
      stress: { executor: 'per-vu-iterations', vus: 2000, iterations: 10, maxDuration: '10m' },
      soak: { executor: 'constant-vus', vus: 200, duration: '1h' },
    },
  },
  tool_execution: {
    id: 'tool_execution',
    flow: 'tool_execution',
    title: 'MCP tools/call under ramping concurrency',
    exec: 'toolExecution',
    shapes: {
      smoke: SMOKE,
      load: {
        executor: 'ramping-vus',
        startVUs: 1,
        stages: [
          { target: 50, duration: '3m' },
          { target: 100, duration: '5m' },
          { target: 200, duration: '5m' },
          { target: 0, duration: '3m' },
        ],
      },
      stress: {
        executor: 'ramping-vus',
        startVUs: 1,
        stages: [
          { target: 100, duration: '3m' },
          { target: 200, duration: '5m' },
          { target: 400, duration: '5m' },
          { target: 0, duration: '3m' },
        ],
      },
      soak: { executor: 'constant-vus', vus: 100, duration: '1h' },
    },
  },
  streaming: {
    id: 'streaming',
    flow: 'streaming',
    title: 'Held streaming connections (WebSocket or SSE)',
    exec: 'streamingConnections',
    shapes: {
      smoke: { executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDuration: '2m' },
      load: { executor: 'constant-vus', vus: 500, duration: '10m' },
      stress: { executor: 'constant-vus', vus: 1000, duration: '10m' },
      soak: { executor: 'constant-vus', vus: 500, duration: '1h' },
    },
  },
  concurrent_api: {
    id: 'concurrent_api',
    flow: 'concurrent_api',
    title: 'Concurrent mixed API calls',
    exec: 'concurrentApi',
    shapes: {
      smoke: SMOKE,
      load: { executor: 'per-vu-iterations', vus: 100, iterations: 50, maxDuration: '10m' },
      stress: { executor: 'per-vu-iterations', vus: 200, iterations: 50, maxDuration: '15m' },
      soak: { executor: 'constant-vus', vus: 100, duration: '1h' },
    },
  },
  probe_walk: {
    id: 'probe_walk',
    flow: 'probe',
    title: 'One credentialed walk of every step',
    exec: 'probeWalk',
    // Probes are many short runs (docs/design.md): one iteration whatever the profile.
    shapes: {
      smoke: { executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDuration: '1m' },
      load: { executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDuration: '1m' },
      stress: { executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDuration: '1m' },
      soak: { executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDuration: '1m' },
    },
  },
};

/** Streaming connections each VU holds at once (one WebSocket and one SSE stream where offered). */
export const STREAMS_PER_VU = 2;
