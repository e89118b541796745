import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { config, hasPermission } from '@grafana/runtime';
import { button, field, findButton, findForm, queryButton, queryForm, radio } from '../../test/dom';
import { grafanaAnswer, runner, runnerError, runnerRoute } from '../../test/handlers';
import { makeProbe, makeTarget } from '../../test/fixtures';
import { renderApp } from '../../test/render';
import { server } from '../../test/server';

const type = (scope: HTMLElement, label: string, value: string) =>
  fireEvent.change(field(scope, label), { target: { value } });

async function openNewTarget() {
  renderApp('targets');
  fireEvent.click(await findButton(document, 'New target'));
  return findForm('New target');
}

describe('Targets', () => {
  it('lists the targets with their URL, authorization and which secrets are stored', async () => {
    runner.addTarget(
      makeTarget({
        name: 'prod-mcp',
        mcpUrl: 'https://mcp.example.com/mcp',
        auth: {
          grant: 'client_credentials',
          tokenAuth: 'client_secret_basic',
          clientId: 'vigil',
          hasClientSecret: true,
          hasLoginPassword: false,
          hasClientPrivateKey: false,
        },
      })
    );
    renderApp('targets');
    expect(await screen.findByText('prod-mcp')).toBeInTheDocument();
    expect(screen.getByText('https://mcp.example.com/mcp')).toBeInTheDocument();
    expect(screen.getByText('client_credentials · client_secret_basic · client vigil')).toBeInTheDocument();
    expect(screen.getByText('client secret')).toBeInTheDocument();
    expect(screen.queryByText('login password')).not.toBeInTheDocument();
  });

  it('shows an empty state that offers to create the first target', async () => {
    renderApp('targets');
    expect(await screen.findByText('No targets yet')).toBeInTheDocument();
    expect(button(document, 'New target')).toBeInTheDocument();
  });

  it('pages through the targets', async () => {
    for (let i = 1; i <= 25; i++) {
      runner.addTarget(makeTarget({ name: `target-${String(i).padStart(2, '0')}` }));
    }
    renderApp('targets');
    expect(await screen.findByText('target-01')).toBeInTheDocument();
    expect(screen.queryByText('target-21')).not.toBeInTheDocument();
    fireEvent.click(button(document, '2'));
    expect(await screen.findByText('target-21')).toBeInTheDocument();
    expect(runner.requestsTo('get', '/api/targets').map((request) => request.query)).toContainEqual({
      limit: '20',
      offset: '20',
    });
  });

  it("shows a runner failure (500) with the runner's message and what to do", async () => {
    server.use(runnerRoute('get', '/api/targets', () => runnerError(500, 'internal', 'database is locked')));
    renderApp('targets');
    const alert = await screen.findByTestId('runner-error');
    expect(alert).toHaveTextContent('Loading targets failed');
    expect(alert).toHaveTextContent('database is locked');
    expect(alert).toHaveTextContent("see the runner's log");
  });

  it('says to check the runner URL when the runner is not reachable', async () => {
    server.use(grafanaAnswer('get', '/api/targets', 502, 'Bad Gateway'));
    renderApp('targets');
    expect(await screen.findByTestId('runner-error')).toHaveTextContent(
      "The runner is not reachable: check the runner URL on the Vigil app's configuration page"
    );
  });

  it('says the token is wrong or missing on a 401', async () => {
    server.use(
      runnerRoute('get', '/api/targets', () =>
        runnerError(401, 'unauthorized', 'missing or invalid bearer token', 'authorization')
      )
    );
    renderApp('targets');
    expect(await screen.findByTestId('runner-error')).toHaveTextContent('The runner token is wrong or missing');
  });

  it('asks for the configuration, and calls nothing, while no runner URL is set', async () => {
    renderApp('targets', {});
    expect(await screen.findByText('The Vigil runner is not configured yet')).toBeInTheDocument();
    expect(runner.requests).toEqual([]);
  });

  it('shows validation errors as you type, before any submit, and sends nothing invalid', async () => {
    const newTarget = await openNewTarget();
    type(newTarget, 'Name', 'bad name');
    expect(
      await within(newTarget).findByText(/must start with a letter or digit and use only letters/)
    ).toBeInTheDocument();
    type(newTarget, 'MCP URL', 'not a url');
    expect(within(newTarget).getByText(/must be an absolute http\(s\) URL/)).toBeInTheDocument();
    type(newTarget, 'MCP URL', 'ftp://mcp.example.com/mcp');
    expect(within(newTarget).getByText('must use http or https')).toBeInTheDocument();
    type(newTarget, 'MCP URL', 'https://user:pw@mcp.example.com/mcp');
    expect(within(newTarget).getByText(/must not carry credentials/)).toBeInTheDocument();

    fireEvent.click(button(newTarget, 'Create target'));
    await waitFor(() => expect(within(newTarget).getByText(/must start with a letter or digit/)).toBeInTheDocument());
    expect(runner.requestsTo('post', '/api/targets')).toEqual([]);
  });

  it('creates a target, and the secret typed is sent but never rendered back', async () => {
    const secret = 's3cr3t-Vigil-7f1d';
    const newTarget = await openNewTarget();
    type(newTarget, 'Name', 'prod-mcp');
    type(newTarget, 'MCP URL', 'https://mcp.example.com/mcp');
    fireEvent.click(radio(newTarget, 'client_credentials'));
    type(newTarget, 'Client ID', 'vigil');
    type(newTarget, 'Client secret', secret);
    fireEvent.click(button(newTarget, 'Create target'));

    expect(await screen.findByText('prod-mcp')).toBeInTheDocument();
    await waitFor(() => expect(queryForm('New target')).toBeNull());
    expect(runner.requestsTo('post', '/api/targets')[0].body).toEqual({
      name: 'prod-mcp',
      mcpUrl: 'https://mcp.example.com/mcp',
      auth: { grant: 'client_credentials', clientId: 'vigil', clientSecret: secret },
    });
    expect(screen.getByText('client secret')).toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain(secret);

    // editing shows the stored secret as configured, without its value
    fireEvent.click(button(document, 'Edit prod-mcp'));
    const edit = await findForm('Edit target prod-mcp');
    expect(field(edit, 'Client secret')).toHaveValue('configured');
    expect(field(edit, 'Client secret')).toBeDisabled();
    expect(document.body.innerHTML).not.toContain(secret);
    document
      .querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')
      .forEach((input) => expect(input.value).not.toBe(secret));
  });

  it('sends only what changed on edit, and null for a reset secret', async () => {
    const target = runner.addTarget(
      makeTarget({
        name: 'prod-mcp',
        auth: { clientId: 'vigil', hasClientSecret: true, hasLoginPassword: true, hasClientPrivateKey: false },
      }),
      { clientSecret: 'old', loginPassword: 'pw' }
    );
    renderApp('targets');
    fireEvent.click(await findButton(document, 'Edit prod-mcp'));
    const edit = await findForm('Edit target prod-mcp');
    const secretField = field(edit, 'Client secret').closest('[data-testid="input-wrapper"]')?.parentElement
      ?.parentElement;
    fireEvent.click(button(secretField ?? edit, 'Reset'));
    type(edit, 'Client ID', '');
    fireEvent.click(button(edit, 'Save target'));
    await waitFor(() => expect(runner.requestsTo('patch', '/api/targets/{id}')).toHaveLength(1));
    expect(runner.requestsTo('patch', '/api/targets/{id}')[0].body).toEqual({
      auth: { clientId: null, clientSecret: null },
    });
    expect(runner.targets.get(target.id)?.secrets).toEqual({ loginPassword: 'pw' });
  });

  it("shows the runner's field error on its field (a name taken)", async () => {
    runner.addTarget(makeTarget({ name: 'taken' }));
    const newTarget = await openNewTarget();
    type(newTarget, 'Name', 'taken');
    type(newTarget, 'MCP URL', 'https://mcp.example.com/mcp');
    fireEvent.click(button(newTarget, 'Create target'));
    expect(await within(newTarget).findByText('a target named taken already exists')).toBeInTheDocument();
  });

  it("shows the runner's 409 when probes still use the target, and keeps it", async () => {
    const target = runner.addTarget(makeTarget({ name: 'prod-mcp' }));
    runner.addProbe(makeProbe({ name: 'prod-probe', targetId: target.id }));
    renderApp('targets');
    fireEvent.click(await findButton(document, 'Delete prod-mcp'));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(button(dialog, 'Delete'));
    expect(await within(dialog).findByText(/target is used by probes: prod-probe/)).toBeInTheDocument();
    expect(within(dialog).getByText(/Delete those probes, or point them at another target, first/)).toBeInTheDocument();
    expect(runner.targets.has(target.id)).toBe(true);
  });

  it('deletes a target no probe uses', async () => {
    runner.addTarget(makeTarget({ name: 'old-mcp' }));
    renderApp('targets');
    fireEvent.click(await findButton(document, 'Delete old-mcp'));
    fireEvent.click(button(await screen.findByRole('dialog'), 'Delete'));
    expect(await screen.findByText('No targets yet')).toBeInTheDocument();
  });

  it('offers no changes to a Viewer', async () => {
    jest.mocked(hasPermission).mockReturnValue(false);
    const user = config.bootData.user;
    config.bootData.user = { ...user, orgRole: 'Viewer' } as typeof user;
    try {
      runner.addTarget(makeTarget({ name: 'prod-mcp' }));
      renderApp('targets');
      expect(await screen.findByText('prod-mcp')).toBeInTheDocument();
      expect(queryButton(document, 'New target')).toBeUndefined();
      expect(queryButton(document, 'Edit prod-mcp')).toBeUndefined();
    } finally {
      config.bootData.user = user;
      jest.mocked(hasPermission).mockReturnValue(true);
    }
  });
});
