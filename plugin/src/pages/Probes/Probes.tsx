import React, { createContext, useContext, useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Drawer, EmptyState, InteractiveTable, Pagination, Stack, Text } from '@grafana/ui';
import type { Probe } from '../../api/types';
import { FailingStreak, ProbeStatus } from '../../components/ProbeResult/ProbeStatus';
import { QueryContent } from '../../components/QueryContent/QueryContent';
import { VigilPage } from '../../components/VigilPage/VigilPage';
import { ROUTES } from '../../constants';
import { useProbes } from '../../data/useProbes';
import { useAllTargets } from '../../data/useTargets';
import { formatAge, formatSeconds } from '../../utils/format';
import { canWrite } from '../../utils/permissions';
import { prefixRoute } from '../../utils/utils.routing';
import { ProbeActions } from './ProbeActions';
import { ProbeForm } from './ProbeForm';

export const PROBES_PAGE_SIZE = 20;
type Editing = { mode: 'new' } | { mode: 'edit'; probe: Probe } | null;

/** Probes: credentialed walks of a target on an interval; their status, last result and failing streak. */
export function Probes() {
  const [editing, setEditing] = useState<Editing>(null);
  const writable = canWrite();
  const newButton = writable ? (
    <Button icon="plus" onClick={() => setEditing({ mode: 'new' })}>
      New probe
    </Button>
  ) : undefined;

  return (
    <VigilPage
      title="Probes"
      subTitle="Credentialed walks of an MCP server's OAuth flow on an interval: can a real client get through?"
      actions={newButton}
    >
      <ProbeList newButton={newButton} writable={writable} onEdit={(probe) => setEditing({ mode: 'edit', probe })} />
      {editing && (
        <Drawer
          title={editing.mode === 'edit' ? `Edit probe ${editing.probe.name}` : 'New probe'}
          onClose={() => setEditing(null)}
          size="md"
        >
          <ProbeForm
            probe={editing.mode === 'edit' ? editing.probe : undefined}
            onDone={() => setEditing(null)}
            onCancel={() => setEditing(null)}
          />
        </Drawer>
      )}
    </VigilPage>
  );
}

interface ProbeRows {
  targetName: (targetId: string) => string;
  onEdit: (probe: Probe) => void;
  writable: boolean;
}

/**
 * What the table's cells need from the list. The columns are module constants reading this: a
 * cell renderer created per render would be a new component type to React each time, remounting
 * the cells (and losing ProbeActions' pending run and its drawer).
 */
const ProbeRowsContext = createContext<ProbeRows>({ targetName: (id) => id, onEdit: () => undefined, writable: false });

type ProbeCell = { row: { original: Probe } };

function TargetCell({ probe }: { probe: Probe }) {
  return <>{useContext(ProbeRowsContext).targetName(probe.targetId)}</>;
}

function ActionsCell({ probe }: { probe: Probe }) {
  const { writable, onEdit } = useContext(ProbeRowsContext);
  return writable ? <ProbeActions probe={probe} onEdit={() => onEdit(probe)} /> : null;
}

const COLUMNS = [
  {
    id: 'name',
    header: 'Name',
    cell: ({ row }: ProbeCell) => <Link to={prefixRoute(ROUTES.Probes, row.original.id)}>{row.original.name}</Link>,
  },
  { id: 'target', header: 'Target', cell: ({ row }: ProbeCell) => <TargetCell probe={row.original} /> },
  { id: 'status', header: 'Status', cell: ({ row }: ProbeCell) => <ProbeStatus probe={row.original} /> },
  {
    id: 'lastResult',
    header: 'Last result',
    cell: ({ row }: ProbeCell) =>
      row.original.lastResult ? formatAge(row.original.lastResult.at) : <Text color="secondary">never</Text>,
  },
  { id: 'streak', header: 'Failing streak', cell: ({ row }: ProbeCell) => <FailingStreak probeId={row.original.id} /> },
  {
    id: 'interval',
    header: 'Every',
    cell: ({ row }: ProbeCell) =>
      `${formatSeconds(row.original.intervalSeconds)} (timeout ${formatSeconds(row.original.timeoutSeconds)})`,
  },
  { id: 'strict', header: 'Strict' },
  { id: 'actions', header: '', cell: ({ row }: ProbeCell) => <ActionsCell probe={row.original} /> },
];

interface ProbeListProps {
  newButton: React.ReactNode;
  writable: boolean;
  onEdit: (probe: Probe) => void;
}

/** The paged list and its states (rendered only once the runner is configured); polls every 30 s. */
function ProbeList({ newButton, writable, onEdit }: ProbeListProps) {
  const [page, setPage] = useState(1);
  const probes = useProbes(
    { limit: PROBES_PAGE_SIZE, offset: (page - 1) * PROBES_PAGE_SIZE },
    { refetchIntervalMs: 30_000 }
  );
  const targets = useAllTargets();
  const rows: ProbeRows = {
    targetName: (id) => targets.data?.items.find((target) => target.id === id)?.name ?? id,
    onEdit,
    writable,
  };

  return (
    <ProbeRowsContext.Provider value={rows}>
      <QueryContent
        query={probes}
        loading="Loading probes"
        isEmpty={(data) => data.total === 0}
        empty={
          <EmptyState variant="call-to-action" message="No probes yet" button={newButton}>
            A probe walks a target&apos;s discovery, authorization, token and MCP steps on an interval, alerts when a
            step breaks, and reports where the server deviates from the spec.
          </EmptyState>
        }
      >
        {(data) => (
          <Stack direction="column" gap={2}>
            <InteractiveTable columns={COLUMNS} data={data.items} getRowId={(probe: Probe) => probe.id} />
            <Pagination
              currentPage={page}
              numberOfPages={Math.max(1, Math.ceil(data.total / PROBES_PAGE_SIZE))}
              onNavigate={setPage}
              hideWhenSinglePage
            />
          </Stack>
        )}
      </QueryContent>
    </ProbeRowsContext.Provider>
  );
}
