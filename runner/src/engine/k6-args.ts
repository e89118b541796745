/**
 * The k6 command line for a run (docs/design.md's CLI contract). Every run-wide tag goes on the
 * command line because `--tag` replaces the script's `options.tags`; secrets never appear here.
 */
import { RUN_LABELS, SUMMARY_FILE_ENV, type RunLabel } from '@vigil/scenarios/catalog';
import { join } from 'node:path';
import type { RunSpec } from './types.ts';

export const REMOTE_WRITE_OUTPUT = 'experimental-prometheus-rw';

export function runTags(spec: RunSpec): Record<RunLabel, string> {
  const tags: Record<RunLabel, string> = {
    testid: spec.runId,
    target: spec.targetName,
    profile: spec.profile,
    kind: spec.kind,
  };
  // Compile-time and run-time guard that the catalog's label list and this map agree.
  for (const label of RUN_LABELS)
    if (tags[label] === undefined) throw new Error(`missing run label ${label}`);
  return tags;
}

export function summaryPath(runDir: string): string {
  return join(runDir, 'summary.json');
}

export function scriptEnv(spec: RunSpec): Record<string, string> {
  return { ...spec.env, [SUMMARY_FILE_ENV]: summaryPath(spec.runDir) };
}

/**
 * k6's own network guard, enforced where it dials: a server can point a script at any URL
 * (resource_metadata, authorization_servers, redirects), and a name can resolve elsewhere at run time.
 */
export function blocklistArgs(spec: RunSpec): string[] {
  const args: string[] = [];
  if (spec.blocklist.blockedCidrs.length > 0)
    args.push('--blacklist-ip', spec.blocklist.blockedCidrs.join(','));
  if (spec.blocklist.blockedHostnames.length > 0)
    args.push('--block-hostnames', spec.blocklist.blockedHostnames.join(','));
  return args;
}

export function k6Args(spec: RunSpec, scriptPath: string, options: { remoteWrite: boolean }): string[] {
  const args = ['run', ...blocklistArgs(spec)];
  for (const [key, value] of Object.entries(runTags(spec))) args.push('--tag', `${key}=${value}`);
  for (const [key, value] of Object.entries(scriptEnv(spec))) args.push('-e', `${key}=${value}`);
  if (options.remoteWrite) args.push('-o', REMOTE_WRITE_OUTPUT);
  // Probes are one walk with a hard timeout (the Synthetic Monitoring pattern).
  if (spec.kind === 'probe') args.push('--vus', '1', '--iterations', '1');
  args.push(scriptPath);
  return args;
}

/** Environment for the k6 child: nothing of the runner's own (token, secret key) leaks in. */
export function k6ChildEnv(
  spec: RunSpec,
  parentEnv: NodeJS.ProcessEnv,
  remoteWriteUrl: string | undefined,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'])
    if (parentEnv[name]) env[name] = parentEnv[name];
  // K6_* lets operators configure k6 itself (e.g. K6_PROMETHEUS_RW_USERNAME) through the runner.
  for (const [name, value] of Object.entries(parentEnv))
    if (name.startsWith('K6_') && name !== 'K6_BIN') env[name] = value;
  env.K6_NO_USAGE_REPORT = 'true';
  if (remoteWriteUrl) {
    env.K6_PROMETHEUS_RW_SERVER_URL = remoteWriteUrl;
    env.K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM = 'true';
  }
  return { ...env, ...spec.secretEnv };
}
