import React, { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button, Combobox, EmptyState, Field, LinkButton, Stack } from '@grafana/ui';
import type { RunListQuery } from '../../api/types';
import { QueryContent } from '../../components/QueryContent/QueryContent';
import { RunsTable } from '../../components/RunsTable/RunsTable';
import { isActive } from '../../components/RunStatus/RunStatus.utils';
import { VigilPage } from '../../components/VigilPage/VigilPage';
import { ROUTES } from '../../constants';
import { useRuns } from '../../data/useRuns';
import { useScenarios } from '../../data/useScenarios';
import { useAllTargets } from '../../data/useTargets';
import { canWrite } from '../../utils/permissions';
import { prefixRoute } from '../../utils/utils.routing';
import {
  FILTER_KEYS,
  KIND_OPTIONS,
  type RunFilters,
  STATUS_OPTIONS,
  filtersFromSearch,
  withFilter,
} from './Runs.utils';

export const RUNS_PAGE_SIZE = 25;

/** Load test and probe runs, newest first, filtered by scenario, target, status and kind. */
export function Runs() {
  const writable = canWrite();
  const newRun = writable ? (
    <LinkButton icon="play" href={prefixRoute(ROUTES.Runs, 'new')}>
      New run
    </LinkButton>
  ) : undefined;
  return (
    <VigilPage
      title="Runs"
      subTitle="k6 load tests and probe walks the runner started, with their verdict against the SLOs"
      actions={newRun}
    >
      <RunsContent newRun={newRun} writable={writable} />
    </VigilPage>
  );
}

function RunsContent({ newRun, writable }: { newRun: React.ReactNode; writable: boolean }) {
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search);
  const setFilter = (key: keyof RunFilters, value: string | undefined) => setSearch(withFilter(search, key, value));
  return (
    <Stack direction="column" gap={2}>
      <FilterBar filters={filters} onChange={setFilter} />
      {/* keyed by the filters: a new filter starts again at the first page */}
      <RunList
        key={JSON.stringify(filters)}
        filters={filters}
        newRun={newRun}
        writable={writable}
        onClear={() => setSearch(new URLSearchParams())}
      />
    </Stack>
  );
}

interface FilterBarProps {
  filters: RunFilters;
  onChange: (key: keyof RunFilters, value: string | undefined) => void;
}

function FilterBar({ filters, onChange }: FilterBarProps) {
  const scenarios = useScenarios();
  const targets = useAllTargets();
  const scenarioOptions = (scenarios.data?.scenarios ?? []).map((scenario) => ({
    label: scenario.id,
    value: scenario.id,
    description: scenario.title,
  }));
  const targetOptions = (targets.data?.items ?? []).map((target) => ({
    label: target.name,
    value: target.id,
    description: target.mcpUrl,
  }));
  return (
    <Stack gap={2} wrap="wrap" alignItems="flex-end">
      <Field label="Scenario" noMargin>
        <Combobox
          id="runs-filter-scenario"
          width={24}
          isClearable
          placeholder="Any scenario"
          options={scenarioOptions}
          value={filters.scenario ?? null}
          loading={scenarios.isLoading}
          onChange={(option) => onChange('scenario', option?.value)}
        />
      </Field>
      <Field label="Target" noMargin>
        <Combobox
          id="runs-filter-target"
          width={28}
          isClearable
          placeholder="Any target"
          options={targetOptions}
          value={filters.target ?? null}
          loading={targets.isLoading}
          onChange={(option) => onChange('target', option?.value)}
        />
      </Field>
      <Field label="Status" noMargin>
        <Combobox
          id="runs-filter-status"
          width={20}
          isClearable
          placeholder="Any status"
          options={STATUS_OPTIONS}
          value={filters.status ?? null}
          onChange={(option) => onChange('status', option?.value)}
        />
      </Field>
      <Field label="Kind" noMargin>
        <Combobox
          id="runs-filter-kind"
          width={16}
          isClearable
          placeholder="Any kind"
          options={KIND_OPTIONS}
          value={filters.kind ?? null}
          onChange={(option) => onChange('kind', option?.value)}
        />
      </Field>
    </Stack>
  );
}

interface RunListProps {
  filters: RunFilters;
  newRun: React.ReactNode;
  writable: boolean;
  onClear: () => void;
}

/**
 * One page of runs. The runner pages with a cursor (`nextCursor`, the last row's sequence): the
 * cursors of the pages seen so far are kept, so Previous goes back without the runner's help.
 * Polls every 5 s while a run on the page is active, else every 30 s.
 */
function RunList({ filters, newRun, writable, onClear }: RunListProps) {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const query: RunListQuery = { limit: RUNS_PAGE_SIZE, ...filters, ...(cursor ? { cursor } : {}) };
  const runs = useRuns(query, { refetchIntervalMs: (data) => (data?.items.some(isActive) ? 5_000 : 30_000) });
  const filtered = FILTER_KEYS.some((key) => filters[key] !== undefined);

  return (
    <QueryContent
      query={runs}
      loading="Loading runs"
      isEmpty={(page) => page.items.length === 0 && cursors.length === 0}
      empty={
        filtered ? (
          <EmptyState
            variant="not-found"
            message="No runs match these filters"
            button={
              <Button variant="secondary" icon="times" onClick={onClear}>
                Clear filters
              </Button>
            }
          />
        ) : (
          <EmptyState variant="call-to-action" message="No runs yet" button={newRun}>
            A run is one k6 load test of a scenario against a target, judged against the SLO catalog&apos;s thresholds;
            probe walks show up here too.
          </EmptyState>
        )
      }
    >
      {(page) => (
        <Stack direction="column" gap={2}>
          <RunsTable runs={page.items} writable={writable} />
          <Stack gap={1} justifyContent="flex-end" alignItems="center">
            <Button
              size="sm"
              variant="secondary"
              icon="angle-left"
              disabled={cursors.length === 0}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              Newer
            </Button>
            <Button
              size="sm"
              variant="secondary"
              icon="angle-right"
              disabled={!page.nextCursor}
              onClick={() => page.nextCursor && setCursors([...cursors, page.nextCursor])}
            >
              Older
            </Button>
          </Stack>
        </Stack>
      )}
    </QueryContent>
  );
}
