import React from 'react';
import { Badge, Stack, Text, Tooltip } from '@grafana/ui';
import type { Run } from '../../api/types';
import { STATUS_DISPLAY, formatProgress } from './RunStatus.utils';

/** A run's status as a badge (what it means on hover), its progress while it runs, and whether it is the baseline. */
export function RunStatus({ run }: { run: Pick<Run, 'status' | 'progress' | 'baseline'> }) {
  const display = STATUS_DISPLAY[run.status];
  const progress = formatProgress(run);
  return (
    <Stack gap={0.5} alignItems="center" wrap="wrap">
      <Tooltip content={display.description}>
        <Badge color={display.color} text={run.status} icon={run.status === 'running' ? 'sync' : undefined} />
      </Tooltip>
      {progress && <Text color="secondary">{progress}</Text>}
      {run.baseline && <Badge color="purple" text="baseline" />}
    </Stack>
  );
}
