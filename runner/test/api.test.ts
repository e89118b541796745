import { SCENARIO_IDS } from '@vigil/scenarios/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REBINDING_HOST,
  startTestRunner,
  TOKEN,
  waitUntil,
  type Json,
  type TestRunner,
} from './support/test-runner.ts';

const CLIENT_SECRET = 'cs-very-secret-value-1234';
const LOGIN_PASSWORD = 'pw-hunter2-very-secret';
const k6Env: NodeJS.ProcessEnv = {
  ...process.env,
  K6_TEST_DOUBLE_MODE: 'pass',
  K6_TEST_DOUBLE_DURATION_MS: '100',
};

let t: TestRunner;
const everyResponse: string[] = [];
async function call(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  const res = await t.api(method, path, body, headers);
  everyResponse.push(res.text);
  return res;
}
function expectFieldError(res: { status: number; body: Json }, status: number, field: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.field).toBe(field);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(0);
}

beforeAll(async () => {
  t = await startTestRunner({}, { parentEnv: k6Env });
});
afterAll(async () => {
  await t.close();
  // Secrets never reach any response or any log line.
  for (const text of [...everyResponse, ...t.logs]) {
    expect(text).not.toContain(CLIENT_SECRET);
    expect(text).not.toContain(LOGIN_PASSWORD);
    expect(text).not.toContain(TOKEN);
  }
});

