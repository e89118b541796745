import http from 'node:http';

/** Small load-generation helpers for the bench (latencies in ms). */

export interface PhaseResult {
  name: string;
  ok: number;
  failed: number;
  dropped: number;
  seconds: number;
  latencies: number[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summarize(result: PhaseResult) {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  return {
    phase: result.name,
    ok: result.ok,
    failed: result.failed,
    dropped: result.dropped,
    ratePerSec: +(result.ok / result.seconds).toFixed(1),
    p50ms: +percentile(sorted, 50).toFixed(1),
    p95ms: +percentile(sorted, 95).toFixed(1),
    p99ms: +percentile(sorted, 99).toFixed(1),
  };
}

function emptyResult(name: string, durationMs: number): PhaseResult {
  return { name, ok: 0, failed: 0, dropped: 0, seconds: durationMs / 1000, latencies: [] };
}

/** Runs one task, counting it as ok (with its latency) or failed. */
async function timed(result: PhaseResult, task: () => Promise<void>): Promise<void> {
  const begin = performance.now();
  try {
    await task();
    result.ok++;
    result.latencies.push(performance.now() - begin);
  } catch {
    result.failed++;
  }
}

/**
 * Open loop: starts `task` at a fixed rate whatever the answers do (like k6's arrival-rate
 * executors); a start is dropped when `maxInFlight` tasks are still running.
 */
export async function openLoop(
  name: string,
  ratePerSec: number,
  durationMs: number,
  maxInFlight: number,
  task: () => Promise<void>,
): Promise<PhaseResult> {
  const result = emptyResult(name, durationMs);
  const running = new Set<Promise<void>>();
  const started = performance.now();
  let launched = 0;
  while (performance.now() - started < durationMs) {
    const due = Math.floor(((performance.now() - started) / 1000) * ratePerSec);
    for (; launched < due; launched++) {
      if (running.size >= maxInFlight) {
        result.dropped++;
        continue;
      }
      const run = timed(result, task);
      running.add(run);
      void run.finally(() => running.delete(run));
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await Promise.all(running);
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** Closed loop: `concurrency` workers each repeat `task` back to back until time is up. */
export async function closedLoop(
  name: string,
  concurrency: number,
  durationMs: number,
  task: (worker: number) => Promise<void>,
): Promise<PhaseResult> {
  const result = emptyResult(name, durationMs);
  const started = performance.now();
  const worker = async (index: number) => {
    while (performance.now() - started < durationMs) {
      await timed(result, () => task(index));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** A keep-alive POST over node:http (fetch's pool tops out far below 1000 sockets per origin). */
export function createPoster(origin: string, maxSockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const { hostname, port } = new URL(origin);
  return (path: string, headers: Record<string, string>, body: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(
        {
          agent,
          hostname,
          port,
          path,
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
}
