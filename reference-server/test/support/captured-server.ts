import { Writable } from 'node:stream';
import { startTarget, type TargetOptions } from '../../src/index.ts';

/** Starts a target whose JSON log lines are kept in memory, for the no-secrets-in-logs checks. */
export async function startCapturedTarget(options: TargetOptions = {}) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const target = await startTarget({ port: 0, logLevel: 'debug', ...options }, { logDestination: sink });
  return { target, logs: () => lines.join('') };
}

/** Fails when any of the secrets appears in the captured log text. */
export function leakedSecrets(logText: string, secrets: Array<string | undefined>): string[] {
  return secrets.filter(
    (secret): secret is string => !!secret && secret.length >= 8 && logText.includes(secret),
  );
}
