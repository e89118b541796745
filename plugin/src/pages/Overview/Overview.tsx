import React from 'react';
import { Link } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, EmptyState, LinkButton, Stack, Text, TextLink, Tooltip, useStyles2 } from '@grafana/ui';
import { DASHBOARDS } from '@vigil/scenarios/catalog/dashboards.ts';
import type { AlertmanagerAlert } from '../../api/alerting';
import { QueryContent } from '../../components/QueryContent/QueryContent';
import { RunnerReadiness } from '../../components/RunnerReadiness/RunnerReadiness';
import { RunsTable } from '../../components/RunsTable/RunsTable';
import { AlertLabels, AlertLinks, SeverityBadge } from '../../components/VigilAlert/VigilAlert';
import { alertState } from '../../components/VigilAlert/VigilAlert.utils';
import { VigilPage } from '../../components/VigilPage/VigilPage';
import { ROUTES } from '../../constants';
import { useAlertmanagerAlerts } from '../../data/useAlerts';
import { useProbes } from '../../data/useProbes';
import { useRunnerHealth } from '../../data/useRunnerHealth';
import { useRuns } from '../../data/useRuns';
import { MAX_PAGE_SIZE, useAllTargets } from '../../data/useTargets';
import { formatAge } from '../../utils/format';
import { canWrite } from '../../utils/permissions';
import { useVigilSettings } from '../../utils/utils.plugin';
import { prefixRoute } from '../../utils/utils.routing';
import { FailingStreak, ProbeStatus } from '../../components/ProbeResult/ProbeStatus';
import { type ProbeGridRow, type StepCell, probeGrid } from './Overview.utils';

/** How often the Overview refreshes its probes, alerts and runs. */
export const OVERVIEW_POLL_MS = 30_000;
export const RECENT_RUNS = 5;

/** The landing page: the runner's readiness, every probe step by step, the firing Vigil alerts, recent runs. */
export function Overview() {
  return (
    <VigilPage title="Overview" subTitle="Load tests and credentialed probes of OAuth 2.1 protected MCP servers">
      <Stack direction="column" gap={4}>
        <RunnerHealth />
        <ProbeGridSection />
        <FiringSection />
        <RecentRunsSection />
        <Dashboards />
      </Stack>
    </VigilPage>
  );
}

/** The runner's readiness, refreshed every 30 s. */
function RunnerHealth() {
  const health = useRunnerHealth({ refetchIntervalMs: OVERVIEW_POLL_MS });
  return (
    <QueryContent query={health} loading="Checking the runner">
      {(readiness) => <RunnerReadiness readiness={readiness} />}
    </QueryContent>
  );
}

const CELL_COLORS = { ok: 'green', failed: 'red', skipped: 'darkgrey', not_reached: 'darkgrey' } as const;
const CELL_TEXT = { ok: 'ok', failed: 'failed', skipped: 'skipped', not_reached: '—' } as const;

function StepCellView({ cell, step }: { cell: StepCell | undefined; step: string }) {
  if (!cell) {
    return <Text color="secondary">—</Text>;
  }
  return (
    <Tooltip content={`${step}: ${cell.text}`}>
      <span data-testid={`step-${step}`} data-state={cell.state}>
        <Badge color={CELL_COLORS[cell.state]} text={cell.state === 'failed' ? cell.text : CELL_TEXT[cell.state]} />
      </span>
    </Tooltip>
  );
}

