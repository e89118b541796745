import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runK6Script, type AdapterRunResult } from '../src/index.ts';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.ts';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/system-tags.ts');

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

function run(systemTags: string | undefined): Promise<AdapterRunResult> {
  const env: Record<string, string> = { BASE_URL: server.baseUrl, WS_URL: server.wsUrl };
  if (systemTags !== undefined) env.SYSTEM_TAGS = systemTags;
  return runK6Script({ script, env });
}

/** Every tag set the run wrote: each sample of each metric and each request record. */
function allTagSets(result: AdapterRunResult): Array<Record<string, string>> {
  const samples = Object.values(result.metrics).flatMap((m) => m.samples.map((s) => s.tags));
  return [...samples, ...result.requests.map((r) => r.tags)];
}

const sampleOf = (
  result: AdapterRunResult,
  metric: string,
  predicate: (tags: Record<string, string>) => boolean = () => true,
) => result.metrics[metric]!.samples.find((s) => predicate(s.tags))!.tags;

describe('options.systemTags', () => {
  it('keeps only the listed system tags on every sample and request record; script tags stay', async () => {
    const result = await run('method,status,check,scenario');
    expect(result.exitCode).toBe(0);
    expect(result.iterationErrors).toEqual([]);
    const tagSets = allTagSets(result);
    expect(tagSets.length).toBeGreaterThan(20);
    for (const dropped of ['url', 'group', 'proto', 'expected_response', 'error_code']) {
      expect(
        tagSets.filter((tags) => dropped in tags),
        `${dropped} tag`,
      ).toEqual([]);
    }
    expect(JSON.stringify(tagSets)).not.toContain('state=abc');
    // name is off: only the name the script set itself survives (not the URL, not the http.url template).
    expect(result.requests.map((r) => r.tags.name)).toEqual(['GET /json', undefined, undefined]);
    expect(result.requests.map((r) => r.tags)).toContainEqual({
      flow: 'tags',
      scenario: 'tagged',
      method: 'GET',
      status: '404',
    });
    expect(sampleOf(result, 'checks')).toEqual({
      flow: 'tags',
      scenario: 'tagged',
      check: 'json 200',
      step: 'json',
    });
    expect(sampleOf(result, 'fixture_walks')).toEqual({ flow: 'tags', scenario: 'tagged', step: 'walk' });
    expect(sampleOf(result, 'ws_sessions')).toEqual({ flow: 'tags', scenario: 'tagged', name: 'ws echo' });
    expect(sampleOf(result, 'iterations')).toEqual({ flow: 'tags', scenario: 'tagged' });
    // http_req_failed does not depend on the expected_response tag.
    expect(result.metrics.http_req_failed!.values).toMatchObject({ passes: 2, fails: 1 });
  });

  it("uses k6's default set without the option (url, name, group, proto, expected_response, error_code)", async () => {
    const result = await run(undefined);
    expect(result.exitCode).toBe(0);
    const json = sampleOf(result, 'http_reqs', (tags) => tags.name === 'GET /json');
    expect(json).toMatchObject({
      url: `${server.baseUrl}/json?state=abc`,
      group: '::tagged',
      proto: 'HTTP/1.1',
      expected_response: 'true',
      status: '200',
    });
    expect(sampleOf(result, 'http_reqs', (tags) => tags.status === '500')).toMatchObject({
      name: '${}/status/${}',
      error_code: '1500',
    });
    expect(sampleOf(result, 'ws_sessions').url).toBe(server.wsUrl);
  });

  it('drops every system tag with an empty list', async () => {
    const result = await run('');
    expect(result.requests).toHaveLength(3);
    for (const tags of allTagSets(result))
      expect(Object.keys(tags).filter((k) => !['flow', 'step', 'name'].includes(k))).toEqual([]);
  });

  it('refuses an unknown system tag with exit 104, naming the option', async () => {
    const result = await run('method,nope');
    expect(result.exitCode).toBe(104);
    expect(result.logs.some((l) => l.includes('options.systemTags: "nope" is not a valid system tag'))).toBe(
      true,
    );
  });
});
