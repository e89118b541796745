import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { FINDING_TEXT } from '@vigil/scenarios/catalog/findings-text.ts';
import { button, chooseOption, field, findButton, findForm, queryForm, radio, withLayout } from '../../test/dom';
import {
  MINUTE,
  isoAgo,
  makeFailedResult,
  makeFinding,
  makeProbe,
  makeResult,
  makeRunnerErrorResult,
  makeTarget,
} from '../../test/fixtures';
import { grafanaAnswer, runner, runnerError, runnerRoute } from '../../test/handlers';
import { renderApp } from '../../test/render';
import { server } from '../../test/server';

withLayout();

const type = (scope: HTMLElement, label: string, value: string) =>
  fireEvent.change(field(scope, label), { target: { value } });

/** The table row that shows `name`. */
const row = async (name: string) => (await screen.findByText(name)).closest('tr') as HTMLElement;

function seedTarget() {
  return runner.addTarget(makeTarget({ name: 'prod-mcp', mcpUrl: 'https://mcp.example.com/mcp' }));
}

describe('Probes', () => {
  it('lists each probe with its status, last result age and failing streak', async () => {
    const target = seedTarget();
    runner.addProbe(makeProbe({ name: 'failing-probe', targetId: target.id }), [
      makeFailedResult('token', 'server_error', { at: isoAgo(2 * MINUTE) }),
      makeRunnerErrorResult({ at: isoAgo(3 * MINUTE) }), // not counted: says nothing about the target
      makeFailedResult('token', 'server_error', { at: isoAgo(4 * MINUTE) }),
      makeFailedResult('token', 'server_error', { at: isoAgo(5 * MINUTE) }),
      makeResult({ at: isoAgo(6 * MINUTE) }),
    ]);
    runner.addProbe(makeProbe({ name: 'passing-probe', targetId: target.id }), [
      makeResult({ at: isoAgo(5 * MINUTE) }),
    ]);
    runner.addProbe(makeProbe({ name: 'new-probe', targetId: target.id, enabled: false }), []);
    runner.addProbe(makeProbe({ name: 'broken-runner', targetId: target.id }), [makeRunnerErrorResult()]);
    renderApp('probes');

    const failing = await row('failing-probe');
    expect(within(failing).getByText('prod-mcp')).toBeInTheDocument();
    expect(within(failing).getByText('failing at token')).toBeInTheDocument();
    expect(within(failing).getByText('2 min ago')).toBeInTheDocument();
    expect(await within(failing).findByText('3 failed')).toBeInTheDocument();

    const passing = await row('passing-probe');
    expect(within(passing).getByText('passing')).toBeInTheDocument();
    expect(within(passing).getByText('5 min ago')).toBeInTheDocument();

    const fresh = await row('new-probe');
    expect(within(fresh).getByText('never run')).toBeInTheDocument();
    expect(within(fresh).getByText('disabled')).toBeInTheDocument();

    expect(within(await row('broken-runner')).getByText('runner error')).toBeInTheDocument();
  });

  it('shows an empty state that offers to create the first probe', async () => {
    renderApp('probes');
    expect(await screen.findByText('No probes yet')).toBeInTheDocument();
    expect(button(document, 'New probe')).toBeInTheDocument();
  });

  it("shows a runner failure with the runner's message", async () => {
    server.use(runnerRoute('get', '/api/probes', () => runnerError(500, 'internal', 'database is locked')));
    renderApp('probes');
    const alert = await screen.findByTestId('runner-error');
    expect(alert).toHaveTextContent('Loading probes failed');
    expect(alert).toHaveTextContent('database is locked');
  });

  it('says the token is wrong or missing on a 401, and the runner is unreachable on a 502', async () => {
    server.use(
      runnerRoute('get', '/api/probes', () =>
        runnerError(401, 'unauthorized', 'missing or invalid bearer token', 'authorization')
      )
    );
    const { unmount } = renderApp('probes');
    expect(await screen.findByTestId('runner-error')).toHaveTextContent('The runner token is wrong or missing');
    unmount();

    server.use(grafanaAnswer('get', '/api/probes', 502, 'Bad Gateway'));
    renderApp('probes');
    expect(await screen.findByTestId('runner-error')).toHaveTextContent('check the runner URL');
  });

  it("creates a probe: the timeout defaults from the interval as the runner's does, strict as chosen", async () => {
    const target = seedTarget();
    renderApp('probes');
    fireEvent.click(await findButton(document, 'New probe'));
    const form = await findForm('New probe');

    type(form, 'Name', 'prod-probe');
    await chooseOption(field(form, 'Target'), 'prod', 'prod-mcp');
    type(form, 'Interval (seconds)', '20');
    expect(within(form).getByText(/min\(30, interval − 1\) = 19 s/)).toBeInTheDocument();
    expect(field(form, 'Timeout (seconds)')).toHaveAttribute('placeholder', '19');
    fireEvent.click(radio(form, 'medium'));
    expect(within(form).getByText('Findings of severity medium or worse fail the walk.')).toBeInTheDocument();
    fireEvent.click(button(form, 'Create probe'));

    const created = await row('prod-probe');
    expect(within(created).getByText('20 s (timeout 19 s)')).toBeInTheDocument();
    expect(within(created).getByText('medium')).toBeInTheDocument();
    expect(runner.requestsTo('post', '/api/probes')[0].body).toEqual({
      name: 'prod-probe',
      targetId: target.id,
      intervalSeconds: 20,
      enabled: true,
      strict: 'medium',
    });
    await waitFor(() => expect(queryForm('New probe')).toBeNull());
  });

  it('refuses a timeout that is not shorter than the interval, and a too short interval, before sending', async () => {
    seedTarget();
    renderApp('probes');
    fireEvent.click(await findButton(document, 'New probe'));
    const form = await findForm('New probe');
    type(form, 'Interval (seconds)', '5');
    expect(await within(form).findByText('between 10 s and 86400 s (a day)')).toBeInTheDocument();
    type(form, 'Interval (seconds)', '60');
    type(form, 'Timeout (seconds)', '60');
    expect(await within(form).findByText('must be shorter than the interval')).toBeInTheDocument();
    fireEvent.click(button(form, 'Create probe'));
    expect(await within(form).findByText('a name is required')).toBeInTheDocument();
    expect(within(form).getByText('choose the target to probe')).toBeInTheDocument();
    expect(runner.requestsTo('post', '/api/probes')).toEqual([]);
  });

  it('runs a probe now and shows the walk: steps, then the spec findings with their fix', async () => {
    const target = seedTarget();
    runner.addProbe(makeProbe({ name: 'prod-probe', targetId: target.id }), []);
    runner.walk = (probe) =>
      makeResult({
        probeId: probe.id,
        at: new Date().toISOString(),
        findings: [
          makeFinding('WWW_AUTHENTICATE_NO_RESOURCE_METADATA', { status: 401 }),
          makeFinding('AS_ISSUER_MISMATCH', {
            expected: 'https://auth.example.com',
            issuer: 'https://other.example.com',
          }),
        ],
      });
    renderApp('probes');
    fireEvent.click(await findButton(document, 'Run prod-probe now'));

    const drawer = await screen.findByRole('dialog');
    expect(await within(drawer).findByText('walk passed')).toBeInTheDocument();
    for (const step of ['discovery', 'token', 'tools_call']) {
      expect(within(drawer).getAllByText(step).length).toBeGreaterThan(0);
    }
    const findings = within(drawer).getByRole('table', { name: 'Spec findings' });
    const [, first, second] = within(findings).getAllByRole('row');
    expect(first).toHaveTextContent('high');
    expect(first).toHaveTextContent('AS_ISSUER_MISMATCH');
    expect(first).toHaveTextContent(FINDING_TEXT.AS_ISSUER_MISMATCH.title);
    expect(first).toHaveTextContent('expected=https://auth.example.com issuer=https://other.example.com');
    expect(first).toHaveTextContent(FINDING_TEXT.AS_ISSUER_MISMATCH.fix);
    expect(within(first).getByText(FINDING_TEXT.AS_ISSUER_MISMATCH.spec.name).closest('a')).toHaveAttribute(
      'href',
      FINDING_TEXT.AS_ISSUER_MISMATCH.spec.url
    );
    expect(second).toHaveTextContent('info');
    expect(second).toHaveTextContent(FINDING_TEXT.WWW_AUTHENTICATE_NO_RESOURCE_METADATA.fix);
    expect(within(drawer).getByText(/Findings do not fail the walk/)).toBeInTheDocument();
  });

  it("shows a walk the runner could not run as the runner's problem, not the target's", async () => {
    const target = seedTarget();
    runner.addProbe(makeProbe({ name: 'prod-probe', targetId: target.id }), []);
    runner.walk = (probe) =>
      makeRunnerErrorResult({
        probeId: probe.id,
        runnerError: { code: 'secrets_unreadable', message: 'the stored secrets of target prod-mcp cannot be opened' },
      });
    renderApp('probes');
    fireEvent.click(await findButton(document, 'Run prod-probe now'));
    const alert = await screen.findByTestId('probe-runner-error');
    expect(alert).toHaveTextContent('The runner could not run this walk');
    expect(alert).toHaveTextContent('secrets_unreadable: the stored secrets of target prod-mcp cannot be opened');
    expect(alert).toHaveTextContent('a problem of the runner, not of the target');
    expect(screen.queryByText('walk failed')).not.toBeInTheDocument();
  });

  it('shows a failed Run now request with what to do', async () => {
    const target = seedTarget();
    const probe = runner.addProbe(makeProbe({ name: 'prod-probe', targetId: target.id }), []);
    server.use(runnerRoute('post', '/api/probes/{id}/run', () => runnerError(500, 'internal', 'engine crashed')));
    renderApp('probes');
    fireEvent.click(await findButton(document, `Run ${probe.name} now`));
    const alert = await screen.findByTestId('runner-error');
    expect(alert).toHaveTextContent('Running prod-probe failed');
    expect(alert).toHaveTextContent('engine crashed');
  });

  it('disables and enables a probe', async () => {
    const target = seedTarget();
    const probe = runner.addProbe(makeProbe({ name: 'prod-probe', targetId: target.id }));
    renderApp('probes');
    fireEvent.click(await findButton(document, 'Disable prod-probe'));
    expect(await within(await row('prod-probe')).findByText('disabled')).toBeInTheDocument();
    expect(runner.requestsTo('patch', '/api/probes/{id}')[0].body).toEqual({ enabled: false });
    expect(runner.probes.get(probe.id)?.enabled).toBe(false);

    fireEvent.click(await findButton(document, 'Enable prod-probe'));
    await waitFor(() => expect(runner.probes.get(probe.id)?.enabled).toBe(true));
    await waitFor(() =>
      expect(within(screen.getByText('prod-probe').closest('tr')!).queryByText('disabled')).toBeNull()
    );
  });

  it('edits a probe, sending only what changed', async () => {
    const target = seedTarget();
    runner.addProbe(makeProbe({ name: 'prod-probe', targetId: target.id, intervalSeconds: 60, timeoutSeconds: 30 }));
    renderApp('probes');
    fireEvent.click(await findButton(document, 'Edit prod-probe'));
    const form = await findForm('Edit probe prod-probe');
    fireEvent.click(radio(form, 'high'));
    fireEvent.click(button(form, 'Save probe'));
    await waitFor(() => expect(runner.requestsTo('patch', '/api/probes/{id}')).toHaveLength(1));
    expect(runner.requestsTo('patch', '/api/probes/{id}')[0].body).toEqual({ strict: 'high' });
  });

  it('deletes a probe after confirmation', async () => {
    const target = seedTarget();
    runner.addProbe(makeProbe({ name: 'prod-probe', targetId: target.id }));
    renderApp('probes');
    fireEvent.click(await findButton(document, 'Delete prod-probe'));
    fireEvent.click(button(await screen.findByRole('dialog'), 'Delete'));
    expect(await screen.findByText('No probes yet')).toBeInTheDocument();
  });

  it("shows a probe's page: its last walk with the failed step, and its recent results", async () => {
    const target = seedTarget();
    const probe = runner.addProbe(makeProbe({ name: 'prod-probe', targetId: target.id, strict: 'low' }), [
      makeFailedResult('token', 'server_error', { findings: [makeFinding('TOKEN_AUDIENCE_WRONG', { aud: 'other' })] }),
      makeResult({ at: isoAgo(10 * MINUTE) }),
    ]);
    renderApp(`probes/${probe.id}`);
    expect(await screen.findByText('walk failed at token')).toBeInTheDocument();
    expect(screen.getByText('HTTP 500 from the token endpoint')).toBeInTheDocument();
    expect(screen.getAllByText('server_error').length).toBeGreaterThan(0);
    expect(screen.getByText(FINDING_TEXT.TOKEN_AUDIENCE_WRONG.fix)).toBeInTheDocument();
    expect(
      screen.getByText(/This probe is strict: findings of severity low or worse fail the walk/)
    ).toBeInTheDocument();
    expect(await screen.findByText('10 min ago')).toBeInTheDocument();
    expect(screen.getByText('prod-mcp')).toBeInTheDocument();
  });

  it("says so when a probe's page names a probe the runner does not know", async () => {
    renderApp('probes/prb_gone');
    const alert = await screen.findByTestId('runner-error');
    expect(alert).toHaveTextContent('Loading the probe failed');
    expect(alert).toHaveTextContent('probe prb_gone not found');
  });
});
