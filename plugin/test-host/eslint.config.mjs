// The plugin's ESLint configuration (Grafana's) only matches src/**; this applies it to the test
// host too: `npm run lint -w plugin` runs both.
import { defineConfig } from 'eslint/config';
import baseConfig from '../.config/eslint.config.mjs';

export default defineConfig([
  { ignores: ['artifacts/'] },
  ...baseConfig,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-deprecated': 'off',
    },
  },
]);
