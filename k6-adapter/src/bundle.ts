/**
 * Bundles a k6 script the way k6 reads it: TypeScript types stripped (k6 uses esbuild too),
 * relative imports followed, `k6` and `k6/*` served by the adapter. Anything else — Node builtins,
 * npm packages, remote jslib URLs — is refused, because a production k6 runner cannot load it.
 */
import * as esbuild from 'esbuild';
import path from 'node:path';

/** The k6 modules this adapter emulates; importing another k6 module fails bundling. */
export const EMULATED_K6_MODULES = [
  'k6',
  'k6/http',
  'k6/metrics',
  'k6/crypto',
  'k6/encoding',
  'k6/execution',
  'k6/secrets',
  'k6/timers',
  'k6/websockets',
] as const;
export type K6ModuleName = (typeof EMULATED_K6_MODULES)[number];

/** Free variable through which the bundle reaches the adapter's module table (never a global). */
export const HOST_PARAMETER = '__vigil_k6_adapter_host__';
const EXPORTS_VARIABLE = '__vigil_k6_script_exports__';

export class ScriptBundleError extends Error {
  constructor(
    script: string,
    readonly problems: string[],
  ) {
    super(`k6 adapter: cannot load ${script}:\n  ${problems.join('\n  ')}`);
    this.name = 'ScriptBundleError';
  }
}

function isEmulated(specifier: string): specifier is K6ModuleName {
  return (EMULATED_K6_MODULES as readonly string[]).includes(specifier);
}

function refusal(specifier: string): string {
  if (/^k6(\/|$)/.test(specifier)) return `k6 module "${specifier}" is not emulated by the test-only adapter`;
  if (/^https?:\/\//.test(specifier))
    return `remote module "${specifier}" refused: production k6 runners may be offline`;
  return `"${specifier}" is neither a k6 module nor a relative path: k6 cannot import Node builtins or npm packages`;
}

const k6ModulesPlugin: esbuild.Plugin = {
  name: 'vigil-k6-modules',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (path.isAbsolute(args.path)) return undefined;
      if (isEmulated(args.path)) return { path: args.path, namespace: 'k6-adapter' };
      return { errors: [{ text: refusal(args.path) }] };
    });
    build.onLoad({ filter: /.*/, namespace: 'k6-adapter' }, (args) => ({
      contents: `module.exports = ${HOST_PARAMETER}.require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * Returns the source of a function expression `(host) => scriptExports`, to be evaluated inside
 * the k6-like vm context.
 */
export async function bundleScript(script: string): Promise<string> {
  let result: esbuild.BuildResult & { outputFiles: esbuild.OutputFile[] };
  try {
    result = await esbuild.build({
      entryPoints: [script],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: EXPORTS_VARIABLE,
      platform: 'neutral',
      target: 'es2022',
      mainFields: ['module', 'main'],
      logLevel: 'silent',
      plugins: [k6ModulesPlugin],
    });
  } catch (error) {
    const failure = error as esbuild.BuildFailure;
    if (!Array.isArray(failure.errors)) throw error;
    throw new ScriptBundleError(
      script,
      failure.errors.map((m) => (m.location ? `${m.location.file}:${m.location.line}: ${m.text}` : m.text)),
    );
  }
  const code = result.outputFiles[0]?.text ?? '';
  return `(function (${HOST_PARAMETER}) {\n${code}\nreturn ${EXPORTS_VARIABLE};\n})`;
}
