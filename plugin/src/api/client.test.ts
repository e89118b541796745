import { runnerClient } from './client';
import { RunnerError } from './errors';
import { grafanaAnswer, networkFailure, runner, runnerError, runnerRoute } from '../test/handlers';
import { makeProbe, makeTarget } from '../test/fixtures';
import { server } from '../test/server';

async function failure(promise: Promise<unknown>): Promise<RunnerError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RunnerError);
    return error as RunnerError;
  }
  throw new Error('expected the call to fail');
}

describe('runnerClient', () => {
  it('calls the runner through the plugin proxy, with the query and body the runner takes', async () => {
    runner.addTarget(makeTarget({ name: 'one' }));
    const page = await runnerClient.listTargets({ limit: 5, offset: 0 });
    expect(page.items.map((target) => target.name)).toEqual(['one']);
    const created = await runnerClient.createTarget({ name: 'two', mcpUrl: 'https://mcp.example.com/mcp', auth: {} });
    expect(created.name).toBe('two');

    expect(runner.requests.map((request) => [request.method, request.path, request.query])).toEqual([
      ['GET', '/api/plugin-proxy/vigil-mcp-app/api/targets', { limit: '5', offset: '0' }],
      ['POST', '/api/plugin-proxy/vigil-mcp-app/api/targets', {}],
    ]);
  });

  it('fills and encodes path parameters', async () => {
    const probe = runner.addProbe(makeProbe({ id: 'prb_a b' }));
    await runnerClient.runProbe(probe.id);
    expect(runner.requestsTo('post', '/api/probes/{id}/run')[0].path).toBe(
      '/api/plugin-proxy/vigil-mcp-app/api/probes/prb_a%20b/run'
    );
  });

  it('answers a 204 with nothing', async () => {
    const target = runner.addTarget(makeTarget());
    await expect(runnerClient.deleteTarget(target.id)).resolves.toBeUndefined();
  });

  it("turns the runner's error answer into a RunnerError with its code, message and field", async () => {
    const target = runner.addTarget(makeTarget());
    runner.addProbe(makeProbe({ name: 'uses-it', targetId: target.id }));
    const error = await failure(runnerClient.deleteTarget(target.id));
    expect(error).toMatchObject({ kind: 'runner', status: 409, code: 'in_use', field: 'id' });
    expect(error.message).toBe('target is used by probes: uses-it');
  });

  it('says the token is wrong on a 401 from the runner', async () => {
    server.use(
      runnerRoute('get', '/api/targets', () =>
        runnerError(401, 'unauthorized', 'missing or invalid bearer token', 'authorization')
      )
    );
    const error = await failure(runnerClient.listTargets());
    expect(error.kind).toBe('unauthorized');
    expect(error.hint).toMatch(/runner token is wrong or missing/);
    expect(error.hint).toMatch(/configuration page/);
  });

  it('says the runner is not reachable when Grafana answers 502', async () => {
    server.use(grafanaAnswer('get', '/api/targets', 502, 'Bad Gateway'));
    const error = await failure(runnerClient.listTargets());
    expect(error.kind).toBe('unreachable');
    expect(error.hint).toMatch(/runner is not reachable: check the runner URL/);
  });

  it("tells a runner failure (500 in the runner's shape) from Grafana's own answers", async () => {
    server.use(runnerRoute('get', '/api/probes', () => runnerError(500, 'internal', 'database is locked')));
    const error = await failure(runnerClient.listProbes());
    expect(error).toMatchObject({ kind: 'runner', status: 500, code: 'internal', message: 'database is locked' });
    expect(error.hint).toMatch(/runner's log/);
  });

  it("says the role is missing when Grafana's proxy denies the route", async () => {
    server.use(grafanaAnswer('post', '/api/probes', 403, 'plugin proxy route access denied'));
    const error = await failure(runnerClient.createProbe({ name: 'p', targetId: 't', intervalSeconds: 60 }));
    expect(error.kind).toBe('forbidden');
    expect(error.hint).toMatch(/Editor/);
  });

  it('reports no answer at all as a network failure', async () => {
    server.use(networkFailure('get', '/api/scenarios'));
    const error = await failure(runnerClient.scenarios());
    expect(error).toMatchObject({ kind: 'network', status: 0 });
  });

  it("answers the runner's 503 `starting` on /readyz as a readiness, not an error", async () => {
    runner.readiness = { status: 'starting', problems: [] };
    await expect(runnerClient.readiness()).resolves.toEqual({ status: 'starting', problems: [] });
    server.use(grafanaAnswer('get', '/readyz', 503, 'Service Unavailable'));
    expect((await failure(runnerClient.readiness())).kind).toBe('unreachable');
  });
});
