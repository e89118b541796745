import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { MemoryRouter } from 'react-router-dom';
import { locationService } from '@grafana/runtime';
import type { VigilJsonData } from '../../types';
import { button, field } from '../../test/dom';
import { grafanaAnswer, runner, runnerError, runnerRoute } from '../../test/handlers';
import { SCENARIOS } from '../../test/fixtures';
import { pluginMeta } from '../../test/render';
import { server } from '../../test/server';
import AppConfig from './AppConfig';

const SETTINGS_URL = '/api/plugins/vigil-mcp-app/settings';

/** Grafana's settings endpoint (not the runner's): records what the page saves. */
function recordSettings(status = 200) {
  const saved: unknown[] = [];
  server.use(
    http.post(SETTINGS_URL, async ({ request }) => {
      saved.push(await request.json());
      return status === 200
        ? HttpResponse.json({ message: 'Plugin settings updated' })
        : HttpResponse.json({ message: 'Permission denied' }, { status });
    })
  );
  return saved;
}

function renderConfig(jsonData: VigilJsonData = {}, secureJsonFields: Record<string, boolean> = {}) {
  const meta = pluginMeta(jsonData, secureJsonFields);
  // Grafana renders the page inside its router (TextLink needs one)
  return render(
    <MemoryRouter initialEntries={['/plugins/vigil-mcp-app']}>
      <AppConfig plugin={{ meta } as never} query={{}} />
    </MemoryRouter>
  );
}

const type = (label: string, value: string) => fireEvent.change(field(document, label), { target: { value } });

