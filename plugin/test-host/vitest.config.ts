/**
 * The test host's own suite and the browser tests of the production build — separate from the
 * plugin's Jest unit tests (`npm test -w plugin` runs Jest first, then this). Files run one after
 * the other: each browser test owns one Chromium.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  // Beside the plugin's other caches, not a node_modules/ inside test-host.
  cacheDir: path.join(root, '..', 'node_modules', '.vite', 'test-host'),
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
