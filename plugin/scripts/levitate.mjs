#!/usr/bin/env node
/**
 * Levitate's compatibility check of the app against the lowest Grafana it supports: every export
 * of @grafana/data, @grafana/ui and @grafana/runtime that `src/module.tsx` (and what it imports)
 * uses must exist, with the same signature, in the versions of the `grafanaDependency` floor
 * (src/plugin.json, `>=13.0.0` → 13.0.0) as in the versions the app is built against. It is what
 *
 *   levitate is-compatible --path src/module.tsx --target @grafana/data@13.0.0,@grafana/ui@13.0.0,@grafana/runtime@13.0.0
 *
 * checks, run through @grafana/levitate's own functions instead of its CLI, because the CLI does
 * not work in an npm workspace: it reads the installed versions with `npm list` in src/, which
 * npm answers for the workspace root (the plugin's packages are nested under `@vigil/plugin`),
 * so it skips every package ("not used in the project or not installed locally") and reports
 * compatible; and it reports a package it failed to compare as compatible too. Here the installed
 * versions come from node_modules, and any failure fails the check.
 *
 * One refinement over the CLI: a *changed* export (a signature that differs) counts only when
 * what the app reads through it differs. Levitate compares an export as a whole, so `config`
 * (GrafanaBootConfig) is "changed" between 13.0.0 and 13.2.x because fields the app never reads
 * were added and removed; the app reads `config.bootData.user.…`, which is the same in both. For
 * each use, the property chain the code reads (`config.bootData?.user?.orgRole` → bootData.user.
 * orgRole) is resolved in both versions and its type compared; an export used other than through
 * properties counts as changed. Removals always count.
 *
 * Network: the npm registry only (`npm view <package>@<version> dist.tarball`, then the tarball),
 * six packages, into a temporary folder removed afterwards. ~1 min (the TypeScript programs of
 * @grafana/ui are most of it). Exit codes: 0 compatible, 1 incompatible, 2 the check failed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pluginDir = path.resolve(here, '..');
const require = createRequire(path.join(pluginDir, 'package.json'));
const semver = require('semver');

export const PACKAGES = ['@grafana/data', '@grafana/ui', '@grafana/runtime'];
const ENTRY = 'src/module.tsx';

function installedVersion(name) {
  return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
}

/** The lowest Grafana version plugin.json's `grafanaDependency` admits: `>=13.0.0` → 13.0.0. */
function floorVersion() {
  const pluginJson = JSON.parse(readFileSync(path.join(pluginDir, 'src', 'plugin.json'), 'utf8'));
  const range = pluginJson.dependencies?.grafanaDependency;
  const floor = range && semver.minVersion(range);
  if (!floor) {
    throw new Error(`src/plugin.json: no usable dependencies.grafanaDependency (${JSON.stringify(range)})`);
  }
  return floor.version;
}

