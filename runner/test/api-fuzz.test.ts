/** Property: no malformed body, query or path yields a 5xx; every 4xx names a field. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRunner, type TestRunner } from './support/test-runner.ts';

let t: TestRunner;
let targetId: string;
let probeId: string;
const k6Env: NodeJS.ProcessEnv = {
  ...process.env,
  K6_TEST_DOUBLE_MODE: 'pass',
  K6_TEST_DOUBLE_DURATION_MS: '20',
};

beforeAll(async () => {
  t = await startTestRunner(
    { limits: { maxVus: 1000, maxRate: 500, maxDurationMs: 3_600_000, maxConcurrentRuns: 50 } },
    { parentEnv: k6Env },
  );
  targetId = (await t.api('POST', '/api/targets', { name: 'fuzz', mcpUrl: 'http://127.0.0.1:9/mcp' })).body
    .id;
  probeId = (
    await t.api('POST', '/api/probes', {
      name: 'fuzz-probe',
      targetId,
      intervalSeconds: 3600,
      enabled: false,
    })
  ).body.id;
});
afterAll(async () => {
  await t.runner.runs.shutdown();
  await t.close();
});

const fieldValue = fc.oneof(
  fc.jsonValue(),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    'http://127.0.0.1/mcp',
    'http://169.254.169.254/',
    'oauth',
    'smoke',
    'local',
    '1s',
    '5m',
    'x'.repeat(5000),
  ),
);
function bodyFor(keys: string[]) {
  return fc.oneof(
    fc.jsonValue(),
    fc.dictionary(fc.constantFrom(...keys, 'extra'), fieldValue, { maxKeys: keys.length + 1 }),
    fc.record({
      overrides: fc.dictionary(
        fc.constantFrom('vus', 'rate', 'duration', 'iterations', 'tool', 'toolArgs', 'workloads', 'x'),
        fieldValue,
      ),
    }),
    fc.record({
      auth: fc.dictionary(
        fc.constantFrom(
          'clientId',
          'clientSecret',
          'grant',
          'tokenAuth',
          'clientKeyAlg',
          'clientMetadataUrl',
          'scopes',
        ),
        fieldValue,
      ),
    }),
  );
}

async function expectNo5xx(method: string, path: string, body: unknown) {
  const res = await t.api(method, path, typeof body === 'string' ? body : JSON.stringify(body ?? null));
  expect(
    res.status,
    `${method} ${path} ${JSON.stringify(body)?.slice(0, 300)} -> ${res.text.slice(0, 300)}`,
  ).toBeLessThan(500);
  if (res.status >= 400 && res.status !== 429 && res.status !== 404)
    expect(typeof res.body.error.field).toBe('string');
}

const NUM_RUNS = 120;

describe('no 5xx for malformed input', () => {
  const routes: Array<[string, string, string[]]> = [
    ['POST', '/api/targets', ['name', 'mcpUrl', 'auth']],
    ['PATCH', '/api/targets/:target', ['name', 'mcpUrl', 'auth']],
    ['POST', '/api/runs', ['scenario', 'targetId', 'targetUrl', 'profile', 'overrides', 'engine']],
    ['POST', '/api/probes', ['name', 'targetId', 'intervalSeconds', 'timeoutSeconds', 'enabled']],
    ['PATCH', '/api/probes/:probe', ['name', 'targetId', 'intervalSeconds', 'timeoutSeconds', 'enabled']],
  ];
  it.each(routes)('%s %s', async (method, template, keys) => {
    const path = () => template.replace(':target', targetId).replace(':probe', probeId);
    await fc.assert(
      fc.asyncProperty(bodyFor(keys), (body) => expectNo5xx(method, path(), body)),
      { numRuns: NUM_RUNS },
    );
  });

  it('raw strings as bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), (raw) => expectNo5xx('POST', '/api/runs', raw)),
      { numRuns: NUM_RUNS },
    );
  });

  it('query strings and ids', async () => {
    const segment = fc.string({ maxLength: 40 }).map(encodeURIComponent);
    await fc.assert(
      fc.asyncProperty(segment, segment, segment, async (a, b, id) => {
        for (const path of [
          `/api/runs?limit=${a}&cursor=${b}`,
          `/api/runs?status=${a}&kind=${b}&scenario=${a}&target=${b}`,
          `/api/targets?limit=${a}&offset=${b}`,
          `/api/runs/${id || 'x'}/logs?tail=${a}`,
          `/api/runs/${id || 'x'}/compare`,
          `/api/probes/${id || 'x'}/results?cursor=${a}`,
        ]) {
          const res = await t.api('GET', path);
          expect(res.status, `${path} -> ${res.text.slice(0, 200)}`).toBeLessThan(500);
        }
      }),
      { numRuns: 60 },
    );
  });
});
