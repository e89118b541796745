import React, { createContext, useContext, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  ConfirmModal,
  Drawer,
  EmptyState,
  InteractiveTable,
  Pagination,
  Stack,
  Text,
} from '@grafana/ui';
import type { Target } from '../../api/types';
import { QueryContent } from '../../components/QueryContent/QueryContent';
import { VigilPage } from '../../components/VigilPage/VigilPage';
import { useDeleteTarget, useTargets } from '../../data/useTargets';
import { formatAge } from '../../utils/format';
import { canWrite } from '../../utils/permissions';
import { TargetForm } from './TargetForm';

export const TARGETS_PAGE_SIZE = 20;

type Editing = { mode: 'new' } | { mode: 'edit'; target: Target } | null;

function authSummary(target: Target): string {
  const { grant, tokenAuth, clientId } = target.auth;
  return [grant ?? 'default grant', tokenAuth, clientId && `client ${clientId}`].filter(Boolean).join(' · ');
}

function SecretBadges({ target }: { target: Target }) {
  const { hasClientSecret, hasLoginPassword, hasClientPrivateKey } = target.auth;
  if (!hasClientSecret && !hasLoginPassword && !hasClientPrivateKey) {
    return <Text color="secondary">none</Text>;
  }
  return (
    <Stack gap={0.5} wrap="wrap">
      {hasClientSecret && <Badge color="blue" text="client secret" />}
      {hasLoginPassword && <Badge color="blue" text="login password" />}
      {hasClientPrivateKey && <Badge color="blue" text="private key" />}
    </Stack>
  );
}

/** Targets: the MCP servers Vigil tests, with how to authorize against them (secrets write-only). */
export function Targets() {
  const [editing, setEditing] = useState<Editing>(null);
  const writable = canWrite();
  const newButton = writable ? (
    <Button icon="plus" onClick={() => setEditing({ mode: 'new' })}>
      New target
    </Button>
  ) : undefined;

  return (
    <VigilPage
      title="Targets"
      subTitle="The MCP servers Vigil tests, and how to authorize against them"
      actions={newButton}
    >
      <TargetList newButton={newButton} onEdit={(target) => setEditing({ mode: 'edit', target })} writable={writable} />
      {editing && (
        <Drawer
          title={editing.mode === 'edit' ? `Edit target ${editing.target.name}` : 'New target'}
          onClose={() => setEditing(null)}
          size="md"
        >
          <TargetForm
            target={editing.mode === 'edit' ? editing.target : undefined}
            onDone={() => setEditing(null)}
            onCancel={() => setEditing(null)}
          />
        </Drawer>
      )}
    </VigilPage>
  );
}

interface TargetRows {
  onEdit: (target: Target) => void;
  onDelete: (target: Target) => void;
  writable: boolean;
}

/** What the cells need from the list (module-level columns keep the cells mounted across renders). */
const TargetRowsContext = createContext<TargetRows>({
  onEdit: () => undefined,
  onDelete: () => undefined,
  writable: false,
});

type TargetCell = { row: { original: Target } };

function ActionsCell({ target }: { target: Target }) {
  const { writable, onEdit, onDelete } = useContext(TargetRowsContext);
  if (!writable) {
    return null;
  }
  return (
    <Stack gap={1} justifyContent="flex-end">
      <Button
        size="sm"
        variant="secondary"
        icon="pen"
        aria-label={`Edit ${target.name}`}
        onClick={() => onEdit(target)}
      >
        Edit
      </Button>
      <Button
        size="sm"
        variant="destructive"
        fill="outline"
        icon="trash-alt"
        aria-label={`Delete ${target.name}`}
        onClick={() => onDelete(target)}
      >
        Delete
      </Button>
    </Stack>
  );
}

const COLUMNS = [
  { id: 'name', header: 'Name' },
  { id: 'mcpUrl', header: 'MCP URL' },
  { id: 'auth', header: 'Authorization', cell: ({ row }: TargetCell) => authSummary(row.original) },
  { id: 'secrets', header: 'Secrets', cell: ({ row }: TargetCell) => <SecretBadges target={row.original} /> },
  { id: 'updatedAt', header: 'Updated', cell: ({ row }: TargetCell) => formatAge(row.original.updatedAt) },
  { id: 'actions', header: '', cell: ({ row }: TargetCell) => <ActionsCell target={row.original} /> },
];

interface TargetListProps {
  newButton: React.ReactNode;
  onEdit: (target: Target) => void;
  writable: boolean;
}

/** The paged list, its states, and deleting (rendered only once the runner is configured). */
function TargetList({ newButton, onEdit, writable }: TargetListProps) {
  const [page, setPage] = useState(1);
  const [deleting, setDeleting] = useState<Target | null>(null);
  const targets = useTargets({ limit: TARGETS_PAGE_SIZE, offset: (page - 1) * TARGETS_PAGE_SIZE });
  const remove = useDeleteTarget();
  const rows: TargetRows = {
    onEdit,
    onDelete: (target) => {
      remove.reset();
      setDeleting(target);
    },
    writable,
  };

  return (
    <TargetRowsContext.Provider value={rows}>
      <QueryContent
        query={targets}
        loading="Loading targets"
        isEmpty={(data) => data.total === 0}
        empty={
          <EmptyState variant="call-to-action" message="No targets yet" button={newButton}>
            A target is an MCP server (its URL) and how to authorize against it. Probes and runs test targets.
          </EmptyState>
        }
      >
        {(data) => (
          <Stack direction="column" gap={2}>
            <InteractiveTable columns={COLUMNS} data={data.items} getRowId={(target: Target) => target.id} />
            <Pagination
              currentPage={page}
              numberOfPages={Math.max(1, Math.ceil(data.total / TARGETS_PAGE_SIZE))}
              onNavigate={setPage}
              hideWhenSinglePage
            />
          </Stack>
        )}
      </QueryContent>

      <ConfirmModal
        isOpen={deleting !== null}
        title={`Delete target ${deleting?.name ?? ''}`}
        body={
          <Stack direction="column" gap={1}>
            <div>The target and its stored secrets are deleted. Its runs stay in the history.</div>
            {remove.error && (
              <Alert severity="error" title="The target was not deleted">
                {remove.error.message}
                {remove.error.code === 'in_use'
                  ? '. Delete those probes, or point them at another target, first.'
                  : ` ${remove.error.hint}`}
              </Alert>
            )}
          </Stack>
        }
        confirmText="Delete"
        disabled={remove.isPending}
        onConfirm={async () => {
          if (!deleting) {
            return;
          }
          try {
            await remove.mutate(deleting);
            setDeleting(null);
          } catch {
            // shown in the modal from remove.error
          }
        }}
        onDismiss={() => setDeleting(null)}
      />
    </TargetRowsContext.Provider>
  );
}
