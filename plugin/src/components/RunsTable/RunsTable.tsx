import React, { createContext, useContext } from 'react';
import { Link } from 'react-router-dom';
import { InteractiveTable, Text, Tooltip } from '@grafana/ui';
import type { RunListItem as Run } from '../../api/types';
import { ROUTES } from '../../constants';
import { formatAge, formatSeconds } from '../../utils/format';
import { useNow } from '../../utils/useNow';
import { prefixRoute } from '../../utils/utils.routing';
import { RunStatus } from '../RunStatus/RunStatus';
import { isActive, runDurationSeconds } from '../RunStatus/RunStatus.utils';
import { StopRunButton } from './StopRunButton';

type RunCell = { row: { original: Run } };

/** Whether rows offer Stop (the user may write); a context because the columns are module constants. */
const RunsTableContext = createContext({ writable: false, now: 0 });

function DurationCell({ run }: { run: Run }) {
  const { now } = useContext(RunsTableContext);
  const seconds = runDurationSeconds(run, now);
  return <>{seconds === undefined ? '—' : formatSeconds(seconds)}</>;
}

function ActionsCell({ run }: { run: Run }) {
  const { writable } = useContext(RunsTableContext);
  return writable && isActive(run) ? <StopRunButton run={run} /> : null;
}

const COLUMNS = [
  {
    id: 'id',
    header: 'Run',
    cell: ({ row }: RunCell) => <Link to={prefixRoute(ROUTES.Runs, row.original.id)}>{row.original.id}</Link>,
  },
  { id: 'scenario', header: 'Scenario' },
  {
    id: 'target',
    header: 'Target',
    cell: ({ row }: RunCell) => (
      <Tooltip content={row.original.targetUrl}>
        <span>{row.original.targetName}</span>
      </Tooltip>
    ),
  },
  { id: 'profile', header: 'Profile' },
  { id: 'status', header: 'Status', cell: ({ row }: RunCell) => <RunStatus run={row.original} /> },
  {
    id: 'createdAt',
    header: 'Started',
    cell: ({ row }: RunCell) => formatAge(row.original.startedAt ?? row.original.createdAt),
  },
  { id: 'duration', header: 'Duration', cell: ({ row }: RunCell) => <DurationCell run={row.original} /> },
  {
    id: 'createdBy',
    header: 'By',
    cell: ({ row }: RunCell) => row.original.createdBy?.login ?? <Text color="secondary">—</Text>,
  },
  { id: 'actions', header: '', cell: ({ row }: RunCell) => <ActionsCell run={row.original} /> },
];

/** Runs as a table: id (to its page), scenario, target, profile, status, age, duration, who, Stop. */
export function RunsTable({ runs, writable }: { runs: Run[]; writable: boolean }) {
  const now = useNow(5_000);
  return (
    <RunsTableContext.Provider value={{ writable, now }}>
      <InteractiveTable columns={COLUMNS} data={runs} getRowId={(run: Run) => run.id} />
    </RunsTableContext.Provider>
  );
}
