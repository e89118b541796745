/**
 * Facts about k6 itself that the scripts and the test-only k6 adapter both need (the adapter
 * emulates what k6 does when a script sets no `systemTags`; the scripts drop `url` from it).
 */

/** k6's DefaultSystemTagSet (lib/metrics/system_tag.go): what k6 tags samples with when a script sets no `systemTags`. */
export const K6_DEFAULT_SYSTEM_TAGS = [
  'proto',
  'subproto',
  'status',
  'method',
  'url',
  'name',
  'group',
  'check',
  'error',
  'error_code',
  'tls_version',
  'scenario',
  'service',
  'expected_response',
] as const;
