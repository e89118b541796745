import { defineConfig } from 'vitest/config';

// The end-to-end test brings the whole stack up and waits for real alert notifications: minutes.
export default defineConfig({
  test: { testTimeout: 300_000, hookTimeout: 120_000, fileParallelism: false },
});
