import type { FastifyReply } from 'fastify';
import type { ZodError } from 'zod';
import { FieldError } from '../targets.ts';

/** Every error answer: `{ error: { code, message, field? } }`; 4xx name the field when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function notFound(what: string, id: string): ApiError {
  return new ApiError(404, 'not_found', `${what} ${id} not found`, 'id');
}

export function fromZod(error: ZodError, prefix = ''): ApiError {
  const issue = error.issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = [...issue.path.map(String), ...keys.slice(0, 1)];
  const field = [prefix, ...path].filter(Boolean).join('.') || prefix || 'body';
  const message =
    issue.code === 'unrecognized_keys' ? `unknown field ${field}` : `${field}: ${issue.message}`;
  return new ApiError(400, 'invalid_field', message, field);
}

export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof ApiError || error instanceof FieldError) {
    return reply.code(error.status).send({
      error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
    });
  }
  const e = error as { statusCode?: number; code?: string; message?: string };
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    // Fastify's own 4xx: bad JSON, wrong content type, body too large.
    return reply
      .code(e.statusCode)
      .send({ error: { code: 'bad_request', message: e.message ?? 'bad request', field: 'body' } });
  }
  reply.log.error({ err: { message: e.message, code: e.code } }, 'request failed');
  return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
}
