import React, { Suspense, lazy } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Button, LinkButton, LoadingPlaceholder, Stack, Text, TextLink } from '@grafana/ui';
import { DASHBOARDS } from '@vigil/scenarios/catalog/dashboards.ts';
import { selector } from '@vigil/scenarios/catalog/promql.ts';
import type { Run } from '../../api/types';
import { StepsTable } from '../../components/ProbeResult/StepsTable';
import { QueryContent } from '../../components/QueryContent/QueryContent';
import { RunnerErrorAlert } from '../../components/RunnerErrorAlert/RunnerErrorAlert';
import { StopRunButton } from '../../components/RunsTable/StopRunButton';
import { RunStatus } from '../../components/RunStatus/RunStatus';
import { hasVerdict, isActive, runDurationSeconds } from '../../components/RunStatus/RunStatus.utils';
import { VigilPage } from '../../components/VigilPage/VigilPage';
import { ROUTES } from '../../constants';
import { useRun, useSetBaseline } from '../../data/useRuns';
import { formatAge, formatSeconds } from '../../utils/format';
import { dashboardUrl, exploreUrl } from '../../utils/links';
import { canWrite } from '../../utils/permissions';
import { useVigilSettings } from '../../utils/utils.plugin';
import { prefixRoute } from '../../utils/utils.routing';
import { RunComparison } from './RunComparison';
import { RunLog } from './RunLog';
import { RunErrors, RunThresholds } from './RunThresholds';
import { dashboardsFor, runWindow } from './RunDetail.utils';
import { overridesText } from './Runs.utils';

// scenes is most of the bundle and only this page draws panels: its own chunk, loaded here
const RunPanels = lazy(() => import('../../scenes/RunPanels/RunPanels'));

/** How often the page asks the runner about a run that is still going. */
export const LIVE_POLL_MS = 2_000;

/** `runs/:id`: one run, live while it runs; its verdict, panels, comparison, links, log. */
export function RunDetail() {
  const { id = '' } = useParams();
  const { isRunnerConfigured: enabled } = useVigilSettings();
  // poll until an answer says the run has ended
  const run = useRun(id, {
    enabled,
    refetchIntervalMs: (data) => (!data || isActive(data) ? LIVE_POLL_MS : undefined),
  });

  return (
    <VigilPage
      title={run.data ? `Run ${run.data.id}` : 'Run'}
      subTitle={run.data ? `${run.data.scenario} on ${run.data.targetName}, profile ${run.data.profile}` : undefined}
      parent={{ text: 'Runs', url: prefixRoute(ROUTES.Runs) }}
      actions={run.data && <RunActions run={run.data} />}
    >
      <QueryContent query={run} loading="Loading the run">
        {(data) => <RunContent run={data} />}
      </QueryContent>
    </VigilPage>
  );
}

function RunActions({ run }: { run: Run }) {
  const setBaseline = useSetBaseline();
  if (!canWrite()) {
    return null;
  }
  return (
    <Stack gap={1} alignItems="center">
      {isActive(run) && <StopRunButton run={run} size="md" />}
      {hasVerdict(run) && !run.baseline && (
        <Button
          variant="secondary"
          icon={setBaseline.isPending ? 'spinner' : 'star'}
          disabled={setBaseline.isPending}
          onClick={() => void setBaseline.mutate(run).catch(() => undefined)}
        >
          Mark as baseline
        </Button>
      )}
      {setBaseline.error && <RunnerErrorAlert error={setBaseline.error} action="Marking the baseline" />}
      {!isActive(run) && (
        <LinkButton
          variant="secondary"
          icon="repeat"
          href={`${prefixRoute(ROUTES.Runs, 'new')}?${new URLSearchParams({
            scenario: run.scenario,
            ...(run.targetId ? { target: run.targetId } : {}),
          })}`}
        >
          Run again
        </LinkButton>
      )}
    </Stack>
  );
}

function Facts({ run }: { run: Run }) {
  const duration = runDurationSeconds(run);
  const facts: Array<[string, React.ReactNode]> = [
    ['Status', <RunStatus key="status" run={run} />],
    ['Kind', run.kind],
    [
      'Target',
      run.targetId ? (
        <Link key="target" to={`${prefixRoute(ROUTES.Runs)}?target=${encodeURIComponent(run.targetId)}`}>
          {run.targetName}
        </Link>
      ) : (
        run.targetName
      ),
    ],
    ['URL', run.targetUrl],
    ['Overrides', overridesText(run.overrides) || 'none'],
    ['Engine', run.engine],
    ['Started', run.startedAt ? formatAge(run.startedAt) : 'not yet'],
    ['Duration', duration === undefined ? '—' : formatSeconds(duration)],
    ['By', run.createdBy?.login ?? 'outside Grafana'],
    ['Exit code', run.exitCode === null ? '—' : String(run.exitCode)],
  ];
  return (
    <Stack gap={4} wrap="wrap">
      {facts.map(([label, value]) => (
        <Stack key={label} direction="column" gap={0.5}>
          <Text color="secondary" variant="bodySmall">
            {label}
          </Text>
          <div>{value}</div>
        </Stack>
      ))}
    </Stack>
  );
}

function RunContent({ run }: { run: Run }) {
  const { prometheusUid } = useVigilSettings();
  const live = isActive(run);
  const window = runWindow(run);
  return (
    <Stack direction="column" gap={3}>
      <Facts run={run} />
      {run.error && (
        <Alert severity="error" title="The run failed">
          {run.error} See the log below.
        </Alert>
      )}
      {run.metricsDelivered === false && (
        <Alert severity="warning" title="Some of this run's metrics did not reach Prometheus">
          k6 reported remote-write errors (the log has them): the panels and dashboards may miss samples. Check
          VIGIL_REMOTE_WRITE_URL and Prometheus&apos; remote-write receiver.
        </Alert>
      )}
      <section aria-label="Thresholds">
        <Stack direction="column" gap={1}>
          <Text element="h3">Thresholds</Text>
          <RunThresholds run={run} />
        </Stack>
      </section>
      {run.steps && run.steps.length > 0 && (
        <Stack direction="column" gap={1}>
          <Text element="h3">Probe steps</Text>
          <StepsTable steps={run.steps} />
        </Stack>
      )}
      <RunErrors summary={run.summary} />
      <Stack direction="column" gap={1}>
        <Text element="h3">Panels</Text>
        <Suspense fallback={<LoadingPlaceholder text="Loading panels…" />}>
          <RunPanels run={run} prometheusUid={prometheusUid} window={window} live={live} />
        </Suspense>
      </Stack>
      <Stack direction="column" gap={1}>
        <Text element="h3">Compared with the baseline</Text>
        <RunComparison run={run} />
      </Stack>
      <Stack direction="column" gap={1}>
        <Text element="h3">Dashboards and Explore</Text>
        <Stack gap={2} wrap="wrap">
          {dashboardsFor(run).map((key) => (
            <TextLink
              key={key}
              href={dashboardUrl(key, { testid: run.id, target: run.targetName }, window)}
              icon="apps"
              inline={false}
            >
              {DASHBOARDS[key].title}
            </TextLink>
          ))}
          <TextLink
            href={exploreUrl(prometheusUid, [selector('', { testid: run.id })], window)}
            icon="compass"
            inline={false}
          >
            Explore every series of this run
          </TextLink>
        </Stack>
      </Stack>
      <Stack direction="column" gap={1}>
        <Text element="h3">Log</Text>
        <RunLog runId={run.id} active={live} />
      </Stack>
    </Stack>
  );
}
