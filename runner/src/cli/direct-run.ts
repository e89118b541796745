/**
 * `vigil run` / `vigil probe` without a server: validates like the API, runs k6 through the local
 * engine into an output folder, writes the reports, and maps the outcome to an exit code.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  scenarioById,
  SCENARIO_IDS,
  validateOverrides,
  PROFILES,
  type Profile,
} from '@vigil/scenarios/catalog';
import { LocalEngine } from '../engine/local.ts';
import { locateK6 } from '../engine/locate.ts';
import { EngineUnavailable, type EngineOutcome } from '../engine/types.ts';
import { checkTargetUrl, dnsResolver, UrlRefused } from '../hosts.ts';
import { footprint } from '../limits.ts';
import { scriptEnvFor, secretEnvFor } from '../runs.ts';
import type { TargetAuth } from '../store/types.ts';
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

export async function directRun(o: DirectRunOptions): Promise<DirectRunResult> {
  const scenario = scenarioById(o.scenario);
  if (!scenario) throw new UsageError(`unknown scenario ${o.scenario}; known: ${SCENARIO_IDS.join(', ')}`);
  if (!(PROFILES as readonly string[]).includes(o.profile))
    throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}`);
  const { values, errors } = validateOverrides(scenario.id, parseSets(o.set));
  if (errors[0]) throw new UsageError(`${errors[0].field}: ${errors[0].message}`);
  let url: URL;
  try {
    // The CLI runs where its user chose to; only link-local and metadata hosts are refused.
    url = await checkTargetUrl(o.target, ['*'], dnsResolver);
  } catch (error) {
    if (error instanceof UrlRefused) throw new UsageError(`--target ${error.message}`);
    throw error;
  }
  const env = o.env ?? process.env;
  const secrets = {
    clientSecret: env.CLIENT_SECRET ?? '',
    loginPassword: env.LOGIN_PASSWORD ?? '',
    clientPrivateKey: env.CLIENT_PRIVATE_KEY ?? '',
  };
  const runId = `cli_${randomBytes(6).toString('hex')}`;
  const meta: ReportMeta = {
    runId,
    scenario: scenario.id,
    profile: o.profile,
    target: url.host,
    status: 'error',
    exitCode: null,
    error: null,
  };
  try {
    // Before the output folder exists: without k6 nothing ran, so there is nothing to report there.
    locateK6(o.k6Bin, env.PATH);
  } catch (error) {
    if (!(error instanceof EngineUnavailable)) throw error;
    const outcome: EngineOutcome = {
      status: 'error',
      exitCode: null,
      summary: null,
      error: error.message,
      metricsDelivered: null,
    };
    return { outcome, meta: { ...meta, error: error.message }, exitCode: EXIT.runError, outDir: null };
  }
  const outDir = resolve(o.out);
  mkdirSync(outDir, { recursive: true });
  const planned = footprint(scenario, o.profile as Profile, values).durationMs;
  const engine = new LocalEngine({
    k6Bin: o.k6Bin,
    remoteWriteUrl: o.remoteWriteUrl,
    stopGraceMs: 10_000,
    parentEnv: env,
    scenariosDir: env.VIGIL_SCENARIOS_DIR,
  });
  let outcome: EngineOutcome;
  try {
    const handle = await engine.start(
      {
        runId,
        kind: scenario.kind,
        scenario,
        profile: o.profile,
        targetName: url.host,
        env: scriptEnvFor({
          mcpUrl: url.toString(),
          profile: o.profile,
          auth: o.auth,
          scenario,
          overrides: values,
        }),
        secretEnv: secretEnvFor(secrets),
        runDir: outDir,
        timeoutMs: (o.timeoutSeconds ?? 0) * 1000 || planned + 120_000,
      },
      { onProgress: o.progress },
    );
    const stop = () => handle.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    outcome = await handle.done;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  } catch (error) {
    if (!(error instanceof EngineUnavailable)) throw error;
    outcome = {
      status: 'error',
      exitCode: null,
      summary: null,
      error: error.message,
      metricsDelivered: null,
    };
  }
  Object.assign(meta, { status: outcome.status, exitCode: outcome.exitCode, error: outcome.error });
  writeFileSync(resolve(outDir, 'report.md'), markdownReport(outcome.summary, meta));
  writeFileSync(resolve(outDir, 'junit.xml'), junitXml(outcome.summary, meta));
  if (!outcome.summary)
    writeFileSync(
      resolve(outDir, 'summary.json'),
      JSON.stringify({ error: outcome.error, status: outcome.status }, null, 2),
    );
  return { outcome, meta, exitCode: exitCodeFor(outcome), outDir };
}
