/**
 * The packages the test host shares with a plugin, under the bare names a plugin's webpack build
 * keeps external (plugin/.config/bundler/externals.ts). Like Grafana's
 * public/app/features/plugins/loader/sharedDependencies.ts, each is registered with SystemJS as
 * `app:<name>` and an import map sends the bare name there (see loader.ts).
 *
 * The host bundles these from node_modules (the versions the plugin was built against); eager
 * entries are in the host's main chunk, lazy ones are separate chunks loaded only when a plugin
 * asks for them. Not provided (not installed here, or Angular-era): d3, angular, slate,
 * slate-plain-serializer, @grafana/slate-react, app/core/* and jquery.flot.*. A plugin that needs one fails to start with
 * a message naming it (server/host.ts checks module.js's define() list first).
 */
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import i18next from 'i18next';
import * as lodash from 'lodash';
import * as react from 'react';
import * as reactDom from 'react-dom';
import * as reactJsxRuntime from 'react/jsx-runtime';
import * as reactRouter from 'react-router';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';
import { SHARED_DEPENDENCY_NAMES } from './shared-dependency-names';

export type SharedModule = Record<string, unknown>;

/** Eager: already in the host bundle, since the shell itself runs on them. */
export const eagerDependencies: Record<string, SharedModule> = {
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  emotion: emotionCss,
  '@grafana/data': grafanaData,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/ui': grafanaUi,
  // Grafana shares its i18next *instance* (getI18nInstance()), so a plugin's bundled
  // @grafana/i18n adds its resources to the instance Grafana initialised.
  i18next: { default: i18next, __useDefault: true },
  // Grafana adds `move` to lodash for old plugins.
  lodash: { ...lodash, move: moveArrayItem, __useDefault: true },
  react,
  'react-dom': reactDom,
  'react/jsx-runtime': reactJsxRuntime,
  'react/jsx-dev-runtime': reactJsxRuntime,
  // Grafana exposes a react-router v6 under this name (it uses react-router-dom-v5-compat,
  // which re-exports react-router v6); the host gives the react-router v6 the plugin built with.
  'react-router': reactRouter,
  rxjs,
  'rxjs/operators': rxjsOperators,
};

/** Lazy: loaded on first import, as Grafana does with `() => import(...)` entries. */
export const lazyDependencies: Record<string, () => Promise<SharedModule>> = {
  '@grafana/data/unstable': () => import('@grafana/data/unstable'),
  '@grafana/runtime/unstable': () => import('@grafana/runtime/unstable'),
  '@grafana/ui/unstable': () => import('@grafana/ui/unstable'),
  'react-dom/client': () => import('react-dom/client'),
  moment: () => import('moment').then((module) => ({ ...module, __useDefault: true })),
  jquery: () => import('jquery').then((module) => ({ default: module.default, __useDefault: true })),
  prismjs: () => import('prismjs'),
  redux: () => import('redux'),
  'react-redux': () => import('react-redux'),
};

/** The Node side checks module.js's externals against this list; it must name both maps' keys. */
export function checkNamesMatch(): void {
  const keys = [...Object.keys(eagerDependencies), ...Object.keys(lazyDependencies)].sort();
  const names = [...SHARED_DEPENDENCY_NAMES].sort();
  if (JSON.stringify(keys) !== JSON.stringify(names)) {
    throw new Error(`test host: shared-dependency-names.ts (${names}) differs from shared-dependencies.ts (${keys})`);
  }
}

function moveArrayItem<T>(array: T[], fromIndex: number, toIndex: number): T[] {
  array.splice(toIndex, 0, array.splice(fromIndex, 1)[0]);
  return array;
}
