/**
 * Starts a real Vigil runner process (`vigil serve`) for the probe part of the end-to-end test.
 * There is no k6 binary here, so the runner launches runner/test/fixtures/k6-test-double.mjs (the
 * runner's own k6 TEST DOUBLE) through a small shim that reads the double's mode from a file: the
 * test switches the probe from failing to passing by rewriting that file.
 */
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort, scratchDir, spawnService, waitForHttp, whenReady, type Service } from '@vigil/testkit';
import { ALERTING_DIR } from '../../src/rule-files.ts';

const RUNNER_DIR = path.join(ALERTING_DIR, '..', 'runner');
const K6_TEST_DOUBLE = path.join(RUNNER_DIR, 'test', 'fixtures', 'k6-test-double.mjs');

export interface RunnerProcess {
  service: Service;
  token: string;
  tokenFile: string;
  setProbeMode(mode: 'pass' | 'probe-fail'): Promise<void>;
  api<T>(method: string, route: string, body?: unknown): Promise<T>;
}

export async function startRunner(initialMode: 'pass' | 'probe-fail'): Promise<RunnerProcess> {
  const dir = await scratchDir('alerting-runner');
  const modeFile = path.join(dir, 'k6-mode');
  const shim = path.join(dir, 'k6-test-double-shim.sh');
  const tokenFile = path.join(dir, 'api-token');
  const token = `e2e-${Math.random().toString(36).slice(2)}`;
  await writeFile(tokenFile, token);
  const setProbeMode = (mode: string) => writeFile(modeFile, mode);
  await setProbeMode(initialMode);
  await writeFile(
    shim,
    `#!/bin/sh\nK6_TEST_DOUBLE_MODE=$(cat '${modeFile}') exec '${process.execPath}' '${K6_TEST_DOUBLE}' "$@"\n`,
  );
  await chmod(shim, 0o755);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = spawnService(
    process.execPath,
    [
      path.join(RUNNER_DIR, 'bin', 'vigil.js'),
      'serve',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--db',
      path.join(dir, 'vigil.db'),
      '--data-dir',
      path.join(dir, 'data'),
      '--token-file',
      tokenFile,
      '--k6',
      shim,
    ],
    { url, port, dir },
  );
  await whenReady(service, () => waitForHttp(`${url}/healthz`, 30_000));
  const api = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return { service, token, tokenFile, setProbeMode, api };
}
