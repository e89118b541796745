import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { makeActiveRun, makeRun } from '../../test/fixtures';
import { runner, runnerError, runnerRoute } from '../../test/handlers';
import { renderApp } from '../../test/render';
import { server } from '../../test/server';
import { button, findButton, queryButton } from '../../test/dom';

const thresholds = () => screen.getByRole('region', { name: 'Thresholds' });

describe('Run detail', () => {
  it("shows a finished run's facts and each threshold's measured value against its bound", async () => {
    const run = runner.addRun(
      makeRun({
        status: 'failed',
        exitCode: 99,
        overrides: { vus: 10, duration: '30s' },
        thresholds: [
          { metric: 'oauth_auth_duration', expression: 'p(95)<200', ok: false, value: 312.4 },
          { metric: 'oauth_errors', expression: 'rate<0.01', ok: true, value: 0 },
        ],
      }),
      [
        'running (0m30.0s), 0/10 VUs, 120 complete',
        'ERRO[0031] thresholds on metrics oauth_auth_duration have been crossed',
      ]
    );
    renderApp(`runs/${run.id}`);
    expect(await screen.findByText(`Run ${run.id}`)).toBeInTheDocument();
    expect(screen.getByText('oauth on reference, profile smoke')).toBeInTheDocument();
    expect(screen.getByText('duration=30s vus=10')).toBeInTheDocument();
    const table = thresholds();
    const crossed = within(table).getByText('oauth_auth_duration').closest('tr')!;
    expect(within(crossed).getByText('p(95) < 200 ms')).toBeInTheDocument();
    expect(within(crossed).getByText('p(95) = 312.4 ms')).toBeInTheDocument();
    expect(within(crossed).getByText('crossed')).toBeInTheDocument();
    expect(within(within(table).getByText('oauth_errors').closest('tr')!).getByText('held')).toBeInTheDocument();
    expect(await screen.findByTestId('run-log')).toHaveTextContent('have been crossed');
    expect(screen.getByRole('list', { name: 'Run events' })).toHaveTextContent('queued');
  });

  it("draws the scenario's panels with queries filtered by the run's testid", async () => {
    const run = runner.addRun(makeRun({ scenario: 'oauth' }));
    renderApp(`runs/${run.id}`);
    const panels = await screen.findByTestId('run-panels');
    expect(panels).toHaveAttribute('data-datasource', 'vigil-prometheus');
    expect(within(panels).getByTestId('panel-errors')).toBeInTheDocument();
    expect(within(panels).getByTestId('panel-vus')).toBeInTheDocument();
    const latency = within(panels).getAllByTestId(/^panel-latency-/);
    expect(latency.length).toBeGreaterThan(0);
    for (const code of within(panels).getAllByText(/testid=/)) {
      expect(code.textContent).toContain(`testid="${run.id}"`);
    }
    // the oauth scenario measures no MCP flow, so it draws no MCP latency panel
    expect(within(panels).queryByText(/tool_call latency/)).not.toBeInTheDocument();
    const dashboards = screen.getByText('Vigil / OAuth flows').closest('a')!;
    expect(dashboards.getAttribute('href')).toContain(`var-testid=${run.id}`);
  });

  it('follows a running run until k6 ends it, then shows its verdict', async () => {
    const run = runner.addRun(makeActiveRun());
    renderApp(`runs/${run.id}`);
    expect(await screen.findByText('k6 judges the thresholds when the run ends.')).toBeInTheDocument();
    expect(screen.getByTestId('run-panels')).toHaveAttribute('data-live', 'true');
    expect(button(document, `Stop run ${run.id}`)).toBeInTheDocument();
    runner.updateRun(run.id, {
      status: 'passed',
      progress: null,
      exitCode: 0,
      finishedAt: new Date().toISOString(),
      thresholds: [{ metric: 'oauth_auth_duration', expression: 'p(95)<200', ok: true, value: 80.5 }],
    });
    expect(await screen.findByText('p(95) = 80.5 ms', undefined, { timeout: 6_000 })).toBeInTheDocument();
    expect(screen.getByTestId('run-panels')).toHaveAttribute('data-live', 'false');
    expect(queryButton(document, `Stop run ${run.id}`)).toBeUndefined();
    const polls = runner.requestsTo('get', '/api/runs/{id}').length;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(runner.requestsTo('get', '/api/runs/{id}')).toHaveLength(polls);
  }, 15_000);

  it('marks a run as the baseline, then compares another run with it', async () => {
    const baseline = runner.addRun(makeRun());
    const later = runner.addRun(
      makeRun({
        summary: {
          ...makeRun().summary!,
          metrics: { oauth_auth_duration: { type: 'trend', values: { 'p(95)': 120 } } },
        },
      })
    );
    const { unmount } = renderApp(`runs/${baseline.id}`);
    fireEvent.click(await findButton(document, 'Mark as baseline'));
    await waitFor(() => expect(queryButton(document, 'Mark as baseline')).toBeUndefined());
    fireEvent.click(button(document, 'Compare with the baseline'));
    expect(await screen.findByText(/this run itself/)).toBeInTheDocument();
    expect(runner.run(baseline.id)?.baseline).toBe(true);
    unmount();

    renderApp(`runs/${later.id}`);
    fireEvent.click(await findButton(document, 'Compare with the baseline'));
    const row = (await screen.findByText('p95')).closest('tr')!;
    expect(within(row).getByText('+42.5%', { exact: false })).toBeInTheDocument();
    expect(screen.getByText(baseline.id).closest('a')).toHaveAttribute('href', `/a/vigil-mcp-app/runs/${baseline.id}`);
  });

  it('says when there is no baseline to compare with', async () => {
    const run = runner.addRun(makeRun());
    renderApp(`runs/${run.id}`);
    fireEvent.click(await findButton(document, 'Compare with the baseline'));
    expect(await screen.findByText(/No baseline yet for oauth on reference/)).toBeInTheDocument();
  });

  it('explains a run without a verdict and does not offer it as a baseline', async () => {
    const run = runner.addRun(makeRun({ status: 'stopped', thresholds: null, exitCode: 105 }));
    renderApp(`runs/${run.id}`);
    expect(await screen.findByText(/No verdict: the run is stopped/)).toBeInTheDocument();
    expect(queryButton(document, 'Mark as baseline')).toBeUndefined();
    expect(screen.getByText('Run again').closest('a')?.getAttribute('href')).toContain('scenario=oauth');
  });

  it('says so when the run does not exist', async () => {
    renderApp('runs/run_nope');
    expect(await screen.findByTestId('runner-error')).toHaveTextContent('run run_nope not found');
  });

  it("shows the runner's refusal to mark a baseline", async () => {
    const run = runner.addRun(makeRun());
    server.use(
      runnerRoute('post', '/api/runs/{id}/baseline', () =>
        runnerError(409, 'no_summary', `run ${run.id} has no summary to compare against`, 'id')
      )
    );
    renderApp(`runs/${run.id}`);
    fireEvent.click(await findButton(document, 'Mark as baseline'));
    expect(await screen.findByText(/has no summary to compare against/)).toBeInTheDocument();
  });
});
