/**
 * The SARIF 2.1.0 JSON schema (a third-party draft-04 schema shipped by @microsoft/jest-sarif),
 * compiled once for the tests. Its one regex fails under the `u` flag, hence unicodeRegExp: false.
 */
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv-draft-04';

const require = createRequire(import.meta.url);
const Ajv = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;

const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false });
const validate: ValidateFunction = ajv.compile(schema);

/** The schema's errors for `log` (empty when it is a valid SARIF 2.1.0 log). */
export function sarifErrors(log: unknown): ErrorObject[] {
  return validate(log) ? [] : [...(validate.errors ?? [])];
}
