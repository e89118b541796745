/**
 * Alert rules generated from the catalog. Thresholds come from SLOS (scenarios/catalog/slos.ts);
 * timing and policy knobs from settings.ts. Every alert carries `severity`, `flow` or `probe`,
 * `target`, a summary, a description with the value, and a `dashboard` link. One file per family
 * (alerts-k6.ts, alerts-probe.ts, alerts-target.ts, alerts-burn.ts; the shape in alert-def.ts); this
 * file assembles them in the order of the generated rule file.
 */
import { DASHBOARDS } from '@vigil/scenarios/catalog';
import type { AlertDef, AlertGroupId } from './alert-def.ts';
import { burnRateAlerts } from './alerts-burn.ts';
import { latencySloAlerts, loadGeneratorAlert, successRatioAlerts } from './alerts-k6.ts';
import { probeAlerts } from './alerts-probe.ts';
import { targetAlerts } from './alerts-target.ts';
import { BURN_RATE_INTERVAL, FAST_INTERVAL, SCRAPED_INTERVAL } from './settings.ts';
import { grafanaUrl, label, text, type Template } from './template.ts';

export type { AlertDef, AlertGroupId } from './alert-def.ts';

export const ALERT_GROUP_INTERVALS: Record<AlertGroupId, string> = {
  k6: FAST_INTERVAL,
  probe: SCRAPED_INTERVAL,
  target: SCRAPED_INTERVAL,
  burn: BURN_RATE_INTERVAL,
};

export function dashboardLink(def: Pick<AlertDef, 'dashboard' | 'dashboardVars'>): Template {
  const parts: Template = [grafanaUrl, text(`/d/${DASHBOARDS[def.dashboard].uid}`)];
  def.dashboardVars.forEach((name, index) =>
    parts.push(text(`${index === 0 ? '?' : '&'}var-${name}=`), label(name)),
  );
  return parts;
}

/** Every alert definition, family by family (k6, probe, target, burn), in the order of the rule files. */
export function alertDefinitions(): AlertDef[] {
  return [
    ...latencySloAlerts(),
    ...successRatioAlerts(),
    loadGeneratorAlert(),
    ...probeAlerts(),
    ...targetAlerts(),
    ...burnRateAlerts(),
  ];
}
