import React from 'react';
import { Alert, Button, Stack, TextLink } from '@grafana/ui';
import { RunnerError } from '../../api/errors';
import { CONFIG_PAGE_URL } from '../../constants';

interface Props {
  error: RunnerError;
  /** What was being done, e.g. "Loading targets" (the banner then says "Loading targets failed"). */
  action?: string;
  onRetry?: () => void;
  /** More to say or link to (e.g. the run a failed start still created). */
  children?: React.ReactNode;
}

const CONFIG_KINDS: ReadonlySet<RunnerError['kind']> = new Set(['unauthorized', 'unreachable']);

/**
 * A runner failure as an error banner: what happened (the runner's message, or what Grafana's proxy
 * said) and what to do (`hint`), with a link to the configuration page when the cure is there.
 */
export function RunnerErrorAlert({ error, action, onRetry, children }: Props) {
  const title = action ? `${action} failed: ${error.title.toLowerCase()}` : error.title;
  return (
    <Alert severity="error" title={title} data-testid="runner-error">
      <Stack direction="column" gap={1}>
        <div>{error.message}</div>
        <div>{error.hint}</div>
        {children}
        {(CONFIG_KINDS.has(error.kind) || onRetry) && (
          <Stack gap={1} alignItems="center">
            {CONFIG_KINDS.has(error.kind) && <TextLink href={CONFIG_PAGE_URL}>Open the configuration page</TextLink>}
            {onRetry && (
              <Button size="sm" variant="secondary" icon="sync" onClick={onRetry}>
                Retry
              </Button>
            )}
          </Stack>
        )}
      </Stack>
    </Alert>
  );
}
