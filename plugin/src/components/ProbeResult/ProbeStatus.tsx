import React from 'react';
import { Badge, Stack, Text, Tooltip } from '@grafana/ui';
import type { Probe } from '../../api/types';
import { useProbeResults } from '../../data/useProbes';
import { failingStreak, resultStatus } from './ProbeResult.utils';

/** How many recent results the failing streak is counted over (the list shows "20+" beyond). */
export const STREAK_WINDOW = 20;

/** A probe's state from its last result, and whether it is disabled. */
export function ProbeStatus({ probe }: { probe: Probe }) {
  const status = resultStatus(probe.lastResult);
  const badge = <Badge color={status.color} text={status.text} />;
  return (
    <Stack gap={0.5} wrap="wrap">
      {status.tooltip ? <Tooltip content={status.tooltip}>{badge}</Tooltip> : badge}
      {!probe.enabled && <Badge color="darkgrey" text="disabled" />}
    </Stack>
  );
}

/** Failed walks in a row, from the probe's recent results (runner errors are not counted). */
export function FailingStreak({ probeId }: { probeId: string }) {
  const results = useProbeResults(probeId, { limit: STREAK_WINDOW });
  if (results.isLoading) {
    return <Text color="secondary">…</Text>;
  }
  if (!results.data) {
    return (
      <Tooltip content={results.error?.message ?? 'no results'}>
        <Text color="secondary">?</Text>
      </Tooltip>
    );
  }
  const streak = failingStreak(results.data.items);
  if (streak === 0) {
    return <Text color="secondary">0</Text>;
  }
  const text = streak >= STREAK_WINDOW ? `${STREAK_WINDOW}+ failed` : `${streak} failed`;
  return <Badge color="red" text={text} />;
}
