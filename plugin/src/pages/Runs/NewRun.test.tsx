import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { config, hasPermission } from '@grafana/runtime';
import { button, chooseOption, field, findForm, withLayout } from '../../test/dom';
import { SCENARIOS, makeTarget } from '../../test/fixtures';
import { runner } from '../../test/handlers';
import { renderApp } from '../../test/render';

withLayout();

const type = (scope: HTMLElement, label: string, value: string) =>
  fireEvent.change(field(scope, label), { target: { value } });

async function openForm(query = '') {
  renderApp(`runs/new${query}`);
  return findForm('New run');
}

describe('New run', () => {
  beforeEach(() => {
    runner.addTarget(makeTarget({ id: 'tgt_prod', name: 'prod-mcp', mcpUrl: 'https://mcp.example.com/mcp' }));
  });

  it("builds its fields from the runner's catalog: scenario, profiles, overrides with bounds and help", async () => {
    const form = await openForm();
    const oauth = SCENARIOS.scenarios.find((scenario) => scenario.id === 'oauth')!;
    // the first load scenario is chosen, with its description and its parameters as override fields
    expect(within(form).getByText(oauth.description)).toBeInTheDocument();
    for (const parameter of oauth.parameters) {
      expect(within(form).getByText(parameter.key)).toBeInTheDocument();
    }
    expect(
      within(form).getByText(
        /^VUs \(or max VUs for arrival-rate executors\) \(1 to 5000.*The script reads it as LOAD_VUS\.$/
      )
    ).toBeInTheDocument();
    for (const profile of SCENARIOS.profiles) {
      expect(within(form).getByLabelText(profile.id)).toBeInTheDocument();
    }
    for (const workload of oauth.workloads) {
      expect(within(form).getByLabelText(`${workload.id} (${workload.title})`)).toBeChecked();
    }
    expect(within(form).getByText(/At most 200 VUs/)).toBeInTheDocument();
  });

  it("validates the overrides with the catalog's own bounds before anything is sent", async () => {
    const form = await openForm();
    type(form, 'vus', '0');
    fireEvent.blur(field(form, 'vus'));
    expect(await within(form).findByText('vus must be at least 1')).toBeInTheDocument();
    type(form, 'vus', '5001');
    expect(await within(form).findByText('vus must be at most 5000')).toBeInTheDocument();
    type(form, 'duration', 'soon');
    fireEvent.blur(field(form, 'duration'));
    expect(await within(form).findByText('duration must be a duration such as 30s, 5m or 1h30m')).toBeInTheDocument();
    fireEvent.click(button(form, 'Start run'));
    expect(await within(form).findByText('choose the target to run against')).toBeInTheDocument();
    expect(runner.requestsTo('post', '/api/runs')).toEqual([]);
  });

  it('refuses to run with no workload checked', async () => {
    const form = await openForm('?target=tgt_prod');
    const oauth = SCENARIOS.scenarios.find((scenario) => scenario.id === 'oauth')!;
    for (const workload of oauth.workloads) {
      fireEvent.click(within(form).getByLabelText(`${workload.id} (${workload.title})`));
    }
    fireEvent.click(button(form, 'Start run'));
    expect(await within(form).findByText('choose at least one workload')).toBeInTheDocument();
    expect(runner.requestsTo('post', '/api/runs')).toEqual([]);
  });

  it('starts a run and opens its page', async () => {
    const form = await openForm();
    await chooseOption(field(form, 'Target'), 'prod', 'prod-mcp');
    fireEvent.click(within(form).getByLabelText('load'));
    type(form, 'vus', '10');
    type(form, 'duration', '30s');
    fireEvent.click(button(form, 'Start run'));
    expect(await screen.findByText(/^Run run_/)).toBeInTheDocument();
    const [request] = runner.requestsTo('post', '/api/runs');
    expect(request.body).toEqual({
      scenario: 'oauth',
      targetId: 'tgt_prod',
      profile: 'load',
      engine: 'local',
      overrides: { vus: 10, duration: '30s' },
    });
    expect(screen.getByText('oauth on prod-mcp, profile load')).toBeInTheDocument();
  });

  it("puts the runner's refusal on the field it names (this runner's VU limit)", async () => {
    const form = await openForm('?scenario=mcp&target=tgt_prod');
    type(form, 'vus', '500');
    fireEvent.click(button(form, 'Start run'));
    expect(await within(form).findByText("vus 500 is over this runner's limit of 200")).toBeInTheDocument();
    expect(field(form, 'vus')).toHaveValue(500);
    expect(runner.requestsTo('post', '/api/runs')).toHaveLength(1);
    expect(runner.runs).toEqual([]);
  });

  it('takes the scenario and target from the link (Run again)', async () => {
    const form = await openForm('?scenario=mcp&target=tgt_prod');
    const mcp = SCENARIOS.scenarios.find((scenario) => scenario.id === 'mcp')!;
    expect(within(form).getByText(mcp.description)).toBeInTheDocument();
    expect(within(form).getByText('toolArgs')).toBeInTheDocument();
    fireEvent.click(button(form, 'Start run'));
    await screen.findByText(/^Run run_/);
    expect(runner.requestsTo('post', '/api/runs')[0].body).toMatchObject({ scenario: 'mcp', targetId: 'tgt_prod' });
  });

  it('asks for a target first when the runner has none', async () => {
    runner.targets.clear();
    renderApp('runs/new');
    expect(await screen.findByText('Create a target first')).toBeInTheDocument();
  });

  it('tells a Viewer that starting runs needs the Editor role', async () => {
    jest.mocked(hasPermission).mockReturnValue(false);
    const user = config.bootData.user;
    config.bootData.user = { ...user, orgRole: 'Viewer' } as typeof user;
    try {
      renderApp('runs/new');
      expect(await screen.findByText('Starting runs needs the Editor role')).toBeInTheDocument();
      await waitFor(() => expect(document.querySelector('form[aria-label="New run"]')).toBeNull());
    } finally {
      config.bootData.user = user;
      jest.mocked(hasPermission).mockReturnValue(true);
    }
  });
});
