/**
 * The runner's guards over real HTTP: no way around the address guard (every IPv6 form of a
 * metadata address, for targets and ad-hoc runs), k6's own blocklist and the allowed hosts on every
 * run and probe command line, the probe path re-checking URL and DNS, no query string in the log,
 * and key material checked on write. Addresses are strings only; every request goes to loopback.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  manualProbe,
  startTestRunner,
  tempDir,
  waitUntil,
  type Json,
  type TestRunner,
} from './support/test-runner.ts';

const BYPASSES = [
  'http://[::ffff:169.254.169.254]/mcp',
  'http://[::169.254.169.254]/mcp',
  'http://[0:0:0:0:0:ffff:169.254.169.254]/mcp',
  'http://[64:ff9b::a9fe:a9fe]/mcp',
  'http://[2002:a9fe:a9fe::1]/mcp',
];

/** Names the test's resolver answers; the answer of `moving` changes during a test. */
const dns: Record<string, string[]> = { 'moving.example.test': ['127.0.0.1'] };

let t: TestRunner;
const record = join(tempDir('vigil-k6-record-'), 'calls.jsonl');
const calls = (): Json[] => {
  try {
    return readFileSync(record, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  } catch {
    return [];
  }
};

beforeAll(async () => {
  t = await startTestRunner(
    { allowedHosts: ['*'], blockedCidrs: ['10.0.0.0/8'] },
    {
      parentEnv: {
        ...process.env,
        K6_TEST_DOUBLE_MODE: 'pass',
        K6_TEST_DOUBLE_RECORD: record,
        K6_TEST_DOUBLE_DURATION_MS: '50',
      },
      resolver: async (host) => dns[host] ?? ['127.0.0.1'],
    },
  );
});
afterAll(async () => {
  await t.close();
});

describe('the address guard with VIGIL_ALLOWED_HOSTS=*', () => {
  it.each(BYPASSES)('refuses a target at %s', async (mcpUrl) => {
    const res = await t.api('POST', '/api/targets', {
      name: `t${Math.random().toString(16).slice(2)}`,
      mcpUrl,
    });
    expect(res.status, res.text).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'url_refused', field: 'mcpUrl' });
  });

  it.each(BYPASSES)('refuses a run at %s', async (targetUrl) => {
    const res = await t.api('POST', '/api/runs', { scenario: 'oauth', targetUrl });
    expect(res.status, res.text).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'url_refused', field: 'targetUrl' });
  });

  it('refuses an operator-blocked network (VIGIL_BLOCKED_CIDRS) in its mapped form too', async () => {
    const res = await t.api('POST', '/api/runs', {
      scenario: 'oauth',
      targetUrl: 'http://[::ffff:10.1.2.3]/mcp',
    });
    expect(res.body.error?.code).toBe('url_refused');
  });
});

describe("k6's own guard on every command line", () => {
  it('passes --blacklist-ip, --block-hostnames and ALLOWED_HOSTS to load runs and probe walks', async () => {
    const target = await t.api('POST', '/api/targets', { name: 'guarded', mcpUrl: 'http://127.0.0.1:9/mcp' });
    expect(target.status).toBe(201);
    const run = await t.api('POST', '/api/runs', { scenario: 'oauth', targetId: target.body.id });
    expect(run.status, run.text).toBe(201);
    const probeId = await manualProbe(t.api, 'guarded-probe', target.body.id);
    const walk = await t.api('POST', `/api/probes/${probeId}/run`);
    expect(walk.status).toBe(200);
    const invocations = await waitUntil(
      () => (calls().length >= 2 ? calls() : undefined),
      15_000,
      'two k6 runs',
    );
    for (const call of invocations) {
      expect(call.blocklist['blacklist-ip']).toEqual(
        expect.arrayContaining(['169.254.0.0/16', 'fe80::/10', '64:ff9b::a9fe:0/112', '10.0.0.0/8']),
      );
      expect(call.blocklist['block-hostnames']).toEqual(expect.arrayContaining(['metadata.google.internal']));
      expect(call.env.ALLOWED_HOSTS).toBe('*');
    }
    expect(invocations.map((c: Json) => c.tags.kind).sort()).toEqual(['load', 'probe']);
  });
});

