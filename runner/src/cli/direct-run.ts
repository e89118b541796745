/**
 * `vigil run` / `vigil probe` without a server: validates like the API, runs k6 through the local
 * engine into an output folder, writes the reports, and maps the outcome to an exit code.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { blockedCidrsFrom } from '../config.ts';
import { LocalEngine } from '../engine/local.ts';
import { locateK6 } from '../engine/locate.ts';
import { EngineUnavailable, type EngineOutcome } from '../engine/types.ts';
import { RequestError } from '../errors.ts';
import { dnsResolver, NetworkPolicy } from '../hosts.ts';
import { buildRunRequest, runSpecFor, type RunRequest } from '../run-request.ts';
import type { TargetAuth } from '../store/types.ts';
import { redactSecrets, type FailOn } from './findings.ts';
import { junitXml, markdownReport, type ReportMeta } from './report.ts';

/** Documented in README.md. */
export const EXIT = { ok: 0, thresholdsFailed: 1, usage: 2, runError: 3 } as const;

export class UsageError extends Error {}

export interface DirectRunOptions {
  scenario: string;
  target: string;
  profile: string;
  set: string[];
  out: string;
  auth: TargetAuth;
  k6Bin: string;
  remoteWriteUrl?: string;
  timeoutSeconds?: number;
  progress?: (fraction: number) => void;
  env?: NodeJS.ProcessEnv;
  /** `vigil probe --fail-on`: which findings the reports count as failures. */
  failOn?: FailOn;
}

export interface DirectRunResult {
  outcome: EngineOutcome;
  meta: ReportMeta;
  exitCode: number;
  /** null when nothing could run (k6 missing): no folder is created and no report written. */
  outDir: string | null;
}

function parseSets(sets: string[]): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const item of sets) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set ${item}: expected key=value`);
    overrides[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return overrides;
}

export function exitCodeFor(outcome: EngineOutcome): number {
  if (outcome.status === 'passed') return EXIT.ok;
  // 99 (thresholds), 108 (test.abort) and 110 (test.fail) all mean the system under test fell short.
  if (outcome.status === 'failed') return EXIT.thresholdsFailed;
  return EXIT.runError;
}

/** The run's secrets (the CLI takes them from the environment only), kept out of every file written. */
export function secretsOf(env: NodeJS.ProcessEnv): string[] {
  return [env.CLIENT_SECRET, env.LOGIN_PASSWORD, env.CLIENT_PRIVATE_KEY].filter((s): s is string =>
    Boolean(s),
  );
}

function usageMessage(error: RequestError): string {
  return error.field && !error.message.startsWith(error.field)
    ? `${error.field}: ${error.message}`
    : error.message;
}

/** The same checks as the API, minus the server's limits and allow-list (only forbidden networks). */
async function requestFor(o: DirectRunOptions, env: NodeJS.ProcessEnv): Promise<RunRequest> {
  const policy = new NetworkPolicy(['*'], blockedCidrsFrom(env.VIGIL_BLOCKED_CIDRS), dnsResolver);
  const secrets = {
    clientSecret: env.CLIENT_SECRET ?? '',
    loginPassword: env.LOGIN_PASSWORD ?? '',
    clientPrivateKey: env.CLIENT_PRIVATE_KEY ?? '',
  };
  try {
    return await buildRunRequest(
      {
        scenario: o.scenario,
        profile: o.profile,
        overrides: parseSets(o.set),
        target: { url: o.target, field: '--target', auth: o.auth, secrets },
        timeoutMs: o.timeoutSeconds ? o.timeoutSeconds * 1000 : undefined,
      },
      { policy, secretsOf: () => ({}) },
    );
  } catch (error) {
    if (error instanceof RequestError) throw new UsageError(usageMessage(error));
    throw error;
  }
}

const noRun = (error: string): EngineOutcome => ({
  status: 'error',
  exitCode: null,
  summary: null,
  error,
  metricsDelivered: null,
});

export async function directRun(o: DirectRunOptions): Promise<DirectRunResult> {
  const env = o.env ?? process.env;
  const request = await requestFor(o, env);
  const runId = `cli_${randomBytes(6).toString('hex')}`;
  const meta: ReportMeta = {
    runId,
    scenario: request.scenario.id,
    profile: request.profile,
    target: request.targetName,
    status: 'error',
    exitCode: null,
    error: null,
    failOn: o.failOn,
  };
  try {
    // Before the output folder exists: without k6 nothing ran, so there is nothing to report there.
    locateK6(o.k6Bin, env.PATH);
  } catch (error) {
    if (!(error instanceof EngineUnavailable)) throw error;
    return {
      outcome: noRun(error.message),
      meta: { ...meta, error: error.message },
      exitCode: EXIT.runError,
      outDir: null,
    };
  }
  const outDir = resolve(o.out);
  mkdirSync(outDir, { recursive: true });
  const engine = new LocalEngine({
    k6Bin: o.k6Bin,
    remoteWriteUrl: o.remoteWriteUrl,
    stopGraceMs: 10_000,
    parentEnv: env,
    scenariosDir: env.VIGIL_SCENARIOS_DIR,
  });
  let outcome: EngineOutcome;
  try {
    const handle = await engine.start(runSpecFor(request, runId, outDir), { onProgress: o.progress });
    const stop = () => handle.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    outcome = await handle.done;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  } catch (error) {
    if (!(error instanceof EngineUnavailable)) throw error;
    outcome = noRun(error.message);
  }
  Object.assign(meta, { status: outcome.status, exitCode: outcome.exitCode, error: outcome.error });
  const secrets = secretsOf(env);
  writeFileSync(resolve(outDir, 'report.md'), redactSecrets(markdownReport(outcome.summary, meta), secrets));
  writeFileSync(resolve(outDir, 'junit.xml'), redactSecrets(junitXml(outcome.summary, meta), secrets));
  if (!outcome.summary)
    writeFileSync(
      resolve(outDir, 'summary.json'),
      JSON.stringify({ error: outcome.error, status: outcome.status }, null, 2),
    );
  return { outcome, meta, exitCode: exitCodeFor(outcome), outDir };
}
