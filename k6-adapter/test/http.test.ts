import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runK6Script, type AdapterRunResult } from '../src/index.ts';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.ts';

const fixture = (name: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name);

let server: FixtureServer;
let result: AdapterRunResult;

beforeAll(async () => {
  server = await startFixtureServer();
  result = await runK6Script({ script: fixture('http.ts'), env: { BASE_URL: server.baseUrl } });
});
afterAll(() => server.close());

describe('k6/http through the adapter', () => {
  it('runs the scenario iterations with passing checks and thresholds', () => {
    expect(result.iterationErrors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const failing = result.checks.filter((c) => c.fails > 0);
    expect(failing).toEqual([]);
    expect(result.checks.find((c) => c.name === 'redirects:0 exposes Location')).toEqual({
      name: 'redirects:0 exposes Location',
      passes: 2,
      fails: 0,
    });
    expect(result.thresholds.every((t) => t.ok)).toBe(true);
  });

  it('records a sample per request and per redirect hop, with name and scenario tags', () => {
    const named = (name: string) => result.requests.filter((r) => r.tags.name === name);
    expect(named('GET /json')).toHaveLength(2);
    expect(named('GET /redirect').map((r) => r.status)).toEqual([302, 302]);
    expect(named('GET /redirect (followed)').map((r) => r.status)).toEqual([302, 200, 302, 200]);
    const sample = result.metrics.http_reqs!.samples[0]!;
    expect(sample.tags).toMatchObject({
      scenario: 'walk',
      flow: 'fixture',
      method: 'GET',
      name: 'GET /json',
      status: '200',
      group: '::json',
    });
    const failed = result.metrics
      .http_req_failed!.samples.filter((s) => s.value === 1)
      .map((s) => s.tags.name);
    expect(failed).toEqual(['GET /status', 'GET /status']);
  });

  it('reports custom metrics of each type', () => {
    expect(result.metrics.fixture_walks).toMatchObject({ type: 'counter', values: { count: 2 } });
    expect(result.metrics.fixture_success).toMatchObject({
      type: 'rate',
      values: { rate: 1, passes: 2, fails: 0 },
    });
    expect(result.metrics.fixture_open).toMatchObject({ type: 'gauge', values: { value: 2, max: 2 } });
    expect(result.metrics.fixture_step_duration!.type).toBe('trend');
    expect(result.metrics.fixture_step_duration!.samples[0]!.tags).toMatchObject({
      step: 'walk',
      scenario: 'walk',
    });
  });

  it('hands handleSummary k6-shaped data and returns what it produced', () => {
    expect(result.summaryOutputs.stdout).toBe('done\n');
    const data = JSON.parse(result.summaryOutputs['summary.json']!) as {
      metrics: Record<
        string,
        {
          type: string;
          contains: string;
          values: Record<string, number>;
          thresholds?: Record<string, { ok: boolean }>;
        }
      >;
      root_group: {
        checks: Array<{ name: string; passes: number }>;
        groups: Array<{ name: string; checks: Array<{ name: string }> }>;
      };
      state: { testRunDurationMs: number };
      options: { summaryTrendStats: string[] };
    };
    expect(data.metrics.fixture_walks).toMatchObject({
      type: 'counter',
      contains: 'default',
      values: { count: 2 },
      thresholds: { 'count==2': { ok: true } },
    });
    expect(Object.keys(data.metrics.http_req_duration!.values)).toEqual(['avg', 'p(95)', 'count']);
    expect(data.metrics.http_req_duration!.contains).toBe('time');
    expect(data.metrics['fixture_success{flow:fixture}']!.thresholds).toEqual({ 'rate==1': { ok: true } });
    expect(data.root_group.groups[0]!.name).toBe('json');
    expect(data.root_group.groups[0]!.checks.map((c) => c.name)).toContain('status is 200');
    expect(data.root_group.checks.map((c) => c.name)).toContain('cookie jar');
    expect(data.state.testRunDurationMs).toBeGreaterThan(0);
    expect(data.options.summaryTrendStats).toEqual(['avg', 'p(95)', 'count']);
  });

  it('records the headers of each exchange and hop, with canonical names', () => {
    const named = (name: string) => result.requests.filter((r) => r.tags.name === name);
    const [echo] = named('POST /echo');
    expect(echo!.requestHeaders).toMatchObject({
      Authorization: 'Bearer fixture-token',
      'X-Test': 'yes',
      'Content-Type': 'application/x-www-form-urlencoded',
      'Content-Length': '13',
    });
    expect(echo!.requestHeaders['User-Agent']).toMatch(/^k6\/1\./);
    for (const json of named('GET /json')) {
      expect(json.requestHeaders).not.toHaveProperty('Authorization');
      expect(json.responseHeaders).toMatchObject({
        'Mcp-Session-Id': 'session-1',
        'Content-Type': 'application/json',
      });
    }
    const hops = named('GET /redirect (followed)').slice(0, 2);
    expect(hops.map((h) => [h.status, h.responseHeaders.Location])).toEqual([
      [302, '/json'],
      [200, undefined],
    ]);
    expect(named('GET /set-cookie')[0]!.responseHeaders['Set-Cookie']).toBe('sid=abc; Path=/; HttpOnly');
    expect(named('GET /cookie')[0]!.requestHeaders.Cookie).toBe('sid=abc');
    // The record matches what really went over the wire.
    const seen = server.seen.find((s) => s.url === '/echo')!;
    expect(seen.headers.authorization).toBe(echo!.requestHeaders.Authorization);
  });

  it('sends k6 request headers (user agent) to the real server', () => {
    const json = server.seen.find((s) => s.url === '/json')!;
    expect(json.headers['user-agent']).toMatch(/^k6\/1\./);
  });
});

describe('network errors and abortOnFail', () => {
  it('gives k6 error codes (1050 timeout, 1212 refused) and stops on an abortOnFail threshold with 99', async () => {
    const errors = await runK6Script({ script: fixture('errors.ts'), env: { BASE_URL: server.baseUrl } });
    const line = errors.logs.find((l) => l.includes('"slow"'))!;
    expect(JSON.parse(line.slice(line.indexOf('{'), line.lastIndexOf('}') + 1))).toEqual({
      slow: [0, 1050, 'request timeout'],
      refused: [0, 1212, 'dial tcp 127.0.0.1:1: connect: connection refused'],
    });
    expect(errors.logs.some((l) => l.startsWith('WARN') && l.includes('Request Failed'))).toBe(true);
    expect(errors.metrics.iterations!.values.count).toBe(2);
    expect(errors.logs.some((l) => l.includes('abortOnFail'))).toBe(true);
    expect(errors.exitCode).toBe(99);
  });
});
