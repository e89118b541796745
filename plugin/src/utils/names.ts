/**
 * The runner's rule for target and probe names (runner/src/api/schemas.ts `name`): they become
 * metric label values and k6 tags. Checked against runner/openapi.json by Targets.utils.test.ts.
 */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
export const NAME_RULE = 'must start with a letter or digit and use only letters, digits, _ . : -';
export const NAME_MAX_LENGTH = 100;
