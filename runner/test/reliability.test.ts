/**
 * No silent probe death: a changed or missing VIGIL_SECRET_KEY and a missing k6 are said at start
 * and on /readyz, refused with a reason, and recorded as runner errors that keep the target's
 * series and blame the runner. Also: probe timeouts default from the interval, every shipped
 * profile runs under the shipped limits, and only a run that ran to its end has a verdict.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { PROFILES, SCENARIOS } from '@vigil/scenarios/catalog';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config.ts';
import { NetworkPolicy } from '../src/hosts.ts';
import { buildRunRequest } from '../src/run-request.ts';
import {
  manualProbe,
  startTestRunner,
  tempDir,
  waitUntil,
  type Json,
  type TestRunner,
} from './support/test-runner.ts';

const SECRET = 'cs-reliability-secret-42';
const passEnv = { ...process.env, K6_TEST_DOUBLE_MODE: 'pass', K6_TEST_DOUBLE_DURATION_MS: '50' };

async function metricsText(t: TestRunner): Promise<string> {
  return (await t.api('GET', '/metrics')).text;
}

/** A target with a stored secret and a probe whose first walk passed, in `dir`, then the runner stops. */
async function seedPassingProbe(dir: string): Promise<{ targetId: string; probeId: string }> {
  const first = await startTestRunner({}, { parentEnv: passEnv }, dir);
  const target = await first.api('POST', '/api/targets', {
    name: 'sealed',
    mcpUrl: 'http://127.0.0.1:9/mcp',
    auth: { clientId: 'c1', clientSecret: SECRET },
  });
  const probeId = await manualProbe(first.api, 'sealed-probe', target.body.id);
  const walk = await first.api('POST', `/api/probes/${probeId}/run`);
  expect(walk.body.result.ok, walk.text).toBe(true);
  await first.runner.close(); // keeps the folder: the next runner opens the same store
  return { targetId: target.body.id, probeId };
}

