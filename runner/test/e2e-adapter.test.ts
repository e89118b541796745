/**
 * End to end with the real scripts and the real reference target (@vigil/reference-server): the runner's
 * local engine launches `k6-adapter-shim.mjs` — a k6 command line in front of the scenarios'
 * test-only adapter — because no k6 binary can run here. Shows the whole path: command line →
 * script → VigilSummary file → run record, probe result, gauges, CLI step table.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@vigil/testkit';
import { startTarget } from '@vigil/reference-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRunner, tempDir, waitUntil, type TestRunner } from './support/test-runner.ts';

const SHIM = fileURLToPath(new URL('./fixtures/k6-adapter-shim.mjs', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/vigil.js', import.meta.url));

let target: Awaited<ReturnType<typeof startTarget>>;
let t: TestRunner;

beforeAll(async () => {
  target = await startTarget({ port: await freePort(), logLevel: 'silent' });
  t = await startTestRunner({ k6Bin: SHIM, scenariosDir: undefined });
});
afterAll(async () => {
  await t?.close();
  await target?.close();
});

describe('runner → real probe script → real target', () => {
  it('runs a probe walk and exports its steps as gauges', async () => {
    const created = await t.api('POST', '/api/targets', { name: 'reference', mcpUrl: target.mcpUrl });
    expect(created.status, created.text).toBe(201);
    const probe = await t.api('POST', '/api/probes', {
      name: 'reference-probe',
      targetId: created.body.id,
      intervalSeconds: 600,
      timeoutSeconds: 60,
      enabled: false,
    });
    const once = await t.api('POST', `/api/probes/${probe.body.id}/run`);
    const result = once.body.result;
    const run = await t.api('GET', `/api/runs/${result.runId}`);
    const logs = await t.api('GET', `/api/runs/${result.runId}/logs?tail=40`);
    expect(result.ok, `${JSON.stringify(run.body)}\n${logs.body.lines.join('\n')}`).toBe(true);
    expect(result.steps.map((s: { step: string }) => s.step)).toContain('tools_call');
    expect(result.toolsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(run.body).toMatchObject({ status: 'passed', exitCode: 0, kind: 'probe' });
    const metrics = (await t.api('GET', '/metrics')).text;
    expect(metrics).toContain('probe_success{probe="reference-probe",target="reference"} 1');
    expect(metrics).toMatch(
      /probe_step_duration_seconds\{probe="reference-probe",target="reference",step="token"\} [0-9.e-]+/,
    );
  });

  it('runs the oauth load scenario (smoke) to passed thresholds and exports them', async () => {
    const targetId = (await t.api('GET', '/api/targets')).body.items[0].id;
    const started = await t.api('POST', '/api/runs', { scenario: 'oauth', targetId, profile: 'smoke' });
    expect(started.status, started.text).toBe(201);
    const run = await waitUntil(
      async () => {
        const res = await t.api('GET', `/api/runs/${started.body.id}`);
        return ['queued', 'running'].includes(res.body.status) ? undefined : res.body;
      },
      90_000,
      'the oauth run',
    );
    const logs = await t.api('GET', `/api/runs/${run.id}/logs?tail=40`);
    expect(run.status, logs.body.lines.join('\n')).toBe('passed');
    expect(run.thresholds.length).toBeGreaterThan(0);
    expect(run.summary.metrics.oauth_auth_flow_duration.values['p(95)']).toBeGreaterThan(0);
    const metrics = (await t.api('GET', '/metrics')).text;
    expect(metrics).toContain(
      `vigil_run_threshold_passed{testid="${run.id}",scenario="oauth",target="reference",metric="oauth_auth_flow_duration"} 1`,
    );
  });

  it('vigil probe prints the real step table and exits 0', async () => {
    const child = spawn(process.execPath, [BIN, 'probe', '--target', target.mcpUrl, '--out', tempDir()], {
      env: { PATH: process.env.PATH, K6_BIN: SHIM },
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stdout += d));
    const code = await new Promise((r) => child.on('close', r));
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('| discovery | ok |');
    expect(stdout).toContain('| tools_call | ok |');
  });
});
