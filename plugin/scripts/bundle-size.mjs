#!/usr/bin/env node
/**
 * The bundle budget (plugin/README.md, "Bundle budget"): prints the gzipped size (node:zlib,
 * level 9) of every JavaScript file webpack left in dist/ — module.js and its chunks, not the
 * source maps — and their total, and exits 1 when the total is over the budget. The `build`
 * script runs it after webpack.
 *
 *   node scripts/bundle-size.mjs [--dist <dir>] [--budget-kb <n>]
 *
 * 1 KB = 1024 bytes. Exit codes: 0 within the budget, 1 over it, 2 nothing to measure.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET_KB = 260;

const here = path.dirname(fileURLToPath(import.meta.url));

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : process.argv[index + 1];
}

/** Every `.js` file under `dir` (chunks may sit in sub-folders), relative paths, sorted. */
function jsFiles(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const relative = path.join(prefix, entry.name);
      if (entry.isDirectory()) {
        return jsFiles(path.join(dir, entry.name), relative);
      }
      return entry.isFile() && entry.name.endsWith('.js') ? [relative] : [];
    })
    .sort();
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const dist = path.resolve(option('--dist', path.join(here, '..', 'dist')));
const budgetKb = Number(option('--budget-kb', BUDGET_KB));
let files;
try {
  files = jsFiles(dist);
} catch (error) {
  console.error(`bundle-size: cannot read ${dist}: ${error.message} (run the webpack build first)`);
  process.exit(2);
}
if (files.length === 0) {
  console.error(`bundle-size: no .js file in ${dist} (run the webpack build first)`);
  process.exit(2);
}

const rows = files.map((file) => {
  const source = readFileSync(path.join(dist, file));
  return { file, raw: statSync(path.join(dist, file)).size, gzip: gzipSync(source, { level: 9 }).length };
});
rows.sort((a, b) => b.gzip - a.gzip);
const total = rows.reduce((sum, row) => sum + row.gzip, 0);
const rawTotal = rows.reduce((sum, row) => sum + row.raw, 0);
const width = Math.max(...rows.map((row) => row.file.length), 'total'.length);

console.log(`bundle size (gzip -9) of ${path.relative(process.cwd(), dist) || '.'}/*.js:`);
for (const row of rows) {
  console.log(`  ${row.file.padEnd(width)}  ${kb(row.gzip).padStart(9)}  (${kb(row.raw)} raw)`);
}
console.log(`  ${'total'.padEnd(width)}  ${kb(total).padStart(9)}  (${kb(rawTotal)} raw), budget ${budgetKb} KB`);
if (total > budgetKb * 1024) {
  console.error(
    `bundle-size: ${kb(total)} gzipped is over the ${budgetKb} KB budget — see "Bundle budget" in plugin/README.md`
  );
  process.exit(1);
}
