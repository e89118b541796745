import React, { createContext, useContext, useState } from 'react';
import { Alert, Badge, Button, Drawer, EmptyState, InteractiveTable, Stack, Text, Tooltip } from '@grafana/ui';
import type { AlertmanagerAlert, PrometheusAlert } from '../../api/alerting';
import { QueryContent } from '../../components/QueryContent/QueryContent';
import { AlertLabels, AlertLinks, SeverityBadge } from '../../components/VigilAlert/VigilAlert';
import { alertState } from '../../components/VigilAlert/VigilAlert.utils';
import { VigilPage } from '../../components/VigilPage/VigilPage';
import { useAlertmanagerAlerts, usePendingAlerts } from '../../data/useAlerts';
import { canSilence } from '../../utils/permissions';
import { formatAge } from '../../utils/format';
import { useVigilSettings } from '../../utils/utils.plugin';
import { Notifications } from './Notifications';
import { SilenceForm } from './SilenceForm';

export const ALERTS_POLL_MS = 30_000;

/** Vigil's alerts: firing (Alertmanager), pending (Prometheus), and what the runner's receiver got. */
export function Alerts() {
  return (
    <VigilPage
      title="Alerts"
      subTitle="Vigil's SLO, probe and runner alerts, from Alertmanager and Prometheus, and the runner's own receiver"
    >
      <Stack direction="column" gap={4}>
        <FiringAlerts />
        <PendingAlerts />
        <Notifications />
      </Stack>
    </VigilPage>
  );
}

const SilenceContext = createContext<{ onSilence?: (alert: AlertmanagerAlert) => void }>({});

type FiringCell = { row: { original: AlertmanagerAlert } };

function StateCell({ alert }: { alert: AlertmanagerAlert }) {
  const state = alertState(alert);
  const badge = (
    <Badge
      color={state === 'firing' ? 'red' : 'darkgrey'}
      text={state}
      icon={state === 'silenced' ? 'bell-slash' : 'fire'}
    />
  );
  return state === 'firing' ? (
    badge
  ) : (
    <Tooltip content={[...alert.status.silencedBy, ...alert.status.inhibitedBy].join(', ')}>{badge}</Tooltip>
  );
}

function SilenceCell({ alert }: { alert: AlertmanagerAlert }) {
  const { onSilence } = useContext(SilenceContext);
  if (!onSilence || alertState(alert) === 'silenced') {
    return null;
  }
  return (
    <Button
      size="sm"
      variant="secondary"
      icon="bell-slash"
      aria-label={`Silence ${alert.labels.alertname} ${alert.fingerprint}`}
      onClick={() => onSilence(alert)}
    >
      Silence
    </Button>
  );
}

const FIRING_COLUMNS = [
  { id: 'alertname', header: 'Alert', cell: ({ row }: FiringCell) => <strong>{row.original.labels.alertname}</strong> },
  {
    id: 'severity',
    header: 'Severity',
    cell: ({ row }: FiringCell) => <SeverityBadge severity={row.original.labels.severity} />,
  },
  { id: 'state', header: 'State', cell: ({ row }: FiringCell) => <StateCell alert={row.original} /> },
  {
    id: 'summary',
    header: 'Summary',
    cell: ({ row }: FiringCell) => (
      <Tooltip
        content={row.original.annotations.description ?? ''}
        show={Boolean(row.original.annotations.description)}
      >
        <span>{row.original.annotations.summary ?? ''}</span>
      </Tooltip>
    ),
  },
  { id: 'labels', header: 'Labels', cell: ({ row }: FiringCell) => <AlertLabels labels={row.original.labels} /> },
  { id: 'since', header: 'Since', cell: ({ row }: FiringCell) => formatAge(row.original.startsAt) },
  { id: 'links', header: 'Look at', cell: ({ row }: FiringCell) => <AlertLinks alert={row.original} /> },
  { id: 'actions', header: '', cell: ({ row }: FiringCell) => <SilenceCell alert={row.original} /> },
];