describe('AppConfig', () => {
  it("shows the saved settings, a stored token only as configured, and the catalog's datasources by default", () => {
    renderConfig({ runnerUrl: 'http://runner.test:8090' }, { runnerToken: true });
    expect(field(document, 'Runner URL')).toHaveValue('http://runner.test:8090');
    expect(field(document, 'Runner token')).toHaveValue('configured');
    expect(field(document, 'Runner token')).toBeDisabled();
    expect(field(document, 'Prometheus')).toHaveValue('vigil-prometheus');
    expect(field(document, 'Alertmanager')).toHaveValue('vigil-alertmanager');
  });

  it('saves jsonData and the new token in secureJsonData, then never shows the token again', async () => {
    const saved = recordSettings();
    const token = 'vigil-token-1b2c3d4e5f';
    renderConfig();
    type('Runner URL', 'http://vigil-runner:8090/');
    type('Runner token', token);
    fireEvent.change(field(document, 'Prometheus'), { target: { value: 'other-prometheus' } });
    fireEvent.click(button(document, 'Save settings'));

    expect(await screen.findByText('Settings saved')).toBeInTheDocument();
    expect(saved).toEqual([
      {
        enabled: true,
        pinned: true,
        jsonData: {
          runnerUrl: 'http://vigil-runner:8090',
          prometheusUid: 'other-prometheus',
          alertmanagerUid: 'vigil-alertmanager',
        },
        secureJsonData: { runnerToken: token },
      },
    ]);
    expect(field(document, 'Runner token')).toHaveValue('configured');
    expect(document.body.innerHTML).not.toContain(token);
    expect(locationService.reload).toHaveBeenCalled();
    // what was just saved is what the connection test uses: nothing left to save
    expect(screen.queryByText(/with the saved settings: save first/)).not.toBeInTheDocument();
  });

  it('leaves a stored token alone when it was not changed', async () => {
    const saved = recordSettings();
    renderConfig({ runnerUrl: 'http://runner.test:8090' }, { runnerToken: true });
    type('Runner URL', 'http://runner.test:9090');
    fireEvent.click(button(document, 'Save settings'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).not.toHaveProperty('secureJsonData');
  });

  it('asks for a token after a reset, and for a usable URL, before saving anything', async () => {
    const saved = recordSettings();
    renderConfig({ runnerUrl: 'http://runner.test:8090' }, { runnerToken: true });
    fireEvent.click(button(document, 'Reset'));
    type('Runner URL', 'vigil-runner');
    expect(await screen.findByText(/must be an absolute http\(s\) URL/)).toBeInTheDocument();
    type('Runner URL', 'ftp://vigil-runner:8090');
    expect(await screen.findByText('must use http or https')).toBeInTheDocument();
    fireEvent.click(button(document, 'Save settings'));
    expect(await screen.findByText(/the runner token is required/)).toBeInTheDocument();
    expect(saved).toEqual([]);
  });

  it('says so when Grafana refuses to save', async () => {
    recordSettings(403);
    renderConfig({ runnerUrl: 'http://runner.test:8090' }, { runnerToken: true });
    fireEvent.click(button(document, 'Save settings'));
    expect(await screen.findByText('The settings were not saved')).toBeInTheDocument();
    expect(screen.getByText(/needs the Grafana Admin role/)).toBeInTheDocument();
  });

  it('tests the connection: ready, and the token accepted', async () => {
    renderConfig({ runnerUrl: 'http://runner.test:8090' }, { runnerToken: true });
    fireEvent.click(button(document, 'Test connection'));
    expect(await screen.findByText('The runner is ready')).toBeInTheDocument();
    expect(
      screen.getByText(new RegExp(`The token is accepted: ${SCENARIOS.scenarios.length} scenarios`))
    ).toBeInTheDocument();
    expect(runner.requests.map((request) => request.path)).toEqual([
      '/api/plugin-proxy/vigil-mcp-app/readyz',
      '/api/plugin-proxy/vigil-mcp-app/api/scenarios',
    ]);
  });

  it("tests the connection: degraded, with the runner's problems", async () => {
    runner.readiness = {
      status: 'degraded',
      problems: [{ code: 'k6_missing', message: 'k6 was not found: install k6 ≥ 1.0 or set K6_BIN' }],
    };
    renderConfig({ runnerUrl: 'http://runner.test:8090' }, { runnerToken: true });
    fireEvent.click(button(document, 'Test connection'));
    expect(await screen.findByText('The runner is degraded: some runs and probes cannot start')).toBeInTheDocument();
    expect(screen.getByText(/k6 was not found: install k6/)).toBeInTheDocument();
  });

  it('tests the connection: the runner is up but refuses the token', async () => {
    server.use(
      runnerRoute('get', '/api/scenarios', () =>
        runnerError(401, 'unauthorized', 'missing or invalid bearer token', 'authorization')
      )
    );
    renderConfig({ runnerUrl: 'http://runner.test:8090' }, { runnerToken: true });
    fireEvent.click(button(document, 'Test connection'));
    const alert = await screen.findByTestId('runner-error');
    expect(alert).toHaveTextContent('The runner token is wrong or missing');
    expect(screen.queryByText('The runner is ready')).not.toBeInTheDocument();
  });

  it('tests the connection: the runner is not reachable', async () => {
    server.use(grafanaAnswer('get', '/readyz', 502, 'Bad Gateway'));
    renderConfig({ runnerUrl: 'http://runner.test:8090' }, { runnerToken: true });
    fireEvent.click(button(document, 'Test connection'));
    expect(await screen.findByTestId('runner-error')).toHaveTextContent(
      'Testing the connection failed: the runner is not reachable'
    );
    expect(screen.getByTestId('runner-error')).toHaveTextContent('check the runner URL');
  });

  it('says the test uses the saved settings while the form has unsaved changes', () => {
    renderConfig({ runnerUrl: 'http://runner.test:8090' }, { runnerToken: true });
    expect(screen.queryByText(/with the saved settings: save first/)).not.toBeInTheDocument();
    type('Runner URL', 'http://elsewhere:8090');
    expect(screen.getByText(/with the saved settings: save first/)).toBeInTheDocument();
  });
});
