import { useContext, createContext } from 'react';
import type { AppRootProps } from '@grafana/data';
import { DATASOURCE_UIDS } from '@vigil/scenarios/catalog/dashboards.ts';
import type { VigilJsonData } from '../types';

/** The app root's props (plugin meta with jsonData), for any component inside the app. */
export const PluginPropsContext = createContext<AppRootProps<VigilJsonData> | null>(null);

export const usePluginProps = () => useContext(PluginPropsContext);

export const usePluginMeta = () => usePluginProps()?.meta;

export interface VigilSettings {
  /** The runner URL Grafana's proxy uses ('' when not set). */
  runnerUrl: string;
  /** False until an admin set the runner URL: pages then ask for the configuration instead of calling. */
  isRunnerConfigured: boolean;
  /** Whether a runner token is stored (its value never reaches the browser). */
  hasRunnerToken: boolean;
  prometheusUid: string;
  alertmanagerUid: string;
}

/** The app's settings with the catalog's defaults filled in. */
export function settingsOf(meta: AppRootProps<VigilJsonData>['meta'] | undefined): VigilSettings {
  const jsonData = meta?.jsonData ?? {};
  const runnerUrl = (jsonData.runnerUrl ?? '').trim();
  return {
    runnerUrl,
    isRunnerConfigured: runnerUrl !== '',
    hasRunnerToken: Boolean(meta?.secureJsonFields?.runnerToken),
    prometheusUid: jsonData.prometheusUid || DATASOURCE_UIDS.prometheus,
    alertmanagerUid: jsonData.alertmanagerUid || DATASOURCE_UIDS.alertmanager,
  };
}

export const useVigilSettings = (): VigilSettings => settingsOf(usePluginMeta());
