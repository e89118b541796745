import React, { useState } from 'react';
import { Alert, Button, ConfirmModal, Drawer, Stack, Text } from '@grafana/ui';
import type { Probe } from '../../api/types';
import { ProbeResultView } from '../../components/ProbeResult/ProbeResultView';
import { RunnerErrorAlert } from '../../components/RunnerErrorAlert/RunnerErrorAlert';
import { useDeleteProbe, useRunProbe, useUpdateProbe } from '../../data/useProbes';

interface Props {
  probe: Probe;
  onEdit: () => void;
  onDeleted?: () => void;
}

/**
 * A probe's actions (list rows and the detail page): Run now (the walk's result opens in a drawer),
 * Enable/Disable, Edit, Delete (confirmed). Each instance has its own pending and error state.
 */
export function ProbeActions({ probe, onEdit, onDeleted }: Props) {
  const run = useRunProbe();
  const toggle = useUpdateProbe();
  const remove = useDeleteProbe();
  const [showResult, setShowResult] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const result = run.data?.result;

  return (
    <Stack direction="column" gap={1}>
      <Stack gap={1} justifyContent="flex-end" wrap="wrap">
        <Button
          size="sm"
          icon={run.isPending ? 'spinner' : 'play'}
          disabled={run.isPending}
          aria-label={`Run ${probe.name} now`}
          onClick={async () => {
            setShowResult(false);
            try {
              await run.mutate(probe);
            } catch {
              // shown in the drawer from run.error
            }
            setShowResult(true);
          }}
        >
          {run.isPending ? 'Running…' : 'Run now'}
        </Button>
        <Button
          size="sm"
          variant="secondary"
          icon={probe.enabled ? 'pause' : 'play'}
          disabled={toggle.isPending}
          aria-label={`${probe.enabled ? 'Disable' : 'Enable'} ${probe.name}`}
          onClick={() =>
            void toggle.mutate({ id: probe.id, patch: { enabled: !probe.enabled } }).catch(() => undefined)
          }
        >
          {probe.enabled ? 'Disable' : 'Enable'}
        </Button>
        <Button size="sm" variant="secondary" icon="pen" aria-label={`Edit ${probe.name}`} onClick={onEdit}>
          Edit
        </Button>
        <Button
          size="sm"
          variant="destructive"
          fill="outline"
          icon="trash-alt"
          aria-label={`Delete ${probe.name}`}
          onClick={() => {
            remove.reset();
            setConfirmDelete(true);
          }}
        >
          Delete
        </Button>
      </Stack>
      {toggle.error && (
        <RunnerErrorAlert error={toggle.error} action={`${probe.enabled ? 'Disabling' : 'Enabling'} ${probe.name}`} />
      )}

      {showResult && (
        <Drawer
          title={`Walk of ${probe.name}`}
          subtitle="Run now: one walk, just finished"
          onClose={() => setShowResult(false)}
          size="lg"
        >
          {run.error ? (
            <RunnerErrorAlert error={run.error} action={`Running ${probe.name}`} />
          ) : result ? (
            <ProbeResultView result={result} strict={probe.strict} />
          ) : (
            <Text color="secondary">The runner answered without a result.</Text>
          )}
        </Drawer>
      )}

      <ConfirmModal
        isOpen={confirmDelete}
        title={`Delete probe ${probe.name}`}
        body={
          <Stack direction="column" gap={1}>
            <div>The probe stops walking; its results and series are deleted.</div>
            {remove.error && (
              <Alert severity="error" title="The probe was not deleted">
                {remove.error.message} {remove.error.hint}
              </Alert>
            )}
          </Stack>
        }
        confirmText="Delete"
        disabled={remove.isPending}
        onConfirm={async () => {
          try {
            await remove.mutate(probe);
            setConfirmDelete(false);
            onDeleted?.();
          } catch {
            // shown in the modal from remove.error
          }
        }}
        onDismiss={() => setConfirmDelete(false)}
      />
    </Stack>
  );
}