async function main() {
  // levitate downloads into os.tmpdir()/<package>@<version> and leaves it there: give it its own folder
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'vigil-levitate-'));
  process.env.TMPDIR = tmp;
  process.chdir(pluginDir);
  try {
    const levitate = await import('@grafana/levitate');
    const ts = createRequire(fileURLToPath(import.meta.resolve('@grafana/levitate')))('@tsd/typescript');
    const floor = process.env.LEVITATE_TARGET_VERSION || floorVersion();
    console.log(`levitate is-compatible: ${ENTRY} against Grafana ${floor} (src/plugin.json grafanaDependency)`);
    const program = levitate.createTsProgram(path.resolve(ENTRY));
    let incompatible = 0;
    for (const name of PACKAGES) {
      const from = `${name}@${installedVersion(name)}`;
      const to = `${name}@${floor}`;
      console.log(`\n🔬 ${from} (installed) → ${to}`);
      // throws when a package cannot be fetched or compared: that fails the check (exit 2)
      const found = await levitate.getIncompatibilitiesBetweenPackages(program, from, to, {});
      const counted = [];
      for (const item of found) {
        const reads = item.change ? readsThrough(ts, program, item) : undefined;
        const differing = reads?.filter((read) => read.differs);
        if (reads && differing.length === 0) {
          console.log(
            `   ${item.name} changed, not in what ${path.relative(pluginDir, item.sourceFile.fileName)} reads: ` +
              reads.map((read) => read.path).join(', ')
          );
        } else {
          counted.push(item);
        }
      }
      if (counted.length > 0) {
        incompatible += counted.length;
        console.log(`\nComparing ${from} to ${to}`);
        levitate.printIncompatibilities(counted, { markdown: false });
        for (const item of counted.filter((entry) => entry.change)) {
          const reads = readsThrough(ts, program, item) ?? [];
          for (const read of reads.filter((entry) => entry.differs)) {
            console.log(`   ${read.path}: ${read.differs}`);
          }
        }
      } else {
        console.log('   compatible');
      }
    }
    if (incompatible > 0) {
      console.log(`\n✗ ${ENTRY} is not compatible with Grafana ${floor}: ${incompatible} incompatibilities above`);
      return 1;
    }
    console.log(`\n✔ ${ENTRY} appears to be compatible with ${PACKAGES.map((name) => `${name}@${floor}`).join(',')}`);
    return 0;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * For a changed export: each place the app reads it, as the property chain it reads
 * (`config.bootData.user.orgRole`), and whether that chain's type differs between the two
 * versions. Undefined when a use is not a property read (the export itself is used: it counts).
 */
function readsThrough(ts, program, item) {
  const localName = item.codeIdentifier.text;
  const checker = program.getTypeChecker();
  const imported = checker.getSymbolAtLocation(item.codeIdentifier);
  const reads = [];
  let wholeExportUsed = false;
  const visit = (node) => {
    if (
      ts.isIdentifier(node) &&
      node.text === localName &&
      !isDeclarationName(ts, node) &&
      checker.getSymbolAtLocation(node) === imported
    ) {
      const chain = [];
      let current = node;
      for (;;) {
        const parent = current.parent;
        if (ts.isPropertyAccessExpression(parent) && parent.expression === current) {
          chain.push(parent.name.text);
        } else if (
          ts.isElementAccessExpression(parent) &&
          parent.expression === current &&
          ts.isStringLiteralLike(parent.argumentExpression)
        ) {
          chain.push(parent.argumentExpression.text);
        } else if (!ts.isNonNullExpression(parent) && !ts.isParenthesizedExpression(parent)) {
          break;
        }
        current = parent;
      }
      if (chain.length === 0) {
        wholeExportUsed = true;
      } else {
        reads.push(chain);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(item.sourceFile);
  if (wholeExportUsed || reads.length === 0) {
    return undefined;
  }
  const { prev, current, prevProgram, currentProgram } = item.change;
  const unique = [...new Map(reads.map((chain) => [chain.join('.'), chain])).values()];
  return unique.map((chain) => {
    const before = shapeOf(ts, prevProgram, prev, chain);
    const after = shapeOf(ts, currentProgram, current, chain);
    return {
      path: `${localName}.${chain.join('.')}`,
      differs: before === after ? false : `${before} → ${after}`,
    };
  });
}

function isDeclarationName(ts, node) {
  const parent = node.parent;
  return (
    ts.isImportSpecifier(parent) ||
    ts.isImportClause(parent) ||
    ts.isNamespaceImport(parent) ||
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    (ts.isVariableDeclaration(parent) && parent.name === node)
  );
}

/** The type at the end of a property chain from an exported symbol, as text (its members too, one level deep). */
function shapeOf(ts, program, symbol, chain) {
  const checker = program.getTypeChecker();
  const resolved = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const declaration = resolved.valueDeclaration ?? resolved.declarations?.[0];
  if (!declaration) {
    return 'unknown';
  }
  let type = checker.getTypeOfSymbolAtLocation(resolved, declaration);
  for (const name of chain) {
    const property = checker.getPropertyOfType(checker.getNonNullableType(type), name);
    if (!property) {
      return `no property ${name}`;
    }
    type = checker.getTypeOfSymbol(property);
  }
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType;
  const members = checker
    .getPropertiesOfType(checker.getNonNullableType(type))
    .map(
      (property) =>
        `${property.getName()}: ${checker.typeToString(checker.getTypeOfSymbol(property), undefined, flags)}`
    )
    .sort();
  const text = checker.typeToString(type, undefined, flags);
  return members.length > 0 && !/^(string|number|boolean)\b/.test(text) ? `${text} { ${members.join('; ')} }` : text;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`levitate: the check could not run: ${error?.stack ?? error}`);
    process.exit(2);
  }
);
