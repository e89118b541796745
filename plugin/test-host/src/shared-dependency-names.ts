/**
 * The bare module names the test host provides to a plugin (keys of shared-dependencies.ts,
 * checked there at start-up). Kept apart so the Node side can read it without loading React.
 */
export const SHARED_DEPENDENCY_NAMES: readonly string[] = [
  '@emotion/css',
  '@emotion/react',
  '@grafana/data',
  '@grafana/data/unstable',
  '@grafana/runtime',
  '@grafana/runtime/unstable',
  '@grafana/ui',
  '@grafana/ui/unstable',
  'emotion',
  'i18next',
  'jquery',
  'lodash',
  'moment',
  'prismjs',
  'react',
  'react-dom',
  'react-dom/client',
  'react-redux',
  'react-router',
  'react/jsx-dev-runtime',
  'react/jsx-runtime',
  'redux',
  'rxjs',
  'rxjs/operators',
];

/** Resolved by SystemJS's AMD extra itself, not by the host (it becomes `{ exports, uri }`). */
export const AMD_BUILTINS: readonly string[] = ['module', 'exports', 'require'];
