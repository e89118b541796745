import React from 'react';
import { Alert, Badge, InteractiveTable, Stack, Text } from '@grafana/ui';
import type { Run, RunSummary } from '../../api/types';
import { STATUS_DISPLAY } from '../../components/RunStatus/RunStatus.utils';
import { type ThresholdRow, thresholdRows } from './RunDetail.utils';

type Cell = { row: { original: ThresholdRow } };

const COLUMNS = [
  { id: 'metric', header: 'Metric', cell: ({ row }: Cell) => <code>{row.original.metric}</code> },
  { id: 'expression', header: 'Bound' },
  { id: 'measured', header: 'Measured' },
  {
    id: 'ok',
    header: 'Result',
    cell: ({ row }: Cell) =>
      row.original.ok ? <Badge color="green" text="held" /> : <Badge color="red" text="crossed" />,
  },
];

/**
 * The run's verdict: each threshold k6 judged (the SLO catalog's, for this scenario and profile)
 * with the measured value against its bound. A run that did not run to its end has none.
 */
export function RunThresholds({ run }: { run: Pick<Run, 'status' | 'thresholds'> }) {
  if (!run.thresholds) {
    const pending = run.status === 'queued' || run.status === 'running';
    return (
      <Text color="secondary">
        {pending
          ? 'k6 judges the thresholds when the run ends.'
          : `No verdict: the run is ${run.status} (${STATUS_DISPLAY[run.status].description}).`}
      </Text>
    );
  }
  if (run.thresholds.length === 0) {
    return <Text color="secondary">This run had no thresholds.</Text>;
  }
  return (
    <InteractiveTable
      columns={COLUMNS}
      data={thresholdRows(run.thresholds)}
      getRowId={(row: ThresholdRow) => row.key}
    />
  );
}

type ErrorRow = NonNullable<RunSummary['errors']>[number] & { key: string };
type ErrorCell = { row: { original: ErrorRow } };

const ERROR_COLUMNS = [
  { id: 'metric', header: 'Counter', cell: ({ row }: ErrorCell) => <code>{row.original.metric}</code> },
  { id: 'by', header: 'By' },
  { id: 'value', header: 'Value' },
  { id: 'count', header: 'Count' },
];

/** What failed, from k6's summary: errors by reason, step and HTTP status, and the failed checks. */
export function RunErrors({ summary }: { summary: RunSummary | null | undefined }) {
  const errors = (summary?.errors ?? []).map((error, index) => ({
    ...error,
    key: `${error.metric}-${error.by}-${error.value}-${index}`,
  }));
  const failedChecks = summary?.failedChecks ?? [];
  if (errors.length === 0 && failedChecks.length === 0) {
    return null;
  }
  return (
    <Stack direction="column" gap={1}>
      <Text element="h3">Errors</Text>
      {failedChecks.length > 0 && (
        <Alert severity="warning" title="Failed checks">
          <ul>
            {failedChecks.map((check) => (
              <li key={check.name}>
                {check.name}: {check.fails} failed, {check.passes} passed
              </li>
            ))}
          </ul>
        </Alert>
      )}
      {errors.length > 0 && (
        <InteractiveTable columns={ERROR_COLUMNS} data={errors} getRowId={(row: ErrorRow) => row.key} />
      )}
    </Stack>
  );
}
