import React from 'react';
import { Badge, InteractiveTable } from '@grafana/ui';
import type { ProbeStep } from '../../api/types';
import { formatMs } from '../../utils/format';

type Row = ProbeStep & { index: number };

const columns = [
  { id: 'step', header: 'Step' },
  {
    id: 'ok',
    header: 'Result',
    cell: ({ row }: { row: { original: Row } }) =>
      row.original.skipped ? (
        <Badge color="darkgrey" text="skipped" />
      ) : row.original.ok ? (
        <Badge color="green" text="ok" />
      ) : (
        <Badge color="red" text="failed" />
      ),
  },
  {
    id: 'durationMs',
    header: 'Duration',
    cell: ({ row }: { row: { original: Row } }) => formatMs(row.original.durationMs),
  },
  { id: 'reason', header: 'Reason', cell: ({ row }: { row: { original: Row } }) => row.original.reason ?? '' },
  { id: 'detail', header: 'Detail', cell: ({ row }: { row: { original: Row } }) => row.original.detail ?? '' },
];

/** The walk's steps in order: result, time, and why a step failed. */
export function StepsTable({ steps }: { steps: readonly ProbeStep[] }) {
  const rows: Row[] = steps.map((step, index) => ({ ...step, index }));
  return <InteractiveTable columns={columns} data={rows} getRowId={(row: Row) => `${row.index}-${row.step}`} />;
}
