import React, { useState } from 'react';
import { Button, ConfirmModal } from '@grafana/ui';
import type { Run } from '../../api/types';
import { useStopRun } from '../../data/useRuns';
import { RunnerErrorAlert } from '../RunnerErrorAlert/RunnerErrorAlert';

/**
 * Stops an active run after confirmation: the runner sends k6 SIGTERM (SIGKILL after its grace
 * period), and the run ends `stopped`, without a verdict. A 409 means it had already ended.
 */
export function StopRunButton({ run, size = 'sm' }: { run: Pick<Run, 'id' | 'scenario'>; size?: 'sm' | 'md' }) {
  const stop = useStopRun();
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <Button
        size={size}
        variant="destructive"
        fill="outline"
        icon={stop.isPending ? 'spinner' : 'square-shape'}
        disabled={stop.isPending}
        aria-label={`Stop run ${run.id}`}
        onClick={() => {
          stop.reset();
          setConfirming(true);
        }}
      >
        {stop.isPending ? 'Stopping…' : 'Stop'}
      </Button>
      {stop.error && <RunnerErrorAlert error={stop.error} action={`Stopping run ${run.id}`} />}
      <ConfirmModal
        isOpen={confirming}
        title={`Stop run ${run.id}?`}
        body={`k6 is asked to stop the ${run.scenario} run now; it ends "stopped", without a threshold verdict, so it cannot become a baseline.`}
        confirmText="Stop run"
        onConfirm={() => {
          setConfirming(false);
          void stop.mutate(run).catch(() => undefined);
        }}
        onDismiss={() => setConfirming(false)}
      />
    </>
  );
}