function ProbeGridTable({ steps, rows }: { steps: string[]; rows: ProbeGridRow[] }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.scroll}>
      <table className={styles.grid} aria-label="Probe status by step">
        <thead>
          <tr>
            <th>Target</th>
            <th>Probe</th>
            <th>Status</th>
            <th>Last walk</th>
            <th>Failing streak</th>
            {steps.map((step) => (
              <th key={step}>{step}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ probe, targetName, cells }) => (
            <tr key={probe.id} data-testid={`probe-row-${probe.name}`}>
              <td>{targetName}</td>
              <td>
                <Link to={prefixRoute(ROUTES.Probes, probe.id)}>{probe.name}</Link>
              </td>
              <td>
                <ProbeStatus probe={probe} />
              </td>
              <td>{probe.lastResult ? formatAge(probe.lastResult.at) : <Text color="secondary">never</Text>}</td>
              <td>
                <FailingStreak probeId={probe.id} />
              </td>
              {steps.map((step) => (
                <td key={step}>
                  <StepCellView cell={cells[step as keyof typeof cells]} step={step} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Every probe's last walk, step by step (target × step), failing ones first. */
function ProbeGridSection() {
  const probes = useProbes({ limit: MAX_PAGE_SIZE, offset: 0 }, { refetchIntervalMs: OVERVIEW_POLL_MS });
  const targets = useAllTargets();
  return (
    <section aria-label="Probes">
      <Stack direction="column" gap={1}>
        <Text element="h3">Probes</Text>
        <QueryContent
          query={probes}
          loading="Loading probes"
          isEmpty={(page) => page.total === 0}
          empty={
            <EmptyState
              variant="call-to-action"
              message="No probes yet"
              button={
                canWrite() ? (
                  <LinkButton icon="plus" href={prefixRoute(ROUTES.Probes)}>
                    Create a probe
                  </LinkButton>
                ) : undefined
              }
            >
              A probe walks a target&apos;s OAuth flow and MCP calls on an interval; its steps show here.
            </EmptyState>
          }
        >
          {(page) => <ProbeGridTable {...probeGrid(page.items, targets.data?.items ?? [])} />}
        </QueryContent>
      </Stack>
    </section>
  );
}

function FiringAlert({ alert }: { alert: AlertmanagerAlert }) {
  return (
    <Stack gap={1.5} alignItems="center" wrap="wrap">
      <SeverityBadge severity={alert.labels.severity} />
      <strong>{alert.labels.alertname}</strong>
      <Text color="secondary">since {formatAge(alert.startsAt)}</Text>
      <Text>{alert.annotations.summary ?? ''}</Text>
      <AlertLabels labels={alert.labels} />
      <AlertLinks alert={alert} />
    </Stack>
  );
}

/** The Vigil alerts firing now (Alertmanager datasource); silenced and inhibited ones are left to the Alerts page. */
function FiringSection() {
  const { alertmanagerUid } = useVigilSettings();
  const alerts = useAlertmanagerAlerts(alertmanagerUid, { refetchIntervalMs: OVERVIEW_POLL_MS });
  const firing = (items: AlertmanagerAlert[]) => items.filter((alert) => alertState(alert) === 'firing');
  return (
    <section aria-label="Firing alerts">
      <Stack direction="column" gap={1}>
        <Stack gap={2} alignItems="baseline">
          <Text element="h3">Firing alerts</Text>
          <TextLink href={prefixRoute(ROUTES.Alerts)} inline={false}>
            All alerts, pending ones and silences
          </TextLink>
        </Stack>
        <QueryContent
          query={alerts}
          loading="Loading firing alerts"
          isEmpty={(items) => firing(items).length === 0}
          empty={<Text color="secondary">No Vigil alert is firing.</Text>}
        >
          {(items) => (
            <Stack direction="column" gap={1}>
              {firing(items).map((alert) => (
                <FiringAlert key={alert.fingerprint} alert={alert} />
              ))}
            </Stack>
          )}
        </QueryContent>
      </Stack>
    </section>
  );
}

function RecentRunsSection() {
  const runs = useRuns({ limit: RECENT_RUNS }, { refetchIntervalMs: OVERVIEW_POLL_MS });
  const writable = canWrite();
  return (
    <section aria-label="Recent runs">
      <Stack direction="column" gap={1}>
        <Stack gap={2} alignItems="baseline">
          <Text element="h3">Recent runs</Text>
          <TextLink href={prefixRoute(ROUTES.Runs)} inline={false}>
            All runs
          </TextLink>
        </Stack>
        <QueryContent
          query={runs}
          loading="Loading recent runs"
          isEmpty={(page) => page.items.length === 0}
          empty={
            <Text color="secondary">
              No runs yet.{' '}
              {writable && (
                <TextLink href={prefixRoute(ROUTES.Runs, 'new')} inline>
                  Start one
                </TextLink>
              )}
            </Text>
          }
        >
          {(page) => <RunsTable runs={page.items} writable={writable} />}
        </QueryContent>
      </Stack>
    </section>
  );
}

function Dashboards() {
  return (
    <section aria-label="Dashboards">
      <Stack direction="column" gap={1}>
        <Text element="h3">Dashboards</Text>
        <Stack gap={2} wrap="wrap">
          {Object.values(DASHBOARDS).map((dashboard) => (
            <TextLink key={dashboard.uid} href={`/d/${dashboard.uid}`} icon="apps" inline={false}>
              {dashboard.title}
            </TextLink>
          ))}
        </Stack>
      </Stack>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  // ten step columns do not fit a narrow screen: the grid scrolls, the page does not
  scroll: css({ overflowX: 'auto' }),
  grid: css({
    borderCollapse: 'collapse',
    width: '100%',
    'th, td': {
      padding: theme.spacing(0.75, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'left',
      whiteSpace: 'nowrap',
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
});
