/** Dashboard-level settings every Vigil dashboard shares, and the final build step. */
import {
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  type Dashboard,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DASHBOARDS, type DashboardKey } from '@vigil/scenarios/catalog';

export const VIGIL_TAG = 'vigil';

export function vigilDashboard(key: DashboardKey, description: string): DashboardBuilder {
  const { uid, title } = DASHBOARDS[key];
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags([VIGIL_TAG, key])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-1h', to: 'now' })
    .refresh('30s')
    .timezone('browser')
    .link(
      new DashboardLinkBuilder('Vigil dashboards')
        .type(DashboardLinkType.Dashboards)
        .tags([VIGIL_TAG])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true),
    );
}

/**
 * Builds the dashboard and numbers its panels 1..n in layout order (the SDK leaves `id` unset on
 * panels, and Grafana needs ids unique within a dashboard for links and repeat).
 */
export function build(dashboard: DashboardBuilder): Dashboard {
  const built = dashboard.build();
  let nextId = 1;
  for (const panel of built.panels ?? []) {
    panel.id = nextId++;
    for (const nested of 'panels' in panel ? (panel.panels ?? []) : []) nested.id = nextId++;
  }
  return built;
}
