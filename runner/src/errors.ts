/**
 * The one error a request can fail with, from the core up: an HTTP status, a stable code and a
 * message that says what to do, and the request field it is about when there is one. The API sends
 * it as `{ error: { code, message, field? } }`; the CLI prints the message and exits 2.
 */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A request field that is wrong (400 `invalid_field` unless said otherwise). */
export class FieldError extends RequestError {
  constructor(field: string, message: string, status = 400, code = 'invalid_field') {
    super(status, code, message, field);
  }
}
