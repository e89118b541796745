import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { EngineUnavailable, K6_INSTALL_URL, K6Missing } from './types.ts';

/** Finds the k6 executable (K6_BIN or PATH) or explains what is missing. */
export function locateK6(bin: string, path = process.env.PATH ?? ''): string {
  const candidates = bin.includes('/')
    ? [bin]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, bin));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return isAbsolute(candidate) ? candidate : join(process.cwd(), candidate);
    } catch {
      // not here; try the next directory
    }
  }
  throw new K6Missing(
    `k6 executable not found (${bin.includes('/') ? `K6_BIN=${bin}` : `"${bin}" on PATH`}); install k6 >= 1.0 (${K6_INSTALL_URL}) or set K6_BIN`,
  );
}

/** The scenarios folder: VIGIL_SCENARIOS_DIR or the installed @vigil/scenarios package. */
export function scenariosDir(override?: string): string {
  if (override) return override;
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@vigil/scenarios/package.json'));
}

export function scriptPath(script: string, dirOverride?: string): string {
  const path = join(scenariosDir(dirOverride), script);
  if (!existsSync(path))
    throw new EngineUnavailable(`scenario script ${script} not found in ${scenariosDir(dirOverride)}`);
  return path;
}