describe('the probe path re-checks the target as the API does', () => {
  it('refuses a walk once the name resolves to a metadata address, as a runner error, without starting k6', async () => {
    const target = await t.api('POST', '/api/targets', {
      name: 'moving',
      mcpUrl: 'http://moving.example.test/mcp',
    });
    expect(target.status, target.text).toBe(201);
    const probeId = await manualProbe(t.api, 'moving-probe', target.body.id);
    const before = calls().length;
    dns['moving.example.test'] = ['::ffff:169.254.169.254'];
    const walk = await t.api('POST', `/api/probes/${probeId}/run`);
    expect(walk.body.result).toMatchObject({
      ok: false,
      status: 'error',
      runnerError: { code: 'url_refused' },
    });
    expect(walk.body.result.runnerError.message).toMatch(/resolves to a link-local/);
    expect(calls().length).toBe(before);
    const run = await t.api('POST', '/api/runs', { scenario: 'probe', targetId: target.body.id });
    expect(run.body.error).toMatchObject({ code: 'url_refused', field: 'targetId' });
  });
});

describe('the log', () => {
  it('has the path of a request, never its query string', async () => {
    const secret = `qs-secret-${Math.random().toString(16).slice(2)}`;
    expect((await t.api('GET', `/api/targets?token=${secret}&limit=5`)).status).toBe(200);
    expect((await t.api('GET', `/api/nothing-here?token=${secret}`)).status).toBe(404);
    const lines = t.logs.filter((l) => l.includes('/api/targets') || l.includes('/api/nothing-here'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of t.logs) expect(line).not.toContain(secret);
  });
});

describe('key material', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pkcs8 = (k: typeof ec) => k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const create = (auth: Record<string, unknown>) =>
    t.api('POST', '/api/targets', {
      name: `key-${Math.random().toString(16).slice(2)}`,
      mcpUrl: 'http://127.0.0.1:9/mcp',
      auth: { clientId: 'machine', grant: 'client_credentials', tokenAuth: 'private_key_jwt', ...auth },
    });

  it.each([
    ['not a key at all', { clientPrivateKey: 'not a key' }],
    [
      'a PKCS#1 RSA key',
      {
        clientPrivateKey: rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
        clientKeyAlg: 'RS256',
      },
    ],
    ['a SEC1 EC key', { clientPrivateKey: ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString() }],
    ['an RSA key for ES256', { clientPrivateKey: pkcs8(rsa), clientKeyAlg: 'ES256' }],
  ])('refuses %s with 422 naming auth.clientPrivateKey', async (_what, auth) => {
    const res = await create(auth);
    expect(res.status, res.text).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'invalid_key', field: 'auth.clientPrivateKey' });
    expect(res.text).not.toContain('PRIVATE KEY-----\n');
  });

  it('accepts PKCS#8 keys that match their algorithm, and checks a later algorithm change', async () => {
    const good = await create({ clientPrivateKey: pkcs8(ec) });
    expect(good.status, good.text).toBe(201);
    expect(good.body.auth.hasClientPrivateKey).toBe(true);
    expect((await create({ clientPrivateKey: pkcs8(rsa), clientKeyAlg: 'PS256' })).status).toBe(201);
    const changed = await t.api('PATCH', `/api/targets/${good.body.id}`, { auth: { clientKeyAlg: 'RS256' } });
    expect(changed.status, changed.text).toBe(422);
    expect(
      (await t.api('PATCH', `/api/targets/${good.body.id}`, { auth: { clientKeyAlg: 'ES256' } })).status,
    ).toBe(200);
  });

  it('refuses an algorithm the scripts cannot sign with', async () => {
    const res = await create({ clientPrivateKey: pkcs8(ec), clientKeyAlg: 'HS256' });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('auth.clientKeyAlg');
  });
});
