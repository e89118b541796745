/**
 * Renders the app (or one component) as Grafana would: inside a router at /a/vigil-mcp-app/…, with
 * the plugin meta (jsonData) and a fresh query cache.
 */
import React from 'react';
import { render } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { type AppPluginMeta, type AppRootProps, PluginType } from '@grafana/data';
import App from '../components/App/App';
import { PLUGIN_BASE_URL, PLUGIN_ID } from '../constants';
import { QueryClient, QueryProvider } from '../data/query';
import type { VigilJsonData } from '../types';
import { PluginPropsContext } from '../utils/utils.plugin';

export const CONFIGURED: VigilJsonData = { runnerUrl: 'http://runner.test:8090' };

export function pluginMeta(
  jsonData: VigilJsonData = CONFIGURED,
  secureJsonFields: Record<string, boolean> = { runnerToken: true }
): AppPluginMeta<VigilJsonData> {
  return {
    id: PLUGIN_ID,
    name: 'Vigil',
    type: PluginType.app,
    module: `public/plugins/${PLUGIN_ID}/module.js`,
    baseUrl: `public/plugins/${PLUGIN_ID}`,
    enabled: true,
    pinned: true,
    jsonData,
    secureJsonFields,
    info: {
      author: { name: 'Vigil' },
      description: '',
      links: [],
      logos: { small: '', large: '' },
      screenshots: [],
      updated: '',
      version: '',
    },
  } as AppPluginMeta<VigilJsonData>;
}

function rootProps(meta: AppPluginMeta<VigilJsonData>): AppRootProps<VigilJsonData> {
  return { meta, basename: PLUGIN_BASE_URL, query: {}, path: PLUGIN_BASE_URL, onNavChanged: () => undefined } as never;
}

/** The whole app at a page path, e.g. renderApp('targets'). */
export function renderApp(page: string, jsonData: VigilJsonData = CONFIGURED) {
  const props = rootProps(pluginMeta(jsonData));
  return render(
    <MemoryRouter initialEntries={[`${PLUGIN_BASE_URL}/${page}`]}>
      <Routes>
        <Route path={`${PLUGIN_BASE_URL}/*`} element={<App {...props} />} />
      </Routes>
    </MemoryRouter>
  );
}

/** One component with the app's context (plugin props, a fresh query cache, a router). */
export function renderInApp(ui: React.ReactElement, jsonData: VigilJsonData = CONFIGURED) {
  const props = rootProps(pluginMeta(jsonData));
  return render(
    <MemoryRouter initialEntries={[PLUGIN_BASE_URL]}>
      <PluginPropsContext.Provider value={props}>
        <QueryProvider client={new QueryClient()}>{ui}</QueryProvider>
      </PluginPropsContext.Provider>
    </MemoryRouter>
  );
}
