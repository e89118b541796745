/**
 * Modules of Grafana's packages that Grafana core imports from their sources but the packages do
 * not export; the host bundle resolves `test-host-internal:<package>/<file>` to that file
 * (server/bundle.ts), so it is the same module instance the package's index uses.
 */
declare module 'test-host-internal:@grafana/i18n/dist/esm/i18n.mjs' {
  export function initializeI18n(options: { language?: string; ns?: string[] }): Promise<{ language?: string }>;
}

declare module 'test-host-internal:@grafana/runtime/dist/esm/components/PluginPage.mjs' {
  import type { PluginPageType } from '@grafana/runtime';
  export function setPluginPage(component: PluginPageType): void;
}

/** prismjs ships no types; the host only passes the module on to plugins. */
declare module 'prismjs';
