import { createCipheriv, createHash, createHmac } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runK6Script } from '../src/index.ts';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.ts';

const fixture = (name: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name);

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

describe('k6/crypto, k6/encoding and WebCrypto', () => {
  it('match node:crypto for the PKCE S256 challenge and friends', async () => {
    const input = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const result = await runK6Script({ script: fixture('crypto.ts'), env: { INPUT: input } });
    const line = result.logs.find((l) => l.includes('sha256_base64rawurl'))!;
    const printed = JSON.parse(line.slice(line.indexOf('{'), line.lastIndexOf('}') + 1)) as Record<
      string,
      unknown
    >;
    const sha256 = createHash('sha256').update(input).digest();
    expect(printed).toMatchObject({
      sha256_base64rawurl: sha256.toString('base64url'),
      sha256_hex: sha256.toString('hex'),
      sha512_base64: createHash('sha512').update(input).digest('base64'),
      hmac_base64url: createHmac('sha256', 'key').update(input).digest('base64url').padEnd(44, '='),
      binary_is_arraybuffer: true,
      random_bytes: 8,
      b64_rawurl: Buffer.from(input).toString('base64url'),
      b64_std: Buffer.from(input).toString('base64'),
      b64_roundtrip: input,
      subtle_double_sha256_hex: createHash('sha256').update(sha256).digest('hex'),
      random_filled: true,
    });
    expect(printed.uuid).toMatch(/^[0-9a-f-]{36}$/);
    // RFC 7636's example: the S256 challenge of this verifier.
    expect(printed.sha256_base64rawurl).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(result.iterationErrors).toEqual(['Error: illegal base64 data for encoding "url"']);
  });
});

describe('buffers made in the script realm (ArrayBuffer, TypedArray, DataView)', () => {
  it('are accepted by WebCrypto (top level and inside algorithm params), k6/crypto and k6/encoding', async () => {
    const result = await runK6Script({ script: fixture('crypto-buffers.ts') });
    expect(result.iterationErrors).toEqual([]);
    const line = result.logs.find((l) => l.includes('subtle_digest_arraybuffer'))!;
    const printed = JSON.parse(line.slice(line.indexOf('{'), line.lastIndexOf('}') + 1)) as Record<
      string,
      unknown
    >;
    const counting = (length: number) => Buffer.from(Array.from({ length }, (_, i) => i + 1));
    const [key, data] = [counting(32), counting(10)];
    const sha256 = createHash('sha256').update(data).digest('hex');
    const hmac = createHmac('sha256', key).update(data).digest('hex');
    const cipher = createCipheriv('aes-256-gcm', key, counting(12)).setAAD(counting(4));
    const sealed = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]).toString('hex');
    expect(printed).toEqual({
      subtle_digest_arraybuffer: sha256,
      subtle_digest_dataview: sha256,
      subtle_hmac_arraybuffer: hmac,
      subtle_verify_arraybuffer: true,
      subtle_aes_gcm_sealed: sealed,
      subtle_aes_gcm_roundtrip: data.toString('hex'),
      k6_sha256_arraybuffer: sha256,
      k6_sha256_dataview: sha256,
      k6_hmac_arraybuffer_secret: hmac,
      k6_b64_arraybuffer: data.toString('base64'),
      k6_b64_dataview: data.toString('base64'),
    });
  });
});

describe('k6/websockets', () => {
  it('echoes against a real ws server and keeps the iteration open until close', async () => {
    const result = await runK6Script({ script: fixture('websocket.ts'), env: { WS_URL: server.wsUrl } });
    expect(result.iterationErrors).toEqual([]);
    expect(result.checks).toEqual([{ name: 'echoed both', passes: 2, fails: 0 }]);
    expect(result.metrics.ws_sessions!.values.count).toBe(2);
    expect(result.metrics.ws_msgs_sent!.values.count).toBe(4);
    expect(result.metrics.ws_msgs_received!.samples[0]!.tags).toMatchObject({ name: 'ws echo' });
  });

  it('reports a refused connection through onerror', async () => {
    const result = await runK6Script({
      script: fixture('websocket.ts'),
      env: { WS_URL: 'ws://127.0.0.1:1/ws' },
      maxIterationsPerScenario: 1,
    });
    expect(
      result.logs.some((l) => l.includes('ws error: dial tcp 127.0.0.1:1: connect: connection refused')),
    ).toBe(true);
    expect(result.checks[0]).toMatchObject({ passes: 0, fails: 1 });
  });
});

describe('k6/secrets and http.asyncRequest', () => {
  it('resolves secrets, redacts them from logs, rejects unknown ones', async () => {
    const secret = 's3cr3t-value';
    const result = await runK6Script({
      script: fixture('secrets.ts'),
      env: { BASE_URL: server.baseUrl },
      secrets: { client_secret: secret },
    });
    expect(result.checks).toEqual([{ name: 'async request sent the secret', passes: 1, fails: 0 }]);
    expect(result.logs.some((l) => l.includes('secret is ***SECRET_REDACTED***'))).toBe(true);
    expect(JSON.stringify(result.logs)).not.toContain(secret);
    expect(result.iterationErrors).toEqual([
      'Error: no secret with name "missing" (k6 adapter: pass it in options.secrets)',
    ]);
    expect(result.requests.map((r) => r.tags.name)).toEqual(['POST /echo async']);
  });
});
