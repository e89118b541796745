/**
 * Third-party reference files some tests validate against (the k6-operator TestRun CRD, Grafana's
 * dashboard JSON schema). They are not copied into the repository: they are read from
 * `VIGIL_REFERENCE_DIR`, else from `shared/reference/` beside the repository. A missing file fails
 * the test with this explanation rather than skipping the check.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function referenceDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.VIGIL_REFERENCE_DIR || path.resolve(REPO_ROOT, '..', 'shared', 'reference');
}

/** The absolute path of a reference file, e.g. `k6-operator/k6.io_testruns.yaml`. */
export function referenceFile(relative: string, env: NodeJS.ProcessEnv = process.env): string {
  const file = path.join(referenceDir(env), relative);
  if (!existsSync(file))
    throw new Error(
      `reference file ${relative} not found at ${file}: set VIGIL_REFERENCE_DIR to the folder holding the reference schemas (docs/design.md, "Reference material beside the repository")`,
    );
  return file;
}
