/** A run's k6 output as the API serves it: the run folder's k6.log, tailed. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LogTail {
  lines: string[];
  truncated: boolean;
}

export function logPath(runDir: string): string {
  return join(runDir, 'k6.log');
}

export function tailText(text: string, n: number): LogTail {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return { lines: lines.slice(-n), truncated: lines.length > n };
}

export function tailLogFile(runDir: string, n: number): LogTail {
  const path = logPath(runDir);
  return existsSync(path) ? tailText(readFileSync(path, 'utf8'), n) : { lines: [], truncated: false };
}
