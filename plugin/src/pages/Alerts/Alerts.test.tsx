import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { config, hasPermission } from '@grafana/runtime';
import { button, field, findButton } from '../../test/dom';
import { makeAlertmanagerAlert, makeNotification, makeProbe, makeTarget } from '../../test/fixtures';
import { runner } from '../../test/handlers';
import { renderApp } from '../../test/render';
import { server } from '../../test/server';

const section = (name: string) => screen.getByRole('region', { name });

describe('Alerts', () => {
  beforeEach(() => {
    const target = runner.addTarget(makeTarget({ id: 'tgt_prod', name: 'prod-mcp' }));
    runner.addProbe(makeProbe({ id: 'prb_prod', name: 'prod-probe', targetId: target.id }));
  });

  it('lists the firing Vigil alerts with their labels and links to the probe, the run and the target', async () => {
    runner.alertmanagerAlerts = [
      makeAlertmanagerAlert({ alertname: 'VigilProbeFailing', probe: 'prod-probe', target: 'prod-mcp', step: 'token' }),
      makeAlertmanagerAlert({
        alertname: 'VigilSloBreached',
        testid: 'run_abc',
        slo: 'oauth_auth_p95',
        severity: 'warning',
      }),
    ];
    renderApp('alerts');
    const failing = (await screen.findByText('VigilProbeFailing')).closest('tr')!;
    expect(within(failing).getByText('critical')).toBeInTheDocument();
    expect(within(failing).getByText('step=token')).toBeInTheDocument();
    expect(await within(failing).findByText('Probe prod-probe')).toHaveAttribute(
      'href',
      '/a/vigil-mcp-app/probes/prb_prod'
    );
    expect(within(failing).getByText('Runs on prod-mcp')).toHaveAttribute(
      'href',
      '/a/vigil-mcp-app/runs?target=tgt_prod'
    );
    const breached = screen.getByText('VigilSloBreached').closest('tr')!;
    expect(within(breached).getByText('Run run_abc')).toHaveAttribute('href', '/a/vigil-mcp-app/runs/run_abc');
    expect(within(breached).getByText('warning')).toBeInTheDocument();
  });

  it('leaves out alerts that are not Vigil’s, and says when none fires', async () => {
    runner.alertmanagerAlerts = [makeAlertmanagerAlert({ alertname: 'NodeDown' })];
    renderApp('alerts');
    expect(await screen.findByText('No Vigil alert is firing')).toBeInTheDocument();
    expect(screen.queryByText('NodeDown')).not.toBeInTheDocument();
  });

  it('shows silenced alerts as such, without a Silence button', async () => {
    runner.alertmanagerAlerts = [
      makeAlertmanagerAlert(
        { alertname: 'VigilProbeStale', probe: 'prod-probe' },
        { status: { state: 'suppressed', silencedBy: ['sil-1'], inhibitedBy: [] } }
      ),
    ];
    renderApp('alerts');
    const row = (await screen.findByText('VigilProbeStale')).closest('tr')!;
    expect(within(row).getByText('silenced')).toBeInTheDocument();
    expect(within(row).queryByText('Silence')).not.toBeInTheDocument();
  });

  it("creates a silence from the alert's identifying labels, after checking the form", async () => {
    const alert = makeAlertmanagerAlert({ alertname: 'VigilProbeFailing', probe: 'prod-probe', step: 'token' });
    runner.alertmanagerAlerts = [alert];
    renderApp('alerts');
    fireEvent.click(await findButton(document, `Silence VigilProbeFailing ${alert.fingerprint}`));
    const form = await waitFor(
      () => document.querySelector('form[aria-label="Silence VigilProbeFailing"]') as HTMLElement
    );
    expect(within(form).getByLabelText('Matcher 1 label')).toHaveValue('alertname');
    expect(within(form).getByLabelText('Matcher 2 value')).toHaveValue('prod-probe');
    fireEvent.change(field(form, 'Duration'), { target: { value: '900h' } });
    fireEvent.click(button(form, 'Create silence'));
    expect(
      await within(form).findByText('at most 30 days (720h): silence longer by changing the rule')
    ).toBeInTheDocument();
    expect(within(form).getByText('say why (Alertmanager requires a comment)')).toBeInTheDocument();
    expect(runner.silences).toEqual([]);

    fireEvent.change(field(form, 'Duration'), { target: { value: '2h' } });
    fireEvent.change(field(form, 'Comment'), { target: { value: 'token endpoint maintenance' } });
    fireEvent.click(button(form, 'Create silence'));
    expect(await screen.findByText('Silence sil-1 created')).toBeInTheDocument();
    const [silence] = runner.silences;
    expect(silence.matchers).toEqual([
      { name: 'alertname', value: 'VigilProbeFailing', isRegex: false, isEqual: true },
      { name: 'probe', value: 'prod-probe', isRegex: false, isEqual: true },
      { name: 'step', value: 'token', isRegex: false, isEqual: true },
    ]);
    expect(silence.comment).toBe('token endpoint maintenance');
    expect(Date.parse(silence.endsAt) - Date.parse(silence.startsAt)).toBe(2 * 3_600_000);
  });

  it('offers no Silence to a Viewer', async () => {
    jest.mocked(hasPermission).mockReturnValue(false);
    const user = config.bootData.user;
    config.bootData.user = { ...user, orgRole: 'Viewer' } as typeof user;
    try {
      runner.alertmanagerAlerts = [makeAlertmanagerAlert({ alertname: 'VigilProbeFailing', probe: 'prod-probe' })];
      renderApp('alerts');
      await screen.findByText('VigilProbeFailing');
      expect(screen.queryByText('Silence')).not.toBeInTheDocument();
    } finally {
      config.bootData.user = user;
      jest.mocked(hasPermission).mockReturnValue(true);
    }
  });

  it('lists pending alerts from Prometheus', async () => {
    runner.prometheusAlerts = [
      {
        labels: { alertname: 'VigilProbeFailing', probe: 'prod-probe', severity: 'critical' },
        annotations: { summary: 'prod-probe fails at token' },
        state: 'pending',
        activeAt: new Date(Date.now() - 30_000).toISOString(),
        value: '1',
      },
      {
        labels: { alertname: 'VigilProbeStale' },
        annotations: {},
        state: 'firing',
        activeAt: new Date().toISOString(),
        value: '1',
      },
    ];
    renderApp('alerts');
    const pending = section('Pending alerts');
    expect(await within(pending).findByText('prod-probe fails at token')).toBeInTheDocument();
    expect(within(pending).queryByText('VigilProbeStale')).not.toBeInTheDocument();
  });

  it("shows what Alertmanager delivered to the runner's receiver", async () => {
    runner.notifications = [
      makeNotification('resolved', { alertname: 'VigilProbeFailing', probe: 'prod-probe' }, 2),
      makeNotification('firing', { alertname: 'VigilProbeFailing', probe: 'prod-probe' }, 1),
    ];
    renderApp('alerts');
    const received = section('Notifications the runner received');
    expect(await within(received).findByText('resolved')).toBeInTheDocument();
    expect(within(received).getByText('firing')).toBeInTheDocument();
    expect(within(received).getAllByText('VigilProbeFailing · 1 alert')).toHaveLength(2);
  });

  it('says what to do when the Alertmanager datasource cannot be reached', async () => {
    server.use(
      http.get('/api/alertmanager/:uid/api/v2/alerts', () =>
        HttpResponse.json({ message: 'Bad Gateway' }, { status: 502 })
      )
    );
    renderApp('alerts');
    const firing = section('Firing alerts');
    expect(await within(firing).findByTestId('runner-error')).toHaveTextContent(
      'Grafana could not reach the Alertmanager datasource vigil-alertmanager'
    );
  });
});
