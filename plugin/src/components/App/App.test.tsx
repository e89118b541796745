import { screen } from '@testing-library/react';
import { grafanaAnswer, runner } from '../../test/handlers';
import { renderApp } from '../../test/render';
import { server } from '../../test/server';

describe('App', () => {
  it("opens on the Overview: the runner's readiness and links to the dashboards", async () => {
    renderApp('');
    expect(await screen.findByText('The runner is ready')).toBeInTheDocument();
    expect(screen.getByText('Vigil / Probes').closest('a')).toHaveAttribute('href', '/d/vigil-probes');
    expect(screen.getByText('Vigil / OAuth flows').closest('a')).toHaveAttribute('href', '/d/vigil-oauth');
  });

  it('shows a degraded runner with its problems on the Overview', async () => {
    runner.readiness = { status: 'degraded', problems: [{ code: 'k6_missing', message: 'k6 was not found' }] };
    renderApp('overview');
    expect(await screen.findByText('The runner is degraded: some runs and probes cannot start')).toBeInTheDocument();
    expect(screen.getByText(/k6 was not found/)).toBeInTheDocument();
  });

  it('says what to do when the runner cannot be reached', async () => {
    server.use(grafanaAnswer('get', '/readyz', 502, 'Bad Gateway'));
    renderApp('overview');
    expect(await screen.findByTestId('runner-error')).toHaveTextContent('check the runner URL');
  });

  it('asks for the configuration instead of calling an unconfigured runner', async () => {
    renderApp('overview', {});
    expect(await screen.findByText('The Vigil runner is not configured yet')).toBeInTheDocument();
    expect(runner.requests).toEqual([]);
  });

  it.each([
    ['runs', 'No runs yet'],
    ['runs/new', 'Create a target first'],
    ['runs/run_x', 'run run_x not found'],
    ['probes', 'No probes yet'],
    ['targets', 'No targets yet'],
    ['alerts', 'No Vigil alert is firing'],
  ])('has a page at %s', async (page, text) => {
    renderApp(page);
    expect(await screen.findByText(text, { exact: false })).toBeInTheDocument();
  });

  it('sends unknown paths to the Overview', async () => {
    renderApp('no-such-page');
    expect(await screen.findByText('The runner is ready')).toBeInTheDocument();
  });
});
