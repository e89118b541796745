import React, { useEffect } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, useStyles2 } from '@grafana/ui';
import { QueryContent } from '../../components/QueryContent/QueryContent';
import { useRunEvents, useRunLogs } from '../../data/useRuns';
import { formatAge } from '../../utils/format';

export const LOG_TAIL_LINES = 200;

/**
 * The end of the run's k6 output (the runner scrubs secrets from it) and its lifecycle events,
 * polled while the run is active and fetched once more when it ends.
 */
export function RunLog({ runId, active }: { runId: string; active: boolean }) {
  const styles = useStyles2(getStyles);
  const poll = { refetchIntervalMs: active ? 3_000 : undefined };
  const logs = useRunLogs(runId, { tail: LOG_TAIL_LINES }, poll);
  const events = useRunEvents(runId, poll);
  const { refetch: refetchLogs } = logs;
  const { refetch: refetchEvents } = events;
  useEffect(() => {
    if (!active) {
      void refetchLogs();
      void refetchEvents();
    }
  }, [active, refetchLogs, refetchEvents]);

  return (
    <Stack direction="column" gap={2}>
      <QueryContent
        query={events}
        loading="Loading the run's events"
        isEmpty={(answer) => answer.items.length === 0}
        empty={<Text color="secondary">No events yet.</Text>}
      >
        {(answer) => (
          <ul className={styles.events} aria-label="Run events">
            {answer.items.map((event) => (
              <li key={event.id}>
                <Text color="secondary">{formatAge(event.at)}</Text> <code>{event.type}</code> {event.message}
              </li>
            ))}
          </ul>
        )}
      </QueryContent>
      <QueryContent
        query={logs}
        loading="Loading the log"
        isEmpty={(answer) => answer.lines.length === 0}
        empty={<Text color="secondary">k6 has written nothing yet.</Text>}
      >
        {(answer) => (
          <Stack direction="column" gap={0.5}>
            {answer.truncated && (
              <Text color="secondary">
                The last {LOG_TAIL_LINES} lines (the runner keeps the whole log in the run folder).
              </Text>
            )}
            <pre className={styles.log} data-testid="run-log">
              {answer.lines.join('\n')}
            </pre>
          </Stack>
        )}
      </QueryContent>
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  log: css({
    maxHeight: 360,
    overflow: 'auto',
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    margin: 0,
  }),
  events: css({ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: theme.spacing(0.5) }),
});
