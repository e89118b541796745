import type { FastifyReply } from 'fastify';
import type { ZodError } from 'zod';
import { RequestError } from '../errors.ts';

export function notFound(what: string, id: string): RequestError {
  return new RequestError(404, 'not_found', `${what} ${id} not found`, 'id');
}

export function fromZod(error: ZodError, prefix = ''): RequestError {
  const issue = error.issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = [...issue.path.map(String), ...keys.slice(0, 1)];
  const field = [prefix, ...path].filter(Boolean).join('.') || prefix || 'body';
  const message =
    issue.code === 'unrecognized_keys' ? `unknown field ${field}` : `${field}: ${issue.message}`;
  return new RequestError(400, 'invalid_field', message, field);
}

/**
 * Fastify's own 4xx (from its router and body parsers), in the API's shape with messages of our
 * own: theirs quote the request (the URL, the content type), which an error answer must not echo.
 */
const FRAMEWORK_ERRORS: Record<string, { code: string; message: string; field: string }> = {
  FST_ERR_BAD_URL: { code: 'bad_url', message: 'the URL has an invalid percent-encoding', field: 'url' },
  FST_ERR_MAX_PARAM_LENGTH: {
    code: 'uri_too_long',
    message: 'a path parameter is longer than 100 characters; ids are at most 64',
    field: 'id',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    message: 'send the body as JSON with content-type: application/json',
    field: 'body',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'body_too_large',
    message: 'the body is larger than 256 KiB',
    field: 'body',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'invalid_json',
    message: 'the content-type is application/json but the body is empty',
    field: 'body',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'invalid_json',
    message: 'the body is not valid JSON',
    field: 'body',
  },
};

export function frameworkError(error: { statusCode?: number; code?: string }): RequestError | undefined {
  const status = error.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  const known = error.code ? FRAMEWORK_ERRORS[error.code] : undefined;
  // A SyntaxError from the JSON parser carries no FST code; anything else unknown gets a generic text.
  const fallback =
    error instanceof SyntaxError
      ? FRAMEWORK_ERRORS.FST_ERR_CTP_INVALID_JSON_BODY!
      : { code: 'bad_request', message: 'bad request', field: 'body' };
  const { code, message, field } = known ?? fallback;
  return new RequestError(status, code, message, field);
}

export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  const known = error instanceof RequestError ? error : frameworkError(error as { statusCode?: number });
  if (known) {
    return reply.code(known.status).send({
      error: { code: known.code, message: known.message, ...(known.field ? { field: known.field } : {}) },
    });
  }
  const e = error as { code?: string; message?: string };
  reply.log.error({ err: { message: e.message, code: e.code } }, 'request failed');
  return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
}