function FiringAlerts() {
  const { alertmanagerUid } = useVigilSettings();
  const alerts = useAlertmanagerAlerts(alertmanagerUid, { refetchIntervalMs: ALERTS_POLL_MS });
  const [silencing, setSilencing] = useState<AlertmanagerAlert | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const onSilence = canSilence()
    ? (alert: AlertmanagerAlert) => {
        setCreated(null);
        setSilencing(alert);
      }
    : undefined;

  return (
    <section aria-label="Firing alerts">
      <Stack direction="column" gap={1}>
        <Text element="h3">Firing</Text>
        <Text color="secondary">
          From the Alertmanager datasource <code>{alertmanagerUid}</code>, silenced and inhibited ones included.
        </Text>
        {created && <Alert severity="success" title={`Silence ${created} created`} onRemove={() => setCreated(null)} />}
        <SilenceContext.Provider value={{ onSilence }}>
          <QueryContent
            query={alerts}
            loading="Loading firing alerts"
            isEmpty={(items) => items.length === 0}
            empty={
              <EmptyState variant="completed" message="No Vigil alert is firing">
                SLO breaches of runs, failing or stale probes, spec findings and runner problems show up here once
                Prometheus fires them.
              </EmptyState>
            }
          >
            {(items) => (
              <InteractiveTable
                columns={FIRING_COLUMNS}
                data={items}
                getRowId={(alert: AlertmanagerAlert) => alert.fingerprint}
              />
            )}
          </QueryContent>
        </SilenceContext.Provider>
      </Stack>
      {silencing && (
        <Drawer title={`Silence ${silencing.labels.alertname}`} onClose={() => setSilencing(null)} size="md">
          <SilenceForm
            alert={silencing}
            alertmanagerUid={alertmanagerUid}
            onDone={(id) => {
              setSilencing(null);
              setCreated(id);
            }}
            onCancel={() => setSilencing(null)}
          />
        </Drawer>
      )}
    </section>
  );
}

type PendingRow = PrometheusAlert & { key: string };
type PendingCell = { row: { original: PendingRow } };

const PENDING_COLUMNS = [
  {
    id: 'alertname',
    header: 'Alert',
    cell: ({ row }: PendingCell) => <strong>{row.original.labels.alertname}</strong>,
  },
  {
    id: 'severity',
    header: 'Severity',
    cell: ({ row }: PendingCell) => <SeverityBadge severity={row.original.labels.severity} />,
  },
  { id: 'summary', header: 'Summary', cell: ({ row }: PendingCell) => row.original.annotations.summary ?? '' },
  { id: 'labels', header: 'Labels', cell: ({ row }: PendingCell) => <AlertLabels labels={row.original.labels} /> },
  { id: 'activeAt', header: 'Pending since', cell: ({ row }: PendingCell) => formatAge(row.original.activeAt) },
  { id: 'links', header: 'Look at', cell: ({ row }: PendingCell) => <AlertLinks alert={row.original} /> },
];

function PendingAlerts() {
  const { prometheusUid } = useVigilSettings();
  const alerts = usePendingAlerts(prometheusUid, { refetchIntervalMs: ALERTS_POLL_MS });
  return (
    <section aria-label="Pending alerts">
      <Stack direction="column" gap={1}>
        <Text element="h3">Pending</Text>
        <Text color="secondary">
          Their condition holds but not yet for the rule&apos;s <code>for</code> duration (Prometheus datasource{' '}
          <code>{prometheusUid}</code>); Alertmanager hears of them once they fire.
        </Text>
        <QueryContent
          query={alerts}
          loading="Loading pending alerts"
          isEmpty={(items) => items.length === 0}
          empty={<Text color="secondary">No Vigil alert is pending.</Text>}
        >
          {(items) => (
            <InteractiveTable
              columns={PENDING_COLUMNS}
              data={items.map((alert) => ({ ...alert, key: JSON.stringify(alert.labels) }))}
              getRowId={(alert: PendingRow) => alert.key}
            />
          )}
        </QueryContent>
      </Stack>
    </section>
  );
}
