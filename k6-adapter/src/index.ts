/** TEST-ONLY k6 adapter: runs real k6 scripts in Node for CI. Never shipped, never an engine. */
export { runK6Script } from './run.ts';
export { EXIT } from './runner.ts';
export { ScriptBundleError, EMULATED_K6_MODULES } from './bundle.ts';
export { K6_GLOBALS, K6_2_GLOBALS, REMOVED_INTRINSICS } from './context.ts';
export type * from './types.ts';
