import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { ScenarioDef } from '@vigil/scenarios/catalog';
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

/**
 * The file k6 runs for a scenario: its one-file bundle (`bundles/<name>.js`, shipped in the
 * package: far less memory per VU), else its source (a scenarios folder without bundles).
 */
export function scenarioScript(
  scenario: ScenarioDef,
  dirOverride?: string,
): { relative: string; path: string } {
  const dir = scenariosDir(dirOverride);
  for (const relative of [scenario.bundle, scenario.script]) {
    const path = join(dir, relative);
    if (existsSync(path)) return { relative, path };
  }
  throw new EngineUnavailable(
    `scenario script ${scenario.bundle} (or ${scenario.script}) not found in ${dir}`,
  );
}
