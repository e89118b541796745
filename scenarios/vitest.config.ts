import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The scenario tests run the scripts' SLO thresholds (e.g. auth flow p95 < 200 ms) against a
    // real target; two files loading both cores at once pushed a smoke run over its p95.
    fileParallelism: false,
  },
});
