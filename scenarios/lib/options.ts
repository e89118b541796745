import { K6_DEFAULT_SYSTEM_TAGS } from '../catalog/k6.ts';

/**
 * Script options beyond the catalog's k6Options(): the system tags k6 attaches to samples, k6's
 * defaults without `url`. `url` is left out on purpose: k6 keeps the raw URL in it even when
 * `tags.name` is set, and an authorization request URL carries `state` (unique per walk: a new
 * Prometheus series each time, and not for labels). Every request carries a templated `name` instead.
 */
export const SYSTEM_TAGS = K6_DEFAULT_SYSTEM_TAGS.filter(
  (tag): tag is Exclude<(typeof K6_DEFAULT_SYSTEM_TAGS)[number], 'url'> => tag !== 'url',
);
