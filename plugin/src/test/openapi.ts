/**
 * The runner's OpenAPI 3.1 document (runner/openapi.json) as a validator for the MSW runner double:
 * every request the app makes and every answer a handler gives is checked against the document
 * (path parameters, query parameters and body of the operation; the response schema of its
 * status, falling back to `4XX`/`5XX`). A mismatch is recorded as a violation, and
 * setupTests.ts fails the test that produced it: the app and its test double cannot drift from
 * the API. JSON Schema 2020-12 (OpenAPI 3.1's dialect), compiled with ajv 8 (`@redocly/ajv`, Redocly's ajv 8 build that
 * openapi-typescript brings; the root `ajv` is 6, which has no 2020-12).
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from '@redocly/ajv/dist/2020';
import { readFileSync } from 'fs';
import path from 'path';

export const OPENAPI_PATH = path.resolve(__dirname, '..', '..', '..', 'runner', 'openapi.json');

type Schema = Record<string, unknown>;
interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
export type OpenApiMethod = 'get' | 'post' | 'patch' | 'delete';

interface Document {
  paths: Record<string, Partial<Record<OpenApiMethod, Operation>>>;
}

export const openapi: Document = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('uri', (value: string) => {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
});

const compiled = new WeakMap<Schema, ValidateFunction>();
function validator(schema: Schema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`
  );
}

function check(schema: Schema, value: unknown, where: string): string[] {
  const validate = validator(schema);
  return validate(value) ? [] : describe(validate.errors).map((problem) => `${where}: ${problem}`);
}

/** The operation, or an Error naming what the document lacks. */
export function operation(template: string, method: OpenApiMethod): Operation {
  const op = openapi.paths[template]?.[method];
  if (!op) {
    throw new Error(`runner/openapi.json has no ${method.toUpperCase()} ${template}`);
  }
  return op;
}

/** The response the document specifies for a status: exact, else `4XX`/`5XX`, else `default`. */
export function responseSpec(template: string, method: OpenApiMethod, status: number) {
  const { responses } = operation(template, method);
  const key = [String(status), `${Math.floor(status / 100)}XX`, 'default'].find((candidate) => candidate in responses);
  if (!key) {
    throw new Error(`runner/openapi.json: ${method.toUpperCase()} ${template} never answers ${status}`);
  }
  return { key, schema: responses[key].content?.['application/json']?.schema };
}

/** Problems of an answer against the document ([] when it conforms). */
export function checkResponse(template: string, method: OpenApiMethod, status: number, body: unknown): string[] {
  let spec: ReturnType<typeof responseSpec>;
  try {
    spec = responseSpec(template, method, status);
  } catch (error) {
    return [(error as Error).message];
  }
  if (!spec.schema) {
    return body === undefined ? [] : [`status ${status} has no body in the document, the handler sent one`];
  }
  return check(spec.schema, body, `answer ${status} (${spec.key})`);
}

function coerce(raw: string, schema: Schema): unknown {
  const type = schema.type;
  if ((type === 'integer' || type === 'number') && raw.trim() !== '' && !Number.isNaN(Number(raw))) {
    return Number(raw);
  }
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) {
    return raw === 'true';
  }
  return raw;
}

export interface RequestParts {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

/** Problems of a request against the document: its path and query parameters, and its body. */
export function checkRequest(template: string, method: OpenApiMethod, request: RequestParts): string[] {
  let op: Operation;
  try {
    op = operation(template, method);
  } catch (error) {
    return [(error as Error).message];
  }
  const problems: string[] = [];
  const declared = op.parameters ?? [];
  for (const parameter of declared) {
    const raw = parameter.in === 'path' ? request.params[parameter.name] : request.query.get(parameter.name);
    if (parameter.in !== 'path' && parameter.in !== 'query') {
      continue;
    }
    if (raw === undefined || raw === null) {
      if (parameter.required) {
        problems.push(`${parameter.in} parameter ${parameter.name} is required`);
      }
      continue;
    }
    problems.push(...check(parameter.schema, coerce(raw, parameter.schema), `${parameter.in}.${parameter.name}`));
  }
  for (const name of new Set(request.query.keys())) {
    if (!declared.some((parameter) => parameter.in === 'query' && parameter.name === name)) {
      problems.push(`query parameter ${name} is not in the document`);
    }
  }
  const bodySchema = op.requestBody?.content['application/json']?.schema;
  if (request.body === undefined) {
    if (op.requestBody?.required) {
      problems.push('the request body is required');
    }
  } else if (!bodySchema) {
    problems.push('the operation takes no body, the app sent one');
  } else {
    problems.push(...check(bodySchema, request.body, 'request body'));
  }
  return problems;
}

const violations: string[] = [];

export function recordViolations(context: string, problems: string[]): void {
  problems.forEach((problem) => violations.push(`${context}: ${problem}`));
}

/** The violations since the last call (setupTests.ts asserts none after each test). */
export function takeViolations(): string[] {
  return violations.splice(0, violations.length);
}
