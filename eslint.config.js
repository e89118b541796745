import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // plugin/ is linted with its own (Grafana's) configuration: `npm run lint -w plugin`.
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'plugin/**',
      '**/coverage/**',
      '**/*.generated.*',
      'scenarios/bundles/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain JS files are Node entry points (package bins, test doubles standing in for k6).
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
);
