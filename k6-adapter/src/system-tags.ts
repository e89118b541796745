/**
 * k6's `options.systemTags`: which of the tags k6 itself sets (method, url, status, group, ...)
 * reach samples. Tags a script sets itself (params.tags, check/metric tags, options.tags) are
 * never filtered, as in k6.
 */
// k6's default set is stated once, beside the scripts' own choice (the test double depends on the
// product scripts' module, never the reverse).
import { K6_DEFAULT_SYSTEM_TAGS as DEFAULT_SYSTEM_TAGS } from '@vigil/scenarios/catalog';
import { InvalidOptionsError } from './plan.ts';

export { DEFAULT_SYSTEM_TAGS };

/**
 * Off by default in k6; accepted but never emitted here: `vu` and `iter` are sample metadata (not
 * tags) since k6 0.41, and the adapter does not emulate `ip` or `ocsp_status`.
 */
const OPTIONAL_SYSTEM_TAGS = ['iter', 'vu', 'ocsp_status', 'ip'] as const;

const KNOWN = new Set<string>([...DEFAULT_SYSTEM_TAGS, ...OPTIONAL_SYSTEM_TAGS]);

/** `options.systemTags` → the enabled set; unknown names or a non-array are invalid options (exit 104). */
export function parseSystemTags(value: unknown): ReadonlySet<string> {
  if (value === undefined || value === null) return new Set(DEFAULT_SYSTEM_TAGS);
  if (!Array.isArray(value)) {
    throw new InvalidOptionsError(
      `options.systemTags must be an array of tag names (got ${Object.prototype.toString.call(value)})`,
    );
  }
  const enabled = new Set<string>();
  for (const name of value) {
    if (typeof name !== 'string' || !KNOWN.has(name)) {
      throw new InvalidOptionsError(
        `options.systemTags: "${String(name)}" is not a valid system tag (${[...KNOWN].join(', ')})`,
      );
    }
    enabled.add(name);
  }
  return enabled;
}
