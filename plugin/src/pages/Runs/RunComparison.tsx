import React, { useState } from 'react';
import { Link } from 'react-router-dom';
import { Badge, Button, InteractiveTable, Stack, Text } from '@grafana/ui';
import type { ComparisonItem, Run } from '../../api/types';
import { QueryContent } from '../../components/QueryContent/QueryContent';
import { RunnerErrorAlert } from '../../components/RunnerErrorAlert/RunnerErrorAlert';
import { ROUTES } from '../../constants';
import { useRunComparison } from '../../data/useRuns';
import { prefixRoute } from '../../utils/utils.routing';
import { comparisonValue, deltaText, isRegression } from './RunDetail.utils';

type Row = ComparisonItem & { key: string };
type Cell = { row: { original: Row } };

const COLUMNS = [
  { id: 'metric', header: 'Metric', cell: ({ row }: Cell) => <code>{row.original.metric}</code> },
  { id: 'stat', header: 'Statistic' },
  { id: 'run', header: 'This run', cell: ({ row }: Cell) => comparisonValue(row.original.stat, row.original.run) },
  {
    id: 'baseline',
    header: 'Baseline',
    cell: ({ row }: Cell) => comparisonValue(row.original.stat, row.original.baseline),
  },
  {
    id: 'delta',
    header: 'Change',
    cell: ({ row }: Cell) =>
      isRegression(row.original) ? <Badge color="orange" text={deltaText(row.original)} /> : deltaText(row.original),
  },
];

/**
 * This run against the baseline of its scenario and target (p50/p95/p99, error rates,
 * throughput). Fetched on demand: a scenario and target without a baseline answer 404
 * `no_baseline`, which is a state here, not a failure.
 */
export function RunComparison({ run }: { run: Pick<Run, 'id' | 'baseline' | 'scenario' | 'targetName'> }) {
  const [wanted, setWanted] = useState(false);
  const comparison = useRunComparison(run.id, { enabled: wanted });
  if (!wanted) {
    return (
      <Stack gap={2} alignItems="center">
        <Button variant="secondary" icon="exchange-alt" onClick={() => setWanted(true)}>
          Compare with the baseline
        </Button>
        <Text color="secondary">
          {run.baseline
            ? 'This run is the baseline of its scenario and target.'
            : `Against the baseline of ${run.scenario} on ${run.targetName}, if one is marked.`}
        </Text>
      </Stack>
    );
  }
  if (comparison.error?.code === 'no_baseline') {
    return (
      <Text color="secondary">
        No baseline yet for {run.scenario} on {run.targetName}: mark a passed or failed run of theirs as the baseline
        (Mark as baseline, on its page).
      </Text>
    );
  }
  if (comparison.error && !comparison.data) {
    return (
      <RunnerErrorAlert
        error={comparison.error}
        action="Comparing with the baseline"
        onRetry={() => void comparison.refetch()}
      />
    );
  }
  return (
    <QueryContent
      query={comparison}
      loading="Comparing with the baseline"
      isEmpty={(answer) => answer.items.length === 0}
      empty={<Text color="secondary">The run and its baseline have no statistic in common to compare.</Text>}
    >
      {(answer) => (
        <Stack direction="column" gap={1}>
          <Text color="secondary">
            Baseline:{' '}
            {answer.baselineId === run.id ? (
              'this run itself'
            ) : (
              <Link to={prefixRoute(ROUTES.Runs, answer.baselineId)}>{answer.baselineId}</Link>
            )}
            . Changes of more than 10% for the worse are marked.
          </Text>
          <InteractiveTable
            columns={COLUMNS}
            data={answer.items.map((item) => ({ ...item, key: `${item.metric}-${item.stat}` }))}
            getRowId={(row: Row) => row.key}
          />
        </Stack>
      )}
    </QueryContent>
  );
}
