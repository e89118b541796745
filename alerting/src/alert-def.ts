/** The shape of one alert definition, shared by the family files (alerts-*.ts) and alerts.ts. */
import type { DashboardKey } from '@vigil/scenarios/catalog';
import type { Severity } from './settings.ts';
import type { Template } from './template.ts';

export type AlertGroupId = 'k6' | 'probe' | 'target' | 'burn';

export interface AlertDef {
  group: AlertGroupId;
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string> & { severity: Severity };
  summary: Template;
  description: Template;
  dashboard: DashboardKey;
  /** Labels passed to the dashboard as `var-<label>`. */
  dashboardVars: string[];
}
