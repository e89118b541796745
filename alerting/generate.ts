/**
 * Writes the rule files and the promtool tests from the catalog:
 *   npm run generate -w alerting
 * The generated files are committed; test/generated.test.ts fails when they are stale.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promtoolTestsYaml } from './src/promtool-yaml.ts';
import { generatedFiles } from './src/rule-files.ts';

for (const [file, content] of Object.entries(generatedFiles(promtoolTestsYaml))) {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