describe('auth and health', () => {
  it('serves /healthz and /readyz without a token', async () => {
    expect((await fetch(`${t.base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${t.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', problems: [] });
  });

  it.each(['/api/scenarios', '/api/targets', '/api/runs', '/api/probes', '/metrics', '/api/openapi.json'])(
    '401 on %s without the token',
    async (path) => {
      const res = await fetch(`${t.base}${path}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      expect((await res.json()).error.field).toBe('authorization');
      const wrong = await fetch(`${t.base}${path}`, { headers: { authorization: `Bearer ${TOKEN}x` } });
      expect(wrong.status).toBe(401);
    },
  );

  it('serves /metrics with the token, with the runner series', async () => {
    const res = await call('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('vigil_runs_active');
  });

  it('serves an OpenAPI document listing every route', async () => {
    const res = await call('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const paths = Object.keys(res.body.paths);
    for (const p of [
      '/api/targets',
      '/api/targets/{id}',
      '/api/runs',
      '/api/runs/{id}/stop',
      '/api/runs/{id}/logs',
      '/api/runs/{id}/compare',
      '/api/probes/{id}/results',
    ]) {
      expect(paths).toContain(p);
    }
    expect(res.body.paths['/api/runs'].post.requestBody).toBeDefined();
    expect(res.body.paths['/api/runs/{id}'].get.parameters[0]).toMatchObject({
      name: 'id',
      in: 'path',
      required: true,
    });
  });

  it('returns a JSON 404 for unknown routes', async () => {
    const res = await call('GET', '/api/nothing');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('catalog', () => {
  it('lists scenarios, parameters, profiles, SLOs and limits', async () => {
    const res = await call('GET', '/api/scenarios');
    expect(res.status).toBe(200);
    expect(res.body.scenarios.map((s: { id: string }) => s.id)).toEqual([...SCENARIO_IDS]);
    expect(res.body.scenarios[0].parameters.length).toBeGreaterThan(0);
    expect(res.body.profiles.map((p: { id: string }) => p.id)).toContain('smoke');
    expect(res.body.slos.length).toBeGreaterThan(0);
    expect(res.body.limits.maxConcurrentRuns).toBe(2);
  });
});

describe('targets', () => {
  let targetId: string;

  it('creates a target with write-only secrets', async () => {
    const res = await call('POST', '/api/targets', {
      name: 'demo',
      mcpUrl: 'http://127.0.0.1:8080/mcp',
      auth: {
        clientId: 'client-1',
        clientSecret: CLIENT_SECRET,
        loginUser: 'alice',
        loginPassword: LOGIN_PASSWORD,
        scopes: 'mcp:tools',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.auth).toMatchObject({
      clientId: 'client-1',
      loginUser: 'alice',
      hasClientSecret: true,
      hasLoginPassword: true,
      hasClientPrivateKey: false,
    });
    expect(res.body.auth.clientSecret).toBeUndefined();
    targetId = res.body.id;
    // Encrypted at rest: the plaintext is nowhere in the database file's rows.
    const row = t.runner.store.db.prepare('SELECT * FROM targets WHERE id = ?').get(targetId);
    expect(JSON.stringify(row)).not.toContain(CLIENT_SECRET);
  });

  it('gets, lists, updates and deletes', async () => {
    expect((await call('GET', `/api/targets/${targetId}`)).body.name).toBe('demo');
    const list = await call('GET', '/api/targets?limit=10&offset=0');
    expect(list.body.total).toBe(1);
    expect(list.body.items[0].id).toBe(targetId);
    const patched = await call('PATCH', `/api/targets/${targetId}`, {
      auth: { clientSecret: null, scopes: 'a b' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.auth).toMatchObject({
      hasClientSecret: false,
      hasLoginPassword: true,
      scopes: 'a b',
      clientId: 'client-1',
    });
    const restored = await call('PATCH', `/api/targets/${targetId}`, {
      auth: { clientSecret: CLIENT_SECRET },
    });
    expect(restored.body.auth.hasClientSecret).toBe(true);
    const other = await call('POST', '/api/targets', { name: 'other', mcpUrl: 'http://localhost:9/mcp' });
    expect(other.status).toBe(201);
    expect((await call('DELETE', `/api/targets/${other.body.id}`)).status).toBe(204);
    expect((await call('GET', `/api/targets/${other.body.id}`)).status).toBe(404);
  });

  it.each([
    [{ mcpUrl: 'http://127.0.0.1/mcp' }, 'name'],
    [{ name: '', mcpUrl: 'http://127.0.0.1/mcp' }, 'name'],
    [{ name: 'x' }, 'mcpUrl'],
    [{ name: 'x', mcpUrl: 'not a url' }, 'mcpUrl'],
    [{ name: 'x', mcpUrl: 'ftp://127.0.0.1/' }, 'mcpUrl'],
    [{ name: 'x', mcpUrl: 'http://user:pw@127.0.0.1/' }, 'mcpUrl'],
    [{ name: 'x', mcpUrl: 'http://example.org/mcp' }, 'mcpUrl'],
    [{ name: 'x', mcpUrl: 'http://169.254.169.254/latest' }, 'mcpUrl'],
    [{ name: 'x', mcpUrl: 'http://169.254.1.2/' }, 'mcpUrl'],
    [{ name: 'x', mcpUrl: 'http://[fe80::1]/' }, 'mcpUrl'],
    [{ name: 'x', mcpUrl: 'http://metadata.google.internal/' }, 'mcpUrl'],
    [{ name: 'x', mcpUrl: 'http://[fd00:ec2::254]/' }, 'mcpUrl'],
    [{ name: 'x', mcpUrl: `http://${REBINDING_HOST}/mcp` }, 'mcpUrl'],
    [{ name: 'x', mcpUrl: 'http://127.0.0.1/', auth: { grant: 'password' } }, 'auth.grant'],
    [{ name: 'x', mcpUrl: 'http://127.0.0.1/', auth: { clientSecret: 5 } }, 'auth.clientSecret'],
    [{ name: 'x', mcpUrl: 'http://127.0.0.1/', auth: { bogus: 1 } }, 'auth.bogus'],
    [{ name: 'x', mcpUrl: 'http://127.0.0.1/', extra: true }, 'extra'],
    [
      { name: 'x', mcpUrl: 'http://127.0.0.1/', auth: { clientMetadataUrl: 'http://insecure/' } },
      'auth.clientMetadataUrl',
    ],
  ])('refuses %j naming %s', async (body, field) => {
    expectFieldError(await call('POST', '/api/targets', body), 400, field);
  });

  it('refuses a duplicate name with 409', async () => {
    expectFieldError(
      await call('POST', '/api/targets', { name: 'demo', mcpUrl: 'http://127.0.0.1/' }),
      409,
      'name',
    );
  });

  it('refuses bodies that are not JSON objects', async () => {
    expectFieldError(await call('POST', '/api/targets', '{bad json'), 400, 'body');
    expectFieldError(await call('POST', '/api/targets', '[]'), 400, 'body');
    expectFieldError(await call('PATCH', `/api/targets/${targetId}`, { name: 7 }), 400, 'name');
    expectFieldError(await call('GET', '/api/targets?limit=0'), 400, 'query.limit');
    expectFieldError(await call('GET', '/api/targets/nope'), 404, 'id');
  });

  it('refuses to store a secret without a secret key', async () => {
    const keyless = await startTestRunner({ secretKey: undefined });
    try {
      const res = await keyless.api('POST', '/api/targets', {
        name: 'k',
        mcpUrl: 'http://127.0.0.1/',
        auth: { clientSecret: CLIENT_SECRET },
      });
      expectFieldError(res, 422, 'auth.clientSecret');
      expect(res.body.error.message).toContain('VIGIL_SECRET_KEY');
      const plain = await keyless.api('POST', '/api/targets', { name: 'k', mcpUrl: 'http://127.0.0.1/' });
      expect(plain.status).toBe(201);
    } finally {
      await keyless.close();
    }
  });
});

describe('runs', () => {
  let targetId: string;
  beforeAll(async () => {
    targetId = (await call('GET', '/api/targets')).body.items[0].id;
  });

  const finished = (id: string) =>
    waitUntil(
      async () => {
        const res = await call('GET', `/api/runs/${id}`);
        return ['queued', 'running'].includes(res.body.status) ? undefined : res.body;
      },
      15_000,
      `run ${id} to finish`,
    );

  it('starts a run, records the Grafana user, follows it to passed', async () => {
    const context = JSON.stringify({
      UserID: 7,
      Login: 'grafana-admin',
      Email: 'admin@example.com',
      OrgRole: 'Admin',
    });
    const res = await call(
      'POST',
      '/api/runs',
      { scenario: 'oauth', targetId, profile: 'smoke', overrides: { vus: 2 } },
      { 'x-grafana-context': context },
    );
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('running');
    expect(res.body.createdBy).toEqual({ login: 'grafana-admin', userId: '7' });
    const run = await finished(res.body.id);
    expect(run).toMatchObject({
      status: 'passed',
      exitCode: 0,
      progress: 1,
      metricsDelivered: null,
      kind: 'load',
      targetName: 'demo',
    });
    expect(run.thresholds.every((x: { ok: boolean }) => x.ok)).toBe(true);
    expect(run.summary.metrics.oauth_auth_flow_duration.type).toBe('trend');
    const logs = await call('GET', `/api/runs/${run.id}/logs?tail=50`);
    expect(logs.status).toBe(200);
    expect(logs.body.lines.join('\n')).toContain('[REDACTED]');
    expect((await call('GET', `/api/runs/${run.id}/logs?tail=1`)).body.lines).toHaveLength(1);
    const events = await call('GET', `/api/runs/${run.id}/events`);
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(['started', 'finished']);
    const metrics = await call('GET', '/metrics');
    expect(metrics.text).toContain(
      `vigil_run_threshold_passed{testid="${run.id}",scenario="oauth",target="demo",metric="oauth_auth_flow_duration"} 1`,
    );
  });

  it('records a failed run, marks a baseline and compares', async () => {
    const base = await finished((await call('POST', '/api/runs', { scenario: 'oauth', targetId })).body.id);
    expect((await call('GET', `/api/runs/${base.id}/compare`)).status).toBe(404);
    const marked = await call('POST', `/api/runs/${base.id}/baseline`);
    expect(marked.body.baseline).toBe(true);
    k6Env.K6_TEST_DOUBLE_MODE = 'thresholds';
    const bad = await finished((await call('POST', '/api/runs', { scenario: 'oauth', targetId })).body.id);
    k6Env.K6_TEST_DOUBLE_MODE = 'pass';
    expect(bad).toMatchObject({ status: 'failed', exitCode: 99 });
    const cmp = await call('GET', `/api/runs/${bad.id}/compare`);
    expect(cmp.status).toBe(200);
    expect(cmp.body.baselineId).toBe(base.id);
    const p95 = cmp.body.items.find(
      (d: { metric: string; stat: string }) => d.metric === 'oauth_auth_flow_duration' && d.stat === 'p95',
    );
    expect(p95).toMatchObject({ run: 800, baseline: 80, delta: 720, deltaPercent: 900 });
    const errorRate = cmp.body.items.find(
      (d: { metric: string; stat: string }) => d.metric === 'oauth_success' && d.stat === 'errorRate',
    );
    expect(errorRate.run).toBeCloseTo(0.1);
    expect(cmp.body.items.some((d: { stat: string }) => d.stat === 'throughput')).toBe(true);
  });

  it('stops a hanging run (SIGTERM to the group → stopped)', async () => {
    k6Env.K6_TEST_DOUBLE_MODE = 'hang';
    const res = await call('POST', '/api/runs', { scenario: 'mcp', targetUrl: 'http://localhost:8080/mcp' });
    k6Env.K6_TEST_DOUBLE_MODE = 'pass';
    expect(res.status).toBe(201);
    expect(res.body.targetName).toBe('localhost:8080');
    const stop = await call('POST', `/api/runs/${res.body.id}/stop`);
    expect(stop.status).toBe(202);
    const run = await finished(res.body.id);
    expect(run.status).toBe('stopped');
    expectFieldError(await call('POST', `/api/runs/${run.id}/stop`), 409, 'id');
  });

  it('lists with filters and cursor paging', async () => {
    const all = await call('GET', '/api/runs?limit=2');
    expect(all.body.items).toHaveLength(2);
    expect(all.body.nextCursor).toBeTruthy();
    const next = await call('GET', `/api/runs?limit=2&cursor=${all.body.nextCursor}`);
    expect(next.body.items[0].id).not.toBe(all.body.items[0].id);
    const ids = new Set([...all.body.items, ...next.body.items].map((r: { id: string }) => r.id));
    expect(ids.size).toBe(4);
    const failed = await call('GET', '/api/runs?status=failed');
    expect(failed.body.items.every((r: { status: string }) => r.status === 'failed')).toBe(true);
    expect(failed.body.items.length).toBe(1);
    const byScenario = await call('GET', `/api/runs?scenario=mcp&kind=load&target=`);
    expect(byScenario.body.items.map((r: { scenario: string }) => r.scenario)).toEqual(['mcp']);
    const byTarget = await call('GET', `/api/runs?target=${targetId}`);
    expect(byTarget.body.items.length).toBe(3);
    expect(byTarget.body.items[0].summary).toBeUndefined();
  });

  it.each([
    [{ targetId: 'x' }, 'scenario'],
    [{ scenario: 'nope', targetUrl: 'http://127.0.0.1/' }, 'scenario'],
    [{ scenario: 'oauth' }, 'targetId'],
    [{ scenario: 'oauth', targetId: 'a', targetUrl: 'http://127.0.0.1/' }, 'targetId'],
    [{ scenario: 'oauth', targetId: 'missing' }, 'targetId'],
    [{ scenario: 'oauth', targetUrl: 'http://169.254.169.254/' }, 'targetUrl'],
    [{ scenario: 'oauth', targetUrl: 'http://example.org/' }, 'targetUrl'],
    [{ scenario: 'oauth', targetUrl: 'http://127.0.0.1/', profile: 'huge' }, 'profile'],
    [{ scenario: 'oauth', targetUrl: 'http://127.0.0.1/', engine: 'docker' }, 'engine'],
    [{ scenario: 'oauth', targetUrl: 'http://127.0.0.1/', engine: 'kubernetes' }, 'engine'],
    [{ scenario: 'oauth', targetUrl: 'http://127.0.0.1/', overrides: { vus: 0 } }, 'overrides.vus'],
    [{ scenario: 'oauth', targetUrl: 'http://127.0.0.1/', overrides: { vus: 'many' } }, 'overrides.vus'],
    [
      { scenario: 'oauth', targetUrl: 'http://127.0.0.1/', overrides: { duration: '5 minutes' } },
      'overrides.duration',
    ],
    [{ scenario: 'oauth', targetUrl: 'http://127.0.0.1/', overrides: { tool: 'x' } }, 'overrides.tool'],
    [
      { scenario: 'oauth', targetUrl: 'http://127.0.0.1/', overrides: { workloads: 'streaming' } },
      'overrides.workloads',
    ],
    [{ scenario: 'oauth', targetUrl: 'http://127.0.0.1/', overrides: [] }, 'overrides'],
    [{ scenario: 'oauth', targetUrl: 'http://127.0.0.1/', extra: 1 }, 'extra'],
  ])('refuses %j naming %s', async (body, field) => {
    expectFieldError(await call('POST', '/api/runs', body), 400, field);
  });

  it('enforces server limits on VUs, rate and duration', async () => {
    const target = { scenario: 'oauth', targetId };
    const vus = await call('POST', '/api/runs', { ...target, overrides: { vus: 1001 } });
    expectFieldError(vus, 400, 'overrides.vus');
    expect(vus.body.error.code).toBe('limit_exceeded');
    expectFieldError(
      await call('POST', '/api/runs', { ...target, profile: 'load', overrides: { rate: 600, vus: 10 } }),
      400,
      'overrides.rate',
    );
    expectFieldError(
      await call('POST', '/api/runs', { ...target, overrides: { duration: '2h' } }),
      400,
      'overrides.duration',
    );
    // The load profile of session validation alone needs 1000 VUs: the profile is named.
    expectFieldError(await call('POST', '/api/runs', { ...target, profile: 'load' }), 400, 'profile');
  });

  it('refuses more concurrent runs than allowed with 429', async () => {
    k6Env.K6_TEST_DOUBLE_MODE = 'hang';
    const a = await call('POST', '/api/runs', { scenario: 'oauth', targetId });
    const b = await call('POST', '/api/runs', { scenario: 'oauth', targetId });
    const c = await call('POST', '/api/runs', { scenario: 'oauth', targetId });
    k6Env.K6_TEST_DOUBLE_MODE = 'pass';
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(c.status).toBe(429);
    expect(c.body.error.code).toBe('too_many_runs');
    await call('POST', `/api/runs/${a.body.id}/stop`);
    await call('POST', `/api/runs/${b.body.id}/stop`);
    await finished(a.body.id);
    await finished(b.body.id);
  });

  it('answers 503 with the run id when k6 is missing', async () => {
    const noK6 = await startTestRunner({ k6Bin: '/nonexistent/k6' });
    try {
      const res = await noK6.api('POST', '/api/runs', { scenario: 'oauth', targetUrl: 'http://127.0.0.1/' });
      expect(res.status).toBe(503);
      expect(res.body.error.message).toContain('k6 executable not found');
      const run = await noK6.api('GET', `/api/runs/${res.body.error.runId}`);
      expect(run.body.status).toBe('error');
    } finally {
      await noK6.close();
    }
  });

  it('404s and 400s on run paths', async () => {
    expectFieldError(await call('GET', '/api/runs/nope'), 404, 'id');
    expectFieldError(await call('POST', '/api/runs/nope/stop'), 404, 'id');
    expectFieldError(await call('GET', '/api/runs?status=weird'), 400, 'query.status');
    expectFieldError(await call('GET', '/api/runs?cursor=abc'), 400, 'query.cursor');
    const run = (await call('GET', '/api/runs?limit=1')).body.items[0];
    expectFieldError(await call('GET', `/api/runs/${run.id}/logs?tail=-1`), 400, 'query.tail');
  });
});

describe('probes', () => {
  let targetId: string;
  let probeId: string;
  beforeAll(async () => {
    targetId = (await call('GET', '/api/targets')).body.items[0].id;
  });

  it('creates, runs once, exports gauges, lists results', async () => {
    const res = await call('POST', '/api/probes', {
      name: 'demo-probe',
      targetId,
      intervalSeconds: 60,
      timeoutSeconds: 20,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ enabled: true, intervalSeconds: 60, lastResult: null });
    probeId = res.body.id;
    k6Env.K6_TEST_DOUBLE_MODE = 'probe-fail';
    const once = await call('POST', `/api/probes/${probeId}/run`);
    k6Env.K6_TEST_DOUBLE_MODE = 'pass';
    expect(once.body.result).toMatchObject({ ok: false, failedStep: 'tools_call', status: 'failed' });
    const got = await call('GET', `/api/probes/${probeId}`);
    expect(got.body.lastResult.failedStep).toBe('tools_call');
    const metrics = (await call('GET', '/metrics')).text;
    expect(metrics).toContain('probe_success{probe="demo-probe",target="demo"} 0');
    expect(metrics).toContain('probe_step_success{probe="demo-probe",target="demo",step="tools_call"} 0');
    expect(metrics).toContain(
      'probe_step_duration_seconds{probe="demo-probe",target="demo",step="discovery"} 0.01',
    );
    expect(metrics).toContain('probe_token_expiry_seconds{probe="demo-probe",target="demo"} 3600');
    expect(metrics).toContain('probe_interval_seconds{probe="demo-probe",target="demo"} 60');
    const results = await call('GET', `/api/probes/${probeId}/results?limit=5`);
    expect(results.body.items).toHaveLength(1);
    expect(results.body.nextCursor).toBeNull();
    const probeRuns = await call('GET', '/api/runs?kind=probe');
    expect(probeRuns.body.items[0].steps.length).toBeGreaterThan(0);
  });

  it('counts failed runs in a row from the stored history, back to 0 after a success', async () => {
    const consecutive = async () =>
      /probe_consecutive_failures\{probe="demo-probe",target="demo"\} (\d+)/.exec(
        (await call('GET', '/metrics')).text,
      )?.[1];
    expect(await consecutive()).toBe('1');
    k6Env.K6_TEST_DOUBLE_MODE = 'probe-fail';
    await call('POST', `/api/probes/${probeId}/run`);
    k6Env.K6_TEST_DOUBLE_MODE = 'pass';
    expect(await consecutive()).toBe('2');
    expect((await call('POST', `/api/probes/${probeId}/run`)).body.result.ok).toBe(true);
    expect(await consecutive()).toBe('0');
  });

  it('records a walk that passes its hard timeout as timeout', async () => {
    const slow = await call('POST', '/api/probes', {
      name: 'slow-probe',
      targetId,
      intervalSeconds: 600,
      timeoutSeconds: 1,
      enabled: false,
    });
    k6Env.K6_TEST_DOUBLE_MODE = 'hang';
    const once = await call('POST', `/api/probes/${slow.body.id}/run`);
    k6Env.K6_TEST_DOUBLE_MODE = 'pass';
    expect(once.body.result).toMatchObject({ ok: false, status: 'timeout' });
    expect((await call('DELETE', `/api/probes/${slow.body.id}`)).status).toBe(204);
  });

  it('lists, updates, deletes', async () => {
    expect((await call('GET', '/api/probes')).body.total).toBe(1);
    const patched = await call('PATCH', `/api/probes/${probeId}`, { enabled: false, intervalSeconds: 30 });
    expect(patched.body).toMatchObject({ enabled: false, intervalSeconds: 30 });
    expectFieldError(await call('DELETE', `/api/targets/${targetId}`), 409, 'id');
    expect((await call('DELETE', `/api/probes/${probeId}`)).status).toBe(204);
    expect((await call('GET', `/api/probes/${probeId}`)).status).toBe(404);
    expect((await call('GET', '/metrics')).text).not.toContain('probe="demo-probe"');
  });

  it.each([
    [{ targetId: 'x', intervalSeconds: 60 }, 'name'],
    [{ name: 'p', intervalSeconds: 60 }, 'targetId'],
    [{ name: 'p', targetId: 'missing', intervalSeconds: 60 }, 'targetId'],
    [{ name: 'p', targetId: 'T', intervalSeconds: 9 }, 'intervalSeconds'],
    [{ name: 'p', targetId: 'T', intervalSeconds: 10.5 }, 'intervalSeconds'],
    [{ name: 'p', targetId: 'T', intervalSeconds: 30, timeoutSeconds: 30 }, 'timeoutSeconds'],
    [{ name: 'p', targetId: 'T', intervalSeconds: 30, enabled: 'yes' }, 'enabled'],
  ])('refuses %j naming %s', async (body, field) => {
    const withTarget = { ...body, ...((body as { targetId?: string }).targetId === 'T' ? { targetId } : {}) };
    expectFieldError(await call('POST', '/api/probes', withTarget), 400, field);
  });

  it('refuses bad probe paths and patches', async () => {
    expectFieldError(await call('GET', '/api/probes/nope/results'), 404, 'id');
    const p = await call('POST', '/api/probes', {
      name: 'p2',
      targetId,
      intervalSeconds: 30,
      timeoutSeconds: 10,
    });
    expectFieldError(
      await call('PATCH', `/api/probes/${p.body.id}`, { timeoutSeconds: 40 }),
      400,
      'timeoutSeconds',
    );
    expectFieldError(
      await call('PATCH', `/api/probes/${p.body.id}`, { targetId: 'missing' }),
      400,
      'targetId',
    );
    expectFieldError(await call('GET', `/api/probes/${p.body.id}/results?cursor=x`), 400, 'query.cursor');
    expectFieldError(
      await call('POST', '/api/probes', { name: 'p2', targetId, intervalSeconds: 60 }),
      409,
      'name',
    );
    await call('DELETE', `/api/probes/${p.body.id}`);
  });
});
