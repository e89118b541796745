/**
 * The test host's page script — a TEST DOUBLE of Grafana's frontend boot
 * (public/app/app.ts) for one app plugin. Order as in Grafana: registries and services first
 * (everything a plugin reaches through @grafana/runtime's setters), translations, the SystemJS
 * shared dependencies, then the plugin settings (`GET /api/plugins/<id>/settings` = the meta), the
 * production module.js, and the shell. `window.__testHost` (src/status.ts) reports the state to
 * tests: `{ state: 'loading' | 'ready' | 'failed', error?, pluginId, externals, runtime }`.
 */
import {
  type AppPluginMeta,
  type DataSourceInstanceSettings,
  EventBusSrv,
  standardTransformers,
  standardTransformersRegistry,
} from '@grafana/data';
import {
  FakeEchoSrv,
  config,
  getBackendSrv,
  getDataSourceSrv,
  locationService,
  setAppEvents,
  setBackendSrv,
  setChromeHeaderHeightHook,
  setDataSourceSrv,
  setEchoSrv,
  setLocationSrv,
  setMegaMenuOpenHook,
  setPluginComponentHook,
  setPluginComponentsHook,
  setPluginFunctionsHook,
  setPluginImportUtils,
  setPluginLinksHook,
  setReturnToPreviousHook,
  setRunRequest,
  setTemplateSrv,
} from '@grafana/runtime';
import React from 'react';
import { createRoot } from 'react-dom/client';
import { initializeI18n } from 'test-host-internal:@grafana/i18n/dist/esm/i18n.mjs';
import { setPluginPage } from 'test-host-internal:@grafana/runtime/dist/esm/components/PluginPage.mjs';

import { TestHostBackendSrv } from './backend-srv';
import { TestHostDataSourceSrv } from './datasources';
import { interceptLinkClicks } from './link-clicks';
import { importAppPlugin, registerSharedDependencies } from './loader';
import { runRequest } from './run-request';
import { checkNamesMatch } from './shared-dependencies';
import { Shell, StandInPluginPage } from './shell';
import { getStandInPanelFromCache, importStandInPanel } from './stand-in-panels';
import './status';
import { TestHostTemplateSrv } from './template-srv';

export interface TestHostPageConfig {
  pluginId: string;
  moduleUrl: string;
  externals: string[];
}

declare global {
  interface Window {
    __testHostConfig: TestHostPageConfig;
  }
}

async function boot(pageConfig: TestHostPageConfig): Promise<void> {
  checkNamesMatch();

  // Registries Grafana core fills at start-up (only @grafana/data's transformers exist outside it).
  // (standardTransformers lists some transformers twice, under an old and a new export name.)
  standardTransformersRegistry.setInit(() =>
    [...new Map(Object.values(standardTransformers).map((transformer) => [transformer.id, transformer])).values()].map(
      (transformer) => ({
        id: transformer.id,
        aliasIds: transformer.aliasIds,
        name: transformer.name,
        description: transformer.description,
        // Grafana 13 loads transformers lazily: the registry holds a loader.
        transformation: () => Promise.resolve(transformer),
        editor: () => null,
        imageDark: '',
        imageLight: '',
      })
    )
  );

  const appEvents = new EventBusSrv();
  setAppEvents(appEvents);
  setEchoSrv(new FakeEchoSrv());
  const backendSrv = new TestHostBackendSrv();
  setBackendSrv(backendSrv);
  const templateSrv = new TestHostTemplateSrv();
  setTemplateSrv(templateSrv);
  setDataSourceSrv(
    new TestHostDataSourceSrv(
      config.datasources as unknown as Record<string, DataSourceInstanceSettings>,
      backendSrv,
      templateSrv
    )
  );
  setRunRequest(runRequest);
  setPluginImportUtils({
    importPanelPlugin: (id) => importStandInPanel(id, config.buildInfo.version),
    getPanelPluginFromCache: getStandInPanelFromCache,
  });
  setPluginPage(StandInPluginPage);
  setLocationSrv({
    update: ({ path, query, partial, replace }) => {
      if (partial && query) {
        locationService.partial(query, replace);
      } else {
        const search = query ? `?${new URLSearchParams(query as Record<string, string>)}` : '';
        const target = `${path ?? locationService.getLocation().pathname}${search}`;
        replace ? locationService.replace(target) : locationService.push(target);
      }
    },
  });
  // No other plugins exist in the test host: every extension point is empty.
  setPluginLinksHook(() => ({ links: [], isLoading: false }));
  setPluginComponentsHook(() => ({ components: [], isLoading: false }));
  setPluginComponentHook(() => ({ component: null, isLoading: false }));
  setPluginFunctionsHook(() => ({ functions: [], isLoading: false }));
  setReturnToPreviousHook(() => () => {});
  setChromeHeaderHeightHook(() => 40);
  setMegaMenuOpenHook(() => [false, () => {}] as const);
  // Grafana's app.ts: plain <a href> clicks navigate inside the single-page app.
  document.addEventListener('click', interceptLinkClicks);

  await initializeI18n({ language: config.bootData.user.language ?? 'en-US', ns: ['grafana'] });
  window.__testHost.sharedDependencies = registerSharedDependencies();

  const meta = await backendSrv.get<AppPluginMeta>(`/api/plugins/${pageConfig.pluginId}/settings`);
  const plugin = await importAppPlugin(meta, pageConfig.moduleUrl);

  window.__testHost.runtime = { getDataSourceSrv, getBackendSrv, locationService };
  const container = document.getElementById('reactRoot')!;
  createRoot(container).render(<Shell plugin={plugin} appEvents={appEvents} />);
}

const pageConfig = window.__testHostConfig;
window.__testHost = { state: 'loading', pluginId: pageConfig.pluginId, externals: pageConfig.externals };
boot(pageConfig).then(
  () => {
    window.__testHost.state = 'ready';
  },
  (error: unknown) => {
    const text = error instanceof Error ? error.stack || error.message : String(error);
    window.__testHost.state = 'failed';
    window.__testHost.error = text;
    console.error(`test host: the plugin did not start: ${text}`);
    const pre = document.createElement('pre');
    pre.dataset.testid = 'test-host-boot-error';
    pre.textContent = text;
    document.body.appendChild(pre);
  }
);
