import { execFile } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a real binary (promtool, amtool) and returns its exit code and output without throwing. */
export function run(binary: string, args: string[], cwd?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      binary,
      args,
      { cwd, timeout: 120_000, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

export const PROMTOOL = process.env.PROMTOOL_BIN ?? 'promtool';
export const AMTOOL = process.env.AMTOOL_BIN ?? 'amtool';
