/**
 * Vigil's alerts from Grafana's datasources (api/alerting.ts): firing ones from Alertmanager,
 * pending ones from Prometheus, and creating a silence. The datasource uids come from the app's
 * settings (useVigilSettings: jsonData, else the catalog's defaults).
 */
import { VIGIL_ALERTNAME, type SilenceCreate, alertingClient } from '../api/alerting';
import { queryKeys } from './keys';
import { type QueryOptions, useMutation, useQuery } from './query';

/** Vigil's alerts Alertmanager holds (firing; silenced and inhibited ones included, marked so). */
export function useAlertmanagerAlerts(uid: string, options?: QueryOptions) {
  return useQuery(
    queryKeys.alertmanagerAlerts(uid),
    async () =>
      // the API filters already; this keeps the pages right should an Alertmanager ignore `filter`
      (await alertingClient.alertmanagerAlerts(uid)).filter((alert) =>
        VIGIL_ALERTNAME.test(alert.labels.alertname ?? '')
      ),
    options
  );
}

/** Vigil alerts Prometheus evaluates as pending: their condition holds, their `for` has not passed yet. */
export function usePendingAlerts(uid: string, options?: QueryOptions) {
  return useQuery(
    queryKeys.prometheusAlerts(uid),
    async () =>
      (await alertingClient.prometheusAlerts(uid)).filter(
        (alert) => alert.state === 'pending' && VIGIL_ALERTNAME.test(alert.labels.alertname ?? '')
      ),
    options
  );
}

export function useCreateSilence(uid: string) {
  return useMutation((silence: SilenceCreate) => alertingClient.createSilence(uid, silence), {
    invalidates: [queryKeys.alertmanagerAlerts(uid)],
  });
}