describe.each([
  ['changed', randomBytes(32)],
  ['missing', undefined],
])('a %s VIGIL_SECRET_KEY', (_what, secretKey) => {
  it('is said at start and on /readyz, refuses runs with what to do, and records the probe as a runner error', async () => {
    const dir = tempDir();
    const { targetId, probeId } = await seedPassingProbe(dir);
    const t = await startTestRunner({ secretKey }, { parentEnv: passEnv }, dir);
    try {
      const warning = t.logs.find((l) => l.includes('secrets_unreadable'));
      expect(warning).toContain('sealed');
      const ready = await (await fetch(`${t.base}/readyz`)).json();
      expect(ready.status).toBe('degraded');
      expect(ready.problems).toEqual([expect.objectContaining({ code: 'secrets_unreadable' })]);

      // The target's series survive the restart from the stored verdict, before any new walk.
      expect(await metricsText(t)).toMatch(/probe_success\{probe="sealed-probe",target="sealed"\} 1/);

      const run = await t.api('POST', '/api/runs', { scenario: 'oauth', targetId });
      expect(run.status).toBe(409);
      expect(run.body.error).toMatchObject({ code: 'secrets_unreadable', field: 'targetId' });
      expect(run.body.error.message).toMatch(/VIGIL_SECRET_KEY/);

      const walk = await t.api('POST', `/api/probes/${probeId}/run`);
      expect(walk.body.result).toMatchObject({
        ok: false,
        status: 'error',
        runnerError: { code: 'secrets_unreadable' },
      });
      const metrics = await metricsText(t);
      expect(metrics).toMatch(
        /probe_runner_error\{probe="sealed-probe",target="sealed",reason="secrets_unreadable"\} 1/,
      );
      expect(metrics).toMatch(/probe_success\{probe="sealed-probe",target="sealed"\} 1/);
      expect(metrics).toMatch(/probe_consecutive_failures\{probe="sealed-probe",target="sealed"\} 0/);
      expect(t.logs.some((l) => l.includes('the runner could not run the probe'))).toBe(true);

      // A patch must give every stored secret again (nothing is dropped silently); then it runs.
      const partial = await t.api('PATCH', `/api/targets/${targetId}`, {
        auth: { loginPassword: 'pw-new-1234' },
      });
      if (secretKey) {
        expect(partial.status).toBe(409);
        expect(partial.body.error).toMatchObject({ code: 'secrets_unreadable', field: 'auth.clientSecret' });
        const fixed = await t.api('PATCH', `/api/targets/${targetId}`, {
          auth: { clientSecret: 'cs-new-5678' },
        });
        expect(fixed.status, fixed.text).toBe(200);
        const again = await t.api('POST', `/api/probes/${probeId}/run`);
        expect(again.body.result).toMatchObject({ ok: true, runnerError: null });
        expect(await metricsText(t)).toMatch(
          /probe_runner_error\{probe="sealed-probe",target="sealed",reason="none"\} 0/,
        );
        expect((await (await fetch(`${t.base}/readyz`)).json()).status).toBe('ready');
      } else {
        expect(partial.status).toBe(409); // without a key nothing can be sealed either
      }
      for (const line of t.logs) expect(line).not.toContain(SECRET);
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('k6 missing', () => {
  it('warns at start, is degraded on /readyz, and records probes as runner errors that do not count as failures', async () => {
    const t = await startTestRunner({ k6Bin: '/nonexistent/k6' }, { parentEnv: passEnv });
    try {
      const warning = t.logs.find((l) => l.includes('"problem":"k6_missing"'));
      expect(warning).toMatch(/k6 executable not found .*install k6/);
      const ready = await (await fetch(`${t.base}/readyz`)).json();
      expect(ready).toMatchObject({ status: 'degraded', problems: [{ code: 'k6_missing' }] });
      const target = await t.api('POST', '/api/targets', { name: 'fine', mcpUrl: 'http://127.0.0.1:9/mcp' });
      const probeId = await manualProbe(t.api, 'no-k6', target.body.id);
      for (let i = 0; i < 2; i++) {
        const walk = await t.api('POST', `/api/probes/${probeId}/run`);
        expect(walk.body.result).toMatchObject({
          ok: false,
          status: 'error',
          runnerError: { code: 'k6_missing' },
        });
        expect(walk.body.result.runnerError.message).toMatch(/k6 executable not found/);
      }
      const metrics = await metricsText(t);
      expect(metrics).toMatch(/probe_runner_error\{probe="no-k6",target="fine",reason="k6_missing"\} 1/);
      // Nothing says the target failed: no verdict series, no failure count.
      expect(metrics).not.toMatch(/probe_success\{probe="no-k6"/);
      expect(metrics).not.toMatch(/probe_consecutive_failures\{probe="no-k6"/);
      const run = await t.api('POST', '/api/runs', { scenario: 'oauth', targetId: target.body.id });
      expect(run.status).toBe(503);
      expect(run.body.error.code).toBe('engine_unavailable');
    } finally {
      await t.close();
    }
  });
});

describe('probe timeouts', () => {
  it('default from the interval; an unknown target is named before any timing rule', async () => {
    const t = await startTestRunner({}, { parentEnv: passEnv });
    try {
      const target = await t.api('POST', '/api/targets', {
        name: 'timing',
        mcpUrl: 'http://127.0.0.1:9/mcp',
      });
      const create = (body: Json) =>
        t.api('POST', '/api/probes', { targetId: target.body.id, enabled: false, ...body });
      const fast = await create({ name: 'every-10', intervalSeconds: 10 });
      expect(fast.status, fast.text).toBe(201);
      expect(fast.body.timeoutSeconds).toBe(9);
      expect((await create({ name: 'every-20', intervalSeconds: 20 })).body.timeoutSeconds).toBe(19);
      expect((await create({ name: 'every-60', intervalSeconds: 60 })).body.timeoutSeconds).toBe(30);
      const unknown = await t.api('POST', '/api/probes', {
        name: 'ghost',
        targetId: 'tgt_missing',
        intervalSeconds: 10,
        timeoutSeconds: 30,
      });
      expect(unknown.body.error.field).toBe('targetId');
      const tooLong = await create({ name: 'slow', intervalSeconds: 10, timeoutSeconds: 10 });
      expect(tooLong.body.error).toMatchObject({ field: 'timeoutSeconds' });
    } finally {
      await t.close();
    }
  });
});

describe('the shipped limits', () => {
  const config = configFromEnv({ VIGIL_TOKEN: 'x' });
  it.each(Object.values(SCENARIOS).flatMap((s) => PROFILES.map((p) => [s.id, p] as const)))(
    '%s × %s passes the validation of a runner with default settings',
    async (scenario, profile) => {
      const request = await buildRunRequest(
        { scenario, profile, target: { url: 'http://127.0.0.1:8080/mcp', field: 'targetUrl' } },
        { policy: new NetworkPolicy(config.allowedHosts), secretsOf: () => ({}), limits: config.limits },
      );
      expect(request.scenario.id).toBe(scenario);
    },
  );
});

describe('a run stopped part-way', () => {
  it('has no threshold verdict, publishes none and cannot be the baseline', async () => {
    const t = await startTestRunner({}, { parentEnv: { ...process.env, K6_TEST_DOUBLE_MODE: 'hang' } });
    try {
      const started = await t.api('POST', '/api/runs', {
        scenario: 'oauth',
        targetUrl: 'http://127.0.0.1:9/mcp',
      });
      expect(started.status).toBe(201);
      // Stop once k6 (the double) is up and handles SIGTERM, as a user stopping a running test would.
      await waitUntil(async () => {
        const logs = await t.api('GET', `/api/runs/${started.body.id}/logs`);
        return logs.body.lines.some((l: string) => l.includes('running ('));
      });
      expect((await t.api('POST', `/api/runs/${started.body.id}/stop`)).status).toBe(202);
      const run = await waitUntil(async () => {
        const r = await t.api('GET', `/api/runs/${started.body.id}`);
        return r.body.status === 'stopped' ? r.body : undefined;
      });
      expect(run.exitCode).toBe(105);
      expect(run.summary).not.toBeNull(); // the partial figures are kept…
      expect(run.thresholds).toBeNull(); // …but say nothing about the thresholds
      expect(await metricsText(t)).not.toContain(`testid="${run.id}"`);
      const baseline = await t.api('POST', `/api/runs/${run.id}/baseline`);
      expect(baseline.status).toBe(409);
      expect(baseline.body.error).toMatchObject({ code: 'no_verdict', field: 'id' });
    } finally {
      await t.close();
    }
  });
});

describe('error answers from fastify itself', () => {
  it.each([
    [`/api/runs/${'r'.repeat(300)}`, 414, 'uri_too_long'],
    ['/api/runs/%E0%A4%A', 400, 'bad_url'],
    ['/api/targets/%ZZecho-me', 400, 'bad_url'],
  ])('%s → %i in the documented shape, without echoing the input', async (path, status, code) => {
    const t = await startTestRunner();
    try {
      const res = await t.api('GET', path);
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ error: { code, message: expect.any(String), field: expect.any(String) } });
      expect(res.text).not.toContain('rrrrrrrrrr');
      expect(res.text).not.toContain('echo-me');
      expect(res.text).not.toContain('%E0');
    } finally {
      await t.close();
    }
  });

  it('a body that is not JSON, or too large, gets our own message', async () => {
    const t = await startTestRunner();
    try {
      const bad = await t.api('POST', '/api/targets', '{"name": "echo-me"');
      expect(bad.body.error).toMatchObject({ code: 'invalid_json', field: 'body' });
      const huge = await t.api('POST', '/api/targets', JSON.stringify({ name: 'x'.repeat(300 * 1024) }));
      expect(huge.status).toBe(413);
      expect(huge.body.error.code).toBe('body_too_large');
      const xml = await t.api('POST', '/api/targets', '<echo-me/>', { 'content-type': 'application/xml' });
      expect(xml.status).toBe(415);
      expect(xml.text).not.toContain('xml');
    } finally {
      await t.close();
    }
  });
});
