import React, { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Badge, Drawer, EmptyState, InteractiveTable, Stack, Text } from '@grafana/ui';
import type { Probe, ProbeResult } from '../../api/types';
import { ProbeResultView } from '../../components/ProbeResult/ProbeResultView';
import { resultStatus } from '../../components/ProbeResult/ProbeResult.utils';
import { QueryContent } from '../../components/QueryContent/QueryContent';
import { VigilPage } from '../../components/VigilPage/VigilPage';
import { ROUTES } from '../../constants';
import { useProbe, useProbeResults } from '../../data/useProbes';
import { useAllTargets } from '../../data/useTargets';
import { formatAge, formatMs, formatSeconds } from '../../utils/format';
import { canWrite } from '../../utils/permissions';
import { useVigilSettings } from '../../utils/utils.plugin';
import { prefixRoute } from '../../utils/utils.routing';
import { ProbeActions } from './ProbeActions';
import { FailingStreak, ProbeStatus } from '../../components/ProbeResult/ProbeStatus';
import { ProbeForm } from './ProbeForm';

const resultColumns = [
  { id: 'at', header: 'When', cell: ({ row }: { row: { original: ProbeResult } }) => formatAge(row.original.at) },
  {
    id: 'status',
    header: 'Result',
    cell: ({ row }: { row: { original: ProbeResult } }) => {
      const status = resultStatus(row.original);
      return <Badge color={status.color} text={status.text} />;
    },
  },
  {
    id: 'durationMs',
    header: 'Duration',
    cell: ({ row }: { row: { original: ProbeResult } }) => formatMs(row.original.durationMs),
  },
  {
    id: 'findings',
    header: 'Findings',
    cell: ({ row }: { row: { original: ProbeResult } }) => String(row.original.findings.length),
  },
  {
    id: 'runnerError',
    header: 'Runner error',
    cell: ({ row }: { row: { original: ProbeResult } }) => row.original.runnerError?.message ?? '',
  },
];

function Summary({ probe, targetName }: { probe: Probe; targetName: string }) {
  const items: Array<[string, React.ReactNode]> = [
    ['Status', <ProbeStatus key="status" probe={probe} />],
    ['Target', targetName],
    ['Every', formatSeconds(probe.intervalSeconds)],
    ['Timeout', formatSeconds(probe.timeoutSeconds)],
    ['Strict', probe.strict],
    ['Failing streak', <FailingStreak key="streak" probeId={probe.id} />],
    ['Skipped runs', String(probe.skippedRuns)],
  ];
  return (
    <Stack gap={4} wrap="wrap">
      {items.map(([label, value]) => (
        <Stack key={label} direction="column" gap={0.5}>
          <Text color="secondary" variant="bodySmall">
            {label}
          </Text>
          <div>{value}</div>
        </Stack>
      ))}
    </Stack>
  );
}

/** One probe: its settings and state, its last walk (steps and spec findings), its recent results. */
export function ProbeDetail() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { isRunnerConfigured: enabled } = useVigilSettings();
  const probe = useProbe(id, { refetchIntervalMs: 30_000, enabled });
  const results = useProbeResults(id, { limit: 20 }, { enabled });
  const targets = useAllTargets({ enabled });
  const [editing, setEditing] = useState(false);
  const writable = canWrite();

  const actions =
    probe.data && writable ? (
      <ProbeActions
        probe={probe.data}
        onEdit={() => setEditing(true)}
        onDeleted={() => navigate(prefixRoute(ROUTES.Probes))}
      />
    ) : undefined;

  return (
    <VigilPage
      title={probe.data?.name ?? 'Probe'}
      parent={{ text: 'Probes', url: prefixRoute(ROUTES.Probes) }}
      actions={actions}
    >
      <QueryContent query={probe} loading="Loading the probe">
        {(data) => (
          <Stack direction="column" gap={3}>
            <Summary
              probe={data}
              targetName={targets.data?.items.find((target) => target.id === data.targetId)?.name ?? data.targetId}
            />
            <Text element="h3">Last walk</Text>
            {data.lastResult ? (
              <ProbeResultView result={data.lastResult} strict={data.strict} />
            ) : (
              <EmptyState variant="not-found" message="This probe has not walked yet">
                {data.enabled
                  ? 'Its first walk is due within an interval; Run now walks it at once.'
                  : 'It is disabled.'}
              </EmptyState>
            )}
            <Text element="h3">Recent results</Text>
            <QueryContent
              query={results}
              loading="Loading results"
              isEmpty={(page) => page.items.length === 0}
              empty={<Text color="secondary">No results yet.</Text>}
            >
              {(page) => (
                <InteractiveTable
                  columns={resultColumns}
                  data={page.items}
                  getRowId={(result: ProbeResult) => String(result.id)}
                />
              )}
            </QueryContent>
          </Stack>
        )}
      </QueryContent>
      {editing && probe.data && (
        <Drawer title={`Edit probe ${probe.data.name}`} onClose={() => setEditing(false)} size="md">
          <ProbeForm probe={probe.data} onDone={() => setEditing(false)} onCancel={() => setEditing(false)} />
        </Drawer>
      )}
    </VigilPage>
  );
}
