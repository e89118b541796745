/**
 * TEST DOUBLE of Grafana's plugin loader (public/app/features/plugins/loader/ and
 * importer/pluginImporter.ts): every shared dependency becomes a SystemJS module `app:<name>`
 * (System.set, or a named System.register for the lazy ones, as Grafana's addPreload does) and an
 * import map sends the bare name there; then the production module.js is imported with SystemJS's
 * AMD extra, which also answers the `module` dependency itself with `{ exports, uri }` (the plugin
 * derives its webpack public path from `uri`, so its chunks load from /public/plugins/<id>/).
 * Afterwards the app plugin gets `init(meta)`, `meta` and `setComponentsFromLegacyExports`, as in
 * Grafana's appPluginPostImport.
 */
import { AppPlugin, type AppPluginMeta } from '@grafana/data';

import { eagerDependencies, lazyDependencies, type SharedModule } from './shared-dependencies';

interface SystemJSLike {
  set(id: string, module: object): void;
  register(name: string, deps: string[], declare: (exportFn: (exports: object) => void) => object): void;
  addImportMap(map: { imports: Record<string, string> }): void;
  import(id: string): Promise<Record<string, unknown>>;
}

declare global {
  interface Window {
    System: SystemJSLike;
  }
}

export const SHARED_DEPENDENCY_PREFIX = 'app';

/**
 * An object SystemJS keeps as-is (it copies anything not tagged 'Module'): getters keep ES live
 * bindings such as @grafana/runtime's `PluginPage`, which `setPluginPage` replaces.
 */
function liveNamespace(module: SharedModule): object {
  const namespace = Object.create(null);
  for (const key of Object.keys(module)) {
    Object.defineProperty(namespace, key, { enumerable: true, get: () => module[key] });
  }
  Object.defineProperty(namespace, Symbol.toStringTag, { value: 'Module' });
  return namespace;
}

export function registerSharedDependencies(): Record<string, string> {
  const System = window.System;
  const imports: Record<string, string> = {};
  for (const [name, module] of Object.entries(eagerDependencies)) {
    const id = `${SHARED_DEPENDENCY_PREFIX}:${name}`;
    System.set(id, liveNamespace(module));
    imports[name] = id;
  }
  for (const [name, load] of Object.entries(lazyDependencies)) {
    const id = `${SHARED_DEPENDENCY_PREFIX}:${name}`;
    System.register(id, [], (exportFn) => ({
      execute: async () => {
        exportFn(await load());
      },
    }));
    imports[name] = id;
  }
  System.addImportMap({ imports });
  return imports;
}

export async function importAppPlugin(meta: AppPluginMeta, moduleUrl: string): Promise<AppPlugin> {
  let pluginExports: Record<string, unknown>;
  try {
    pluginExports = await window.System.import(moduleUrl);
  } catch (error) {
    // Grafana's importPluginModule logs this too before rethrowing.
    throw new Error(`Could not load plugin: ${error instanceof Error ? error.stack || error.message : String(error)}`);
  }
  // A module with top-level await (the scaffold's `await initPluginTranslations(...)`) or async
  // WebAssembly makes webpack's AMD factory return a promise, so SystemJS's namespace is
  // `{ default: Promise }`. Grafana resolves such defaults until it finds `plugin`
  // (grafana/grafana#82299).
  while (!pluginExports.plugin && isThenable(pluginExports.default)) {
    pluginExports = (await pluginExports.default) as Record<string, unknown>;
  }
  const plugin = (pluginExports.plugin as AppPlugin | undefined) ?? new AppPlugin();
  if (!(plugin instanceof AppPlugin)) {
    throw new Error(
      `test host: module.js exports a "plugin" that is not an AppPlugin of the shared @grafana/data (keys: ${Object.keys(pluginExports)})`
    );
  }
  plugin.init(meta);
  plugin.meta = meta;
  plugin.setComponentsFromLegacyExports(pluginExports);
  return plugin;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}
