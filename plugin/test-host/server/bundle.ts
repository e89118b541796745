/**
 * Builds the host page's script from test-host/src with esbuild, in memory, once per process:
 * React, @grafana/data, @grafana/runtime, @grafana/ui, @grafana/scenes (for the TemplateSrv),
 * @emotion/*, rxjs, lodash, i18next, react-router… all resolved from node_modules. ESM with code
 * splitting, so the lazily shared dependencies are chunks of their own.
 *
 * Resolution rules beyond esbuild's defaults:
 * - `test-host-internal:<package>/<file>` → that file of the package (see src/internal.d.ts);
 * - `@emotion/css` → the copy @grafana/ui itself uses (Grafana shares its own, not the plugin's
 *   pinned one).
 */
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build, type Plugin, version as esbuildVersion } from 'esbuild';

export interface HostBundle {
  /** Output files by URL path below /test-host/assets/. */
  files: Map<string, { contents: Uint8Array; contentType: string }>;
  entry: string;
  stylesheets: string[];
  buildMs: number;
  fromCache: boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const TEST_HOST_DIR = path.resolve(here, '..');
const require = createRequire(path.join(TEST_HOST_DIR, 'package.json'));

export function packageDir(name: string, from = TEST_HOST_DIR): string {
  const fromRequire = createRequire(path.join(from, 'noop.js'));
  return path.dirname(fromRequire.resolve(`${name}/package.json`));
}

function resolutionPlugin(): Plugin {
  const grafanaUiDir = packageDir('@grafana/ui');
  return {
    name: 'test-host-resolution',
    setup(buildApi) {
      buildApi.onResolve({ filter: /^test-host-internal:/ }, (args) => {
        const spec = args.path.slice('test-host-internal:'.length);
        const parts = spec.split('/');
        const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
        const rest = spec.slice(name.length + 1);
        return { path: path.join(packageDir(name), rest) };
      });
      buildApi.onResolve({ filter: /^@emotion\/css$/ }, async (args) => {
        if (args.pluginData === 'grafana-ui-emotion') {
          return undefined;
        }
        return buildApi.resolve(args.path, {
          kind: args.kind,
          resolveDir: grafanaUiDir,
          pluginData: 'grafana-ui-emotion',
        });
      });
      // @grafana/plugin-compat probes for runtime APIs newer Grafanas export (typeof x ===
      // 'function'); webpack lets a missing named import be undefined, esbuild refuses it. Read
      // those names off the namespace instead, which keeps the probe's meaning.
      buildApi.onLoad({ filter: /[\\/]@grafana[\\/]plugin-compat[\\/]dist[\\/]esm[\\/].*\.mjs$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        let counter = 0;
        const contents = source.replace(
          /import\s*\{([^}]*)\}\s*from\s*'(@grafana\/[^']+)';/g,
          (_whole, names: string, specifier: string) => {
            const namespace = `__compat_ns_${counter++}`;
            const bindings = names
              .split(',')
              .map((name) => name.trim())
              .filter(Boolean)
              .map((name) => {
                const [imported, local = imported] = name.split(/\s+as\s+/).map((part) => part.trim());
                return `const ${local} = ${namespace}[${JSON.stringify(imported)}];`;
              });
            return `import * as ${namespace} from '${specifier}';\n${bindings.join('\n')}`;
          }
        );
        return { contents, loader: 'js' };
      });
    },
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

let cached: Promise<HostBundle> | undefined;

/**
 * The bundle, built once per process and kept on disk in plugin/node_modules/.cache/ under a key
 * of everything it is made from (test-host/src, this file, the lockfile, esbuild's version), so
 * a second test run starts without building.
 */
export function buildHostBundle(): Promise<HostBundle> {
  cached ??= loadOrBuild().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

const CACHE_ROOT = path.join(TEST_HOST_DIR, '..', 'node_modules', '.cache', 'vigil-test-host');

async function cacheKey(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(esbuildVersion);
  const inputs = [
    fileURLToPath(import.meta.url),
    path.join(TEST_HOST_DIR, '..', '..', 'package-lock.json'),
    ...(await listFiles(path.join(TEST_HOST_DIR, 'src'))),
  ];
  for (const file of inputs) {
    hash.update(file);
    hash.update(await readFile(file).catch(() => Buffer.from('missing')));
  }
  return hash.digest('hex').slice(0, 24);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
  );
  return files.flat().sort();
}

interface CacheManifest {
  entry: string;
  stylesheets: string[];
  files: Array<{ name: string; contentType: string }>;
}

async function loadOrBuild(): Promise<HostBundle> {
  const started = Date.now();
  const key = await cacheKey();
  const dir = path.join(CACHE_ROOT, key);
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as CacheManifest;
    const files = new Map<string, { contents: Uint8Array; contentType: string }>();
    for (const file of manifest.files) {
      files.set(file.name, {
        contents: await readFile(path.join(dir, 'files', file.name)),
        contentType: file.contentType,
      });
    }
    return {
      files,
      entry: manifest.entry,
      stylesheets: manifest.stylesheets,
      buildMs: Date.now() - started,
      fromCache: true,
    };
  } catch {
    // not cached yet
  }
  const bundle = await doBuild();
  await rm(CACHE_ROOT, { recursive: true, force: true });
  await mkdir(path.join(dir, 'files'), { recursive: true });
  for (const [name, file] of bundle.files) {
    await writeFile(path.join(dir, 'files', name), file.contents);
  }
  const manifest: CacheManifest = {
    entry: bundle.entry,
    stylesheets: bundle.stylesheets,
    files: [...bundle.files].map(([name, file]) => ({ name, contentType: file.contentType })),
  };
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return bundle;
}

async function doBuild(): Promise<HostBundle> {
  const started = Date.now();
  const outdir = path.join(TEST_HOST_DIR, '.host-bundle');
  const result = await build({
    entryPoints: { main: path.join(TEST_HOST_DIR, 'src', 'main.tsx') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    outdir,
    write: false,
    sourcemap: 'linked',
    jsx: 'automatic',
    logLevel: 'silent',
    legalComments: 'none',
    chunkNames: 'chunk-[hash]',
    define: {
      'process.env.NODE_ENV': '"production"',
      global: 'globalThis',
      // UMD packages (lodash, moment…) would see SystemJS's AMD `define` and register themselves
      // there instead of exporting; webpack compiles `define` away the same way.
      define: 'undefined',
    },
    loader: {
      '.svg': 'dataurl',
      '.png': 'dataurl',
      '.gif': 'dataurl',
      '.woff': 'empty',
      '.woff2': 'empty',
      '.ttf': 'empty',
      '.eot': 'empty',
    },
    plugins: [resolutionPlugin()],
  });
  const files = new Map<string, { contents: Uint8Array; contentType: string }>();
  const stylesheets: string[] = [];
  for (const file of result.outputFiles) {
    const name = path.relative(outdir, file.path).split(path.sep).join('/');
    const contentType = CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream';
    files.set(name, { contents: file.contents, contentType });
    if (name.endsWith('.css')) {
      stylesheets.push(name);
    }
  }
  if (!files.has('main.js')) {
    throw new Error('test host: esbuild produced no main.js');
  }
  return { files, entry: 'main.js', stylesheets, buildMs: Date.now() - started, fromCache: false };
}

/** Where SystemJS's dist files are (system.js and the extras). */
export function systemJsDir(): string {
  return path.join(path.dirname(require.resolve('systemjs/package.json')), 'dist');
}
