/**
 * ALLOWED_HOSTS: a server can point a script anywhere (resource_metadata, authorization_servers,
 * the AS metadata's endpoints). The scripts check every URL's host before sending to it, so the
 * walk fails its step with `host_not_allowed` and nothing reaches the other host. The "other host"
 * is 127.0.0.2, a loopback stand-in for an internal address.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runScript, TEST_TIMEOUT_MS } from './support/harness.ts';
import {
  startPointingElsewhereServer,
  type Pointer,
  type PointingElsewhereServer,
} from './support/pointing-elsewhere-server.ts';

let server: PointingElsewhereServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const CASES: Array<[Pointer, 'discovery' | 'registration']> = [
  ['resource_metadata', 'discovery'],
  ['authorization_servers', 'discovery'],
  ['registration_endpoint', 'registration'],
];

describe('a server pointing the probe at a host outside ALLOWED_HOSTS', () => {
  it.each(CASES)(
    'via %s: the %s step fails host_not_allowed and no request reaches 127.0.0.2',
    async (via, failedStep) => {
      server = await startPointingElsewhereServer(via);
      const { result, summary } = await runScript(server, 'probe', { ALLOWED_HOSTS: '127.0.0.1' });
      expect(result.exitCode).toBe(99);
      expect(summary.probe?.failedStep).toBe(failedStep);
      const step = summary.probe?.steps.find((s) => s.step === failedStep);
      expect(step).toMatchObject({ ok: false, reason: 'host_not_allowed' });
      expect(step?.detail).toContain('127.0.0.2');
      expect(server.elsewhereRequests).toEqual([]);
      expect(result.requests.some((r) => r.url.startsWith(server!.elsewhere))).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'the same server reaches 127.0.0.2 when the run allows it (the check above can fail)',
    async () => {
      server = await startPointingElsewhereServer('resource_metadata');
      const { summary } = await runScript(server, 'probe', { ALLOWED_HOSTS: '127.0.0.1,127.0.0.2' });
      expect(server.elsewhereRequests).toEqual(['GET /prm']);
      expect(summary.probe?.steps.find((s) => s.step === 'discovery')?.reason).not.toBe('host_not_allowed');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'without ALLOWED_HOSTS (k6 run by hand) any host is reached, as before',
    async () => {
      server = await startPointingElsewhereServer('authorization_servers');
      await runScript(server, 'probe');
      expect(server.elsewhereRequests.length).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );
});
