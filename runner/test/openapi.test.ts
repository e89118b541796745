/**
 * The OpenAPI document is the contract the Grafana app is generated from: runner/openapi.json must be
 * the document the routes compose (regenerate with `npm run openapi -w runner`), and real answers of
 * a real runner must validate against the response schemas it declares — so the document, the API
 * and the app cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/api/openapi.ts';
import {
  manualProbe,
  startTestRunner,
  waitUntil,
  type Json,
  type TestRunner,
} from './support/test-runner.ts';

const committed = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));

describe('openapi.json', () => {
  it('is the document the routes compose (npm run openapi -w runner)', async () => {
    expect(JSON.parse(JSON.stringify(await openApiDocument()))).toEqual(committed);
  });

  it('describes the answers of every route that answers JSON', () => {
    for (const [path, methods] of Object.entries(committed.paths as Record<string, Record<string, Json>>)) {
      for (const [method, op] of Object.entries(methods)) {
        if (path === '/metrics') continue;
        expect(Object.keys(op.responses ?? {}), `${method} ${path}`).toContain('4XX');
      }
    }
  });
});

/** Validates each answer against the schema the document declares for its path, method and status. */
function contract(doc: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  return (path: string, method: string, status: number, body: unknown) => {
    const responses = doc.paths[path]?.[method]?.responses ?? {};
    const declared = responses[String(status)] ?? responses[`${String(status)[0]}XX`];
    expect(declared, `${method} ${path} ${status} is not in the document`).toBeDefined();
    const schema = declared.content?.['application/json']?.schema;
    if (!schema) return; // 204: no body
    const validate = ajv.compile(schema);
    expect(
      validate(body),
      `${method} ${path} ${status}: ${JSON.stringify(validate.errors?.slice(0, 3))}`,
    ).toBe(true);
  };
}

describe('real answers validate against the document', () => {
  let t: TestRunner;
  const check = contract(committed);
  const call = async (method: string, url: string, docPath: string, body?: unknown) => {
    const res = await t.api(method, url, body);
    check(docPath, method.toLowerCase(), res.status, res.body);
    return res;
  };

  beforeAll(async () => {
    t = await startTestRunner(
      {},
      {
        parentEnv: {
          ...process.env,
          K6_TEST_DOUBLE_MODE: 'probe-findings',
          K6_TEST_DOUBLE_DURATION_MS: '50',
        },
      },
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('for the catalog, targets, probes with findings, runs, logs, events, baseline, compare and errors', async () => {
    await call('GET', '/api/scenarios', '/api/scenarios');
    const target = await call('POST', '/api/targets', '/api/targets', {
      name: 'contract',
      mcpUrl: 'http://127.0.0.1:9/mcp',
      auth: { clientId: 'c', clientSecret: 'contract-secret-1234' },
    });
    await call('GET', '/api/targets', '/api/targets');
    await call('GET', `/api/targets/${target.body.id}`, '/api/targets/{id}');
    await call('PATCH', `/api/targets/${target.body.id}`, '/api/targets/{id}', {
      auth: { scopes: 'mcp:tools' },
    });

    const probeId = await manualProbe(t.api, 'contract-probe', target.body.id);
    const walk = await call('POST', `/api/probes/${probeId}/run`, '/api/probes/{id}/run');
    expect(walk.body.result.findings.length).toBeGreaterThan(0);
    await call('GET', '/api/probes', '/api/probes');
    await call('GET', `/api/probes/${probeId}`, '/api/probes/{id}');
    await call('GET', `/api/probes/${probeId}/results`, '/api/probes/{id}/results');
    await call('PATCH', `/api/probes/${probeId}`, '/api/probes/{id}', { strict: 'high' });

    const run = await call('POST', '/api/runs', '/api/runs', { scenario: 'oauth', targetId: target.body.id });
    const finished = await waitUntil(async () => {
      const r = await t.api('GET', `/api/runs/${run.body.id}`);
      return ['queued', 'running'].includes(r.body.status) ? undefined : r;
    });
    check('/api/runs/{id}', 'get', finished.status, finished.body);
    expect(finished.body.status, JSON.stringify(finished.body.error)).toBe('passed');
    await call('GET', '/api/runs?limit=5', '/api/runs');
    await call('GET', `/api/runs/${run.body.id}/events`, '/api/runs/{id}/events');
    await call('GET', `/api/runs/${run.body.id}/logs?tail=5`, '/api/runs/{id}/logs');
    await call('POST', `/api/runs/${run.body.id}/baseline`, '/api/runs/{id}/baseline');
    await call('GET', `/api/runs/${run.body.id}/compare`, '/api/runs/{id}/compare');

    // Errors: 4xx in the documented shape.
    await call('GET', '/api/runs/run_missing', '/api/runs/{id}');
    await call('POST', '/api/runs', '/api/runs', { scenario: 'nope', targetUrl: 'http://127.0.0.1:9/mcp' });
    await call('POST', `/api/runs/${run.body.id}/stop`, '/api/runs/{id}/stop');
    await call('DELETE', `/api/targets/${target.body.id}`, '/api/targets/{id}');
    await call('DELETE', `/api/probes/${probeId}`, '/api/probes/{id}');
    await call('DELETE', `/api/targets/${target.body.id}`, '/api/targets/{id}');
  });

  it('for health and readiness', async () => {
    const health = await fetch(`${t.base}/healthz`);
    check('/healthz', 'get', health.status, await health.json());
    const ready = await fetch(`${t.base}/readyz`);
    check('/readyz', 'get', ready.status, await ready.json());
  });

  it('and the check can fail: an answer that breaks its schema is caught', () => {
    expect(() => check('/api/targets', 'get', 200, { items: [{ id: 1 }], total: 'many' })).toThrow();
  });
});
