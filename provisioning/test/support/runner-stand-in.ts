/**
 * TEST DOUBLE of the Vigil runner's HTTP shell (not the product): a node:http server that serves
 * the runner's real exporter (`RunnerMetrics` from runner/src/metrics.ts) on /metrics behind a
 * bearer token, as the runner does. Probe outcomes are fed to the exporter directly instead of
 * coming from scheduled k6 walks, so the dashboards test gets known probe series, a failing
 * probe included, without k6. The runner's own tests prove its scheduler and API.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RunnerMetrics } from '@vigil/runner/src/metrics.ts';
import { findingOf, type Step } from '@vigil/scenarios/catalog';

export interface ProbeFixture {
  probe: string;
  target: string;
  ok: boolean;
  /** The step where the walk stopped (failing probes). */
  failedStep?: Step;
}

export interface RunnerStandIn {
  hostPort: string;
  /** Requests answered 401 (wrong or missing token). */
  unauthorized(): number;
  /** Records another walk of every probe; the first probe sees its tools/list change. */
  recordRuns(): void;
  close(): Promise<void>;
}

const WALK: Step[] = ['discovery', 'token', 'initialize', 'tools_list', 'tools_call'];

export async function startRunnerStandIn(token: string, probes: ProbeFixture[]): Promise<RunnerStandIn> {
  const metrics = new RunnerMetrics();
  let walks = 0;
  const recordRuns = () => {
    walks += 1;
    for (const fixture of probes) {
      const stopAt = fixture.failedStep ? WALK.indexOf(fixture.failedStep) : WALK.length;
      metrics.recordProbe({
        probe: fixture.probe,
        target: fixture.target,
        intervalSeconds: 60,
        ok: fixture.ok,
        consecutiveFailures: fixture.ok ? 0 : walks,
        durationMs: 400 + walks * 10,
        atMs: Date.now(),
        steps: WALK.slice(0, stopAt + 1).map((step, index) => ({
          step,
          ok: index < stopAt,
          durationMs: 50 + walks,
          ...(index === stopAt ? { reason: 'jsonrpc_error' as const } : {}),
        })),
        toolsHash: fixture === probes[0] ? `tools-v${walks}` : 'tools-v1',
        tokenExpiresInSeconds: 3600,
        // The first probe's server deviates from the spec: one high finding (alert and panel data).
        findings:
          fixture === probes[0]
            ? [findingOf('AS_ISSUER_MISMATCH', { field: 'issuer', document: 'rfc8414' })]
            : [],
      });
    }
  };
  recordRuns();

  let unauthorized = 0;
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      unauthorized += 1;
      res.writeHead(401).end();
      return;
    }
    metrics.registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    hostPort: `127.0.0.1:${port}`,
    unauthorized: () => unauthorized,
    recordRuns,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
