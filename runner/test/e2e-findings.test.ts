/**
 * Spec findings end to end: the real probe script (through the k6 adapter shim, as in
 * e2e-adapter.test.ts) against a real reference server whose AS metadata names the wrong issuer.
 * The walk passes, the result carries the finding with its title and fix, /metrics counts it by
 * severity, and the probe's strict setting turns it into a failed walk.
 */
import { fileURLToPath } from 'node:url';
import { freePort } from '@vigil/testkit';
import { startTarget } from '@vigil/reference-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualProbe, startTestRunner, type TestRunner } from './support/test-runner.ts';

const SHIM = fileURLToPath(new URL('./fixtures/k6-adapter-shim.mjs', import.meta.url));

let target: Awaited<ReturnType<typeof startTarget>>;
let t: TestRunner;

beforeAll(async () => {
  target = await startTarget({
    port: await freePort(),
    logLevel: 'silent',
    variant: { issuerPath: '/tenant1', metadataIssuer: 'origin' },
  });
  t = await startTestRunner({ k6Bin: SHIM, scenariosDir: undefined });
});
afterAll(async () => {
  await t?.close();
  await target?.close();
});

const findingsSeries = (metrics: string) =>
  Object.fromEntries(
    [
      ...metrics.matchAll(/probe_findings\{probe="tenant-probe",target="tenant",severity="(\w+)"\} (\d+)/g),
    ].map((m) => [m[1], Number(m[2])]),
  );

describe('a server real clients use that deviates from the spec', () => {
  it('passes the walk, reports the finding with its fix, counts it on /metrics; strict fails the walk', async () => {
    const created = await t.api('POST', '/api/targets', { name: 'tenant', mcpUrl: target.mcpUrl });
    expect(created.status, created.text).toBe(201);
    const probeId = await manualProbe(t.api, 'tenant-probe', created.body.id);

    const walk = (await t.api('POST', `/api/probes/${probeId}/run`)).body.result;
    expect(walk).toMatchObject({ ok: true, status: 'passed', runnerError: null });
    expect(walk.findings).toEqual([
      expect.objectContaining({
        code: 'AS_ISSUER_MISMATCH',
        severity: 'high',
        step: 'discovery',
        title: expect.stringContaining('issuer'),
        fix: expect.stringContaining('issuer'),
        spec: expect.objectContaining({ url: expect.stringContaining('rfc8414') }),
      }),
    ]);
    expect((await t.api('GET', `/api/probes/${probeId}/results`)).body.items[0].findings[0].code).toBe(
      'AS_ISSUER_MISMATCH',
    );
    const metrics = (await t.api('GET', '/metrics')).text;
    expect(findingsSeries(metrics)).toEqual({ info: 0, low: 0, medium: 0, high: 1 });
    expect(metrics).toContain('probe_success{probe="tenant-probe",target="tenant"} 1');

    const strict = await t.api('PATCH', `/api/probes/${probeId}`, { strict: 'high' });
    expect(strict.body.strict).toBe('high');
    const strictWalk = (await t.api('POST', `/api/probes/${probeId}/run`)).body.result;
    expect(strictWalk).toMatchObject({
      ok: false,
      status: 'failed',
      failedStep: 'discovery',
      runnerError: null,
    });
    expect(strictWalk.steps[0]).toMatchObject({ step: 'discovery', ok: false, reason: 'strict_finding' });
    expect((await t.api('GET', '/metrics')).text).toContain(
      'probe_success{probe="tenant-probe",target="tenant"} 0',
    );
  });

  it('refuses a strict setting that is not a severity, naming the field', async () => {
    const targetId = (await t.api('GET', '/api/targets')).body.items[0].id;
    const res = await t.api('POST', '/api/probes', {
      name: 'bad-strict',
      targetId,
      intervalSeconds: 60,
      strict: 'very',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('strict');
  });
});
