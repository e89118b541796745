import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { config, hasPermission } from '@grafana/runtime';
import { button, chooseOption, findButton, queryButton, withLayout } from '../../test/dom';
import { makeActiveRun, makeRun, makeTarget } from '../../test/fixtures';
import { runner, runnerError, runnerRoute } from '../../test/handlers';
import { renderApp } from '../../test/render';
import { server } from '../../test/server';
import { RUNS_PAGE_SIZE } from './Runs';

withLayout();

const row = async (id: string) => (await screen.findByText(id)).closest('tr') as HTMLElement;

describe('Runs', () => {
  it('lists runs newest first with scenario, target, profile, status and who started them', async () => {
    const old = runner.addRun(makeRun({ scenario: 'oauth', status: 'failed', exitCode: 99 }));
    const recent = runner.addRun(makeRun({ scenario: 'mcp', targetName: 'prod-mcp', profile: 'load' }));
    renderApp('runs');
    const recentRow = await row(recent.id);
    expect(within(recentRow).getByText('mcp')).toBeInTheDocument();
    expect(within(recentRow).getByText('prod-mcp')).toBeInTheDocument();
    expect(within(recentRow).getByText('load')).toBeInTheDocument();
    expect(within(recentRow).getByText('passed')).toBeInTheDocument();
    expect(within(recentRow).getByText('editor')).toBeInTheDocument();
    expect(within(await row(old.id)).getByText('failed')).toBeInTheDocument();
    const ids = screen
      .getAllByRole('link')
      .map((link) => link.textContent)
      .filter((text) => text?.startsWith('run_'));
    expect(ids).toEqual([recent.id, old.id]);
    expect(within(recentRow).getByText(recent.id).closest('a')).toHaveAttribute(
      'href',
      `/a/vigil-mcp-app/runs/${recent.id}`
    );
  });

  it('shows an empty state that offers a new run', async () => {
    renderApp('runs');
    expect(await screen.findByText('No runs yet')).toBeInTheDocument();
    expect(screen.getAllByText('New run')[0].closest('a')).toHaveAttribute('href', '/a/vigil-mcp-app/runs/new');
  });

  it('filters by status through the runner, and says when nothing matches', async () => {
    runner.addRun(makeRun({ status: 'passed' }));
    renderApp('runs');
    await screen.findByText('passed');
    await chooseOption(document.getElementById('runs-filter-status') as HTMLInputElement, 'timeout');
    expect(await screen.findByText('No runs match these filters')).toBeInTheDocument();
    expect(runner.requestsTo('get', '/api/runs').at(-1)?.query).toMatchObject({ status: 'timeout' });
    fireEvent.click(button(document, 'Clear filters'));
    expect(await screen.findByText('passed')).toBeInTheDocument();
  });

  it('pages with the runner cursor, older and back to newer', async () => {
    const runs = Array.from({ length: RUNS_PAGE_SIZE + 3 }, () => runner.addRun(makeRun()));
    const newest = runs.at(-1)!;
    const oldest = runs[0];
    renderApp('runs');
    await screen.findByText(newest.id);
    expect(screen.queryByText(oldest.id)).not.toBeInTheDocument();
    fireEvent.click(button(document, 'Older'));
    expect(await screen.findByText(oldest.id)).toBeInTheDocument();
    expect(runner.requestsTo('get', '/api/runs').at(-1)?.query).toMatchObject({ cursor: String(RUNS_PAGE_SIZE) });
    expect(button(document, 'Older')).toBeDisabled();
    fireEvent.click(button(document, 'Newer'));
    expect(await screen.findByText(newest.id)).toBeInTheDocument();
  });

  it('stops a running run after confirmation', async () => {
    const run = runner.addRun(makeActiveRun({ scenario: 'mcp' }));
    renderApp('runs');
    fireEvent.click(await findButton(await row(run.id), `Stop run ${run.id}`));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/it ends "stopped", without a threshold verdict/)).toBeInTheDocument();
    fireEvent.click(button(dialog, 'Stop run'));
    expect(await within(await row(run.id)).findByText('stopped')).toBeInTheDocument();
    expect(runner.requestsTo('post', '/api/runs/{id}/stop').map((request) => request.path)).toEqual([
      `/api/plugin-proxy/vigil-mcp-app/api/runs/${run.id}/stop`,
    ]);
  });

  it("shows the runner's refusal to stop a run that had already ended", async () => {
    const run = runner.addRun(makeActiveRun());
    server.use(
      runnerRoute('post', '/api/runs/{id}/stop', () =>
        runnerError(409, 'not_active', `run ${run.id} is passed, not active`, 'id')
      )
    );
    renderApp('runs');
    fireEvent.click(await findButton(await row(run.id), `Stop run ${run.id}`));
    fireEvent.click(button(await screen.findByRole('dialog'), 'Stop run'));
    expect(await screen.findByText(/is passed, not active/)).toBeInTheDocument();
  });

  it('says what to do when the runner fails', async () => {
    server.use(runnerRoute('get', '/api/runs', () => runnerError(500, 'internal', 'database is locked')));
    renderApp('runs');
    expect(await screen.findByTestId('runner-error')).toHaveTextContent('database is locked');
  });

  it('offers neither New run nor Stop to a Viewer', async () => {
    jest.mocked(hasPermission).mockReturnValue(false);
    const user = config.bootData.user;
    config.bootData.user = { ...user, orgRole: 'Viewer' } as typeof user;
    try {
      const run = runner.addRun(makeActiveRun());
      runner.addTarget(makeTarget());
      renderApp('runs');
      await row(run.id);
      expect(queryButton(document, `Stop run ${run.id}`)).toBeUndefined();
      expect(screen.queryByText('New run')).not.toBeInTheDocument();
    } finally {
      config.bootData.user = user;
      jest.mocked(hasPermission).mockReturnValue(true);
    }
  });

  it('polls while a run on the page is active', async () => {
    const run = runner.addRun(makeActiveRun());
    renderApp('runs');
    await row(run.id);
    runner.updateRun(run.id, { status: 'passed', finishedAt: new Date().toISOString(), progress: null });
    await waitFor(
      () => expect(within(screen.getByText(run.id).closest('tr')!).getByText('passed')).toBeInTheDocument(),
      {
        timeout: 8_000,
      }
    );
  }, 12_000);
});
