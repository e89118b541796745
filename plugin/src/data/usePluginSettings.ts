import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { PLUGIN_ID } from '../constants';
import type { VigilJsonData, VigilSecureJsonData } from '../types';
import { useMutation } from './query';

export interface PluginSettingsUpdate {
  enabled?: boolean;
  pinned?: boolean;
  jsonData: VigilJsonData;
  /** Only the secure fields to change: Grafana overwrites each one sent (also with ''), keeps the others. */
  secureJsonData?: VigilSecureJsonData;
}

/** Saves the app's settings (Grafana's `/api/plugins/vigil-mcp-app/settings`; needs the Admin role). */
export function useSavePluginSettings() {
  return useMutation(async (settings: PluginSettingsUpdate) => {
    await lastValueFrom(
      getBackendSrv().fetch({
        url: `/api/plugins/${PLUGIN_ID}/settings`,
        method: 'POST',
        data: settings,
        showErrorAlert: false,
      })
    );
  });
}
