/**
 * What a Vigil alert is about and where to look, from the labels the rules in alerting/ put on it:
 * `testid` is the run id the runner tags k6 samples with, `probe` and `target` are names.
 */
import type { AlertmanagerAlert } from '../../api/alerting';
import type { Probe, Target } from '../../api/types';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';

/** Labels shown as columns or implied; the rest are listed as chips. */
const SHOWN_APART = new Set(['alertname', 'severity']);

export type AlertState = 'firing' | 'silenced' | 'inhibited';

export function alertState(alert: Pick<AlertmanagerAlert, 'status'>): AlertState {
  if (alert.status.silencedBy.length > 0) {
    return 'silenced';
  }
  return alert.status.inhibitedBy.length > 0 ? 'inhibited' : 'firing';
}

export function otherLabels(labels: Record<string, string>): Array<[string, string]> {
  return Object.entries(labels)
    .filter(([name]) => !SHOWN_APART.has(name))
    .sort(([a], [b]) => a.localeCompare(b));
}

export interface AlertLink {
  text: string;
  href: string;
  /** A link out of the app (the rule's dashboard annotation). */
  external?: boolean;
}

/**
 * Where to look: the run (`testid` is the run id the runner tags k6 samples with), the probe (its
 * name is the `probe` label), the target's runs, and the rule's dashboard annotation.
 */
export function alertLinks(
  alert: { labels: Record<string, string>; annotations: Record<string, string> },
  probes: ReadonlyArray<Pick<Probe, 'id' | 'name'>>,
  targets: ReadonlyArray<Pick<Target, 'id' | 'name'>>
): AlertLink[] {
  const links: AlertLink[] = [];
  const { testid, probe, target } = alert.labels;
  if (testid) {
    links.push({ text: `Run ${testid}`, href: prefixRoute(ROUTES.Runs, testid) });
  }
  const probeId = probe ? probes.find((candidate) => candidate.name === probe)?.id : undefined;
  if (probe && probeId) {
    links.push({ text: `Probe ${probe}`, href: prefixRoute(ROUTES.Probes, probeId) });
  }
  const targetId = target ? targets.find((candidate) => candidate.name === target)?.id : undefined;
  if (target && targetId) {
    links.push({
      text: `Runs on ${target}`,
      href: `${prefixRoute(ROUTES.Runs)}?target=${encodeURIComponent(targetId)}`,
    });
  }
  const dashboard = alert.annotations.dashboard;
  if (dashboard && /^(https?:\/\/|\/)/.test(dashboard)) {
    links.push({ text: 'Dashboard', href: dashboard, external: /^https?:/.test(dashboard) });
  }
  return links;
}
