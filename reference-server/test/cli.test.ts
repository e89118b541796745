import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nextSteps, optionsFromCli } from '../src/main.ts';

const BIN = fileURLToPath(new URL('../bin/vigil-reference-server.js', import.meta.url));

describe('command line', () => {
  it('flags win over env, env over the config file; bad numbers are named', async () => {
    const file = path.join(os.tmpdir(), `vigil-reference-server-${process.pid}.json`);
    await writeFile(file, JSON.stringify({ port: 1111, loginMode: false, variant: { prm: 'root' } }));
    const options = optionsFromCli(['--port', '2222', '--config', file], {
      PORT: '3333',
      LOGIN_MODE: 'true',
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(options).toMatchObject({
      port: 2222,
      loginMode: true,
      redisUrl: 'redis://127.0.0.1:1',
      variant: { prm: 'root' },
    });
    expect(optionsFromCli([], { TARGET_CONFIG: file })).toMatchObject({ port: 1111 });
    expect(() => optionsFromCli(['--port', 'eighty'], {})).toThrow('--port must be a number');
    expect(optionsFromCli(['--help'], {})).toBe('help');
  });

  it('the bin starts the server, prints where, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, '--port', '0', '--log-level', 'warn'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const mcpUrl = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /MCP endpoint: (\S+)/.exec(stderr);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited early (${code}): ${stderr}`)));
    });
    const health = await fetch(new URL('/healthz', mcpUrl));
    expect(health.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('admin token (generated)');
    // The first screen says what to do next with this server.
    expect(stderr).toContain(`npx vigil probe --target ${mcpUrl}`);
  });

  it('the first screen names the next commands and whether k6 is there', () => {
    const url = 'http://127.0.0.1:8080/mcp';
    const without = nextSteps(url, undefined);
    expect(without).toContain(`npx vigil probe --target ${url}`);
    expect(without).toContain(`npx vigil run oauth --target ${url} --profile smoke`);
    expect(without).toMatch(/k6 not found .*install k6 >= 1\.0 from https:\/\/grafana\.com\/docs\/k6/);
    expect(nextSteps(url, '/usr/local/bin/k6')).toContain('k6 found: /usr/local/bin/k6');
  });
});
