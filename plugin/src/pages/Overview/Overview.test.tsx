import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  makeAlertmanagerAlert,
  makeFailedResult,
  makeProbe,
  makeResult,
  makeRun,
  makeRunnerErrorResult,
  makeTarget,
} from '../../test/fixtures';
import { runner } from '../../test/handlers';
import { renderApp } from '../../test/render';
import { server } from '../../test/server';

const section = (name: string) => screen.getByRole('region', { name });

describe('Overview', () => {
  it('shows every probe step by step, failing ones first, with the failing streak', async () => {
    const prod = runner.addTarget(makeTarget({ name: 'prod-mcp' }));
    const staging = runner.addTarget(makeTarget({ name: 'staging-mcp' }));
    runner.addProbe(makeProbe({ name: 'staging-probe', targetId: staging.id }), [makeResult()]);
    runner.addProbe(makeProbe({ name: 'prod-probe', targetId: prod.id }), [
      makeFailedResult('token', 'invalid_client'),
      makeFailedResult('token', 'invalid_client'),
      makeResult(),
    ]);
    renderApp('overview');
    const grid = await screen.findByRole('table', { name: 'Probe status by step' });
    const rows = within(grid).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.getAttribute('data-testid'))).toEqual([
      'probe-row-prod-probe',
      'probe-row-staging-probe',
    ]);
    const [failing, passing] = rows;
    expect(within(failing).getByText('prod-mcp')).toBeInTheDocument();
    expect(within(failing).getByText('failing at token')).toBeInTheDocument();
    expect(within(failing).getByTestId('step-token')).toHaveAttribute('data-state', 'failed');
    expect(within(failing).getByText('invalid_client')).toBeInTheDocument();
    expect(within(failing).getByTestId('step-tools_call')).toHaveAttribute('data-state', 'not_reached');
    expect(await within(failing).findByText('2 failed')).toBeInTheDocument();
    expect(within(passing).getByTestId('step-tools_call')).toHaveAttribute('data-state', 'ok');
    expect(within(passing).getByText('staging-probe').closest('a')?.getAttribute('href')).toMatch(
      /^\/a\/vigil-mcp-app\/probes\/prb_/
    );
    // the grid's columns are the walk's steps in the catalog's order
    const headers = within(grid)
      .getAllByRole('columnheader')
      .map((header) => header.textContent);
    expect(headers.slice(5)).toEqual([
      'discovery',
      'registration',
      'authorization',
      'token',
      'initialize',
      'tools_list',
      'tools_call',
    ]);
  });

  it('blames the runner, not the target, for a walk it could not run', async () => {
    const target = runner.addTarget(makeTarget());
    runner.addProbe(makeProbe({ name: 'broken-runner', targetId: target.id }), [makeRunnerErrorResult()]);
    renderApp('overview');
    const row = await screen.findByTestId('probe-row-broken-runner');
    expect(within(row).getByText('runner error')).toBeInTheDocument();
  });

  it('shows the firing Vigil alerts beside the probes, and the recent runs', async () => {
    const target = runner.addTarget(makeTarget({ name: 'prod-mcp' }));
    runner.addProbe(makeProbe({ name: 'prod-probe', targetId: target.id }), [
      makeFailedResult('token', 'invalid_client'),
    ]);
    runner.alertmanagerAlerts = [
      makeAlertmanagerAlert({ alertname: 'VigilProbeFailing', probe: 'prod-probe', step: 'token' }),
      makeAlertmanagerAlert(
        { alertname: 'VigilProbeStale', probe: 'prod-probe' },
        { status: { state: 'suppressed', silencedBy: ['sil-1'], inhibitedBy: [] } }
      ),
    ];
    const run = runner.addRun(makeRun({ scenario: 'mcp', targetName: 'prod-mcp' }));
    renderApp('overview');
    const firing = section('Firing alerts');
    expect(await within(firing).findByText('VigilProbeFailing')).toBeInTheDocument();
    expect(within(firing).queryByText('VigilProbeStale')).not.toBeInTheDocument();
    expect(await within(firing).findByText('Probe prod-probe')).toBeInTheDocument();
    const recent = section('Recent runs');
    expect(await within(recent).findByText(run.id)).toBeInTheDocument();
    expect(runner.requestsTo('get', '/api/runs')[0].query).toEqual({ limit: '5' });
  });

  it('has empty states that say what to do', async () => {
    renderApp('overview');
    expect(await screen.findByText('No probes yet')).toBeInTheDocument();
    expect(screen.getByText('Create a probe').closest('a')).toHaveAttribute('href', '/a/vigil-mcp-app/probes');
    expect(await screen.findByText('No Vigil alert is firing.')).toBeInTheDocument();
    expect(await screen.findByText(/No runs yet/)).toBeInTheDocument();
    expect(screen.getByText('Vigil / Probes').closest('a')).toHaveAttribute('href', '/d/vigil-probes');
  });

  it('keeps the rest of the page when one source fails', async () => {
    server.use(
      http.get('/api/alertmanager/:uid/api/v2/alerts', () =>
        HttpResponse.json({ message: 'Bad Gateway' }, { status: 502 })
      )
    );
    runner.addRun(makeRun());
    renderApp('overview');
    expect(await within(section('Firing alerts')).findByTestId('runner-error')).toHaveTextContent(
      'Alertmanager datasource'
    );
    expect(await within(section('Recent runs')).findByText('passed')).toBeInTheDocument();
  });
});
