/**
 * Failure classification: every failure is a STEP plus a REASON from the catalog's bounded sets,
 * so it can become a metric tag. Free text stays in `detail` (summary only) and never carries a
 * token, code, secret or URL query.
 */
import type { RefinedResponse, ResponseType } from 'k6/http';
import { REASONS, type Reason, type Step } from '../catalog/metrics.ts';
import type { BearerChallenge } from './www-authenticate.ts';

export type AnyResponse = RefinedResponse<ResponseType | undefined>;

/** A step that failed for a known reason; thrown inside a step and caught by the walk. */
export class StepFailure extends Error {
  readonly step: Step;
  readonly reason: Reason;
  readonly detail: string;
  /** HTTP status of the response the step failed on (0: no response), when it failed on one. */
  readonly status?: number;

  constructor(step: Step, reason: Reason, detail: string, status?: number) {
    super(`${step} failed: ${reason} (${detail})`);
    this.name = 'StepFailure';
    this.step = step;
    this.reason = reason;
    this.detail = detail;
    if (status !== undefined) this.status = status;
  }
}

/** A step the server does not offer (not a failure): the walk records it as skipped. */
export class StepUnsupported extends Error {
  readonly step: Step;
  constructor(step: Step, detail: string) {
    super(detail);
    this.name = 'StepUnsupported';
    this.step = step;
  }
}

/** Fails the step; `status` when it failed on a response (it becomes the error's status tag). */
export function fail(step: Step, reason: Reason, detail: string, status?: number): never {
  throw new StepFailure(step, reason, detail, status);
}

export function isReason(value: unknown): value is Reason {
  return typeof value === 'string' && (REASONS as readonly string[]).includes(value);
}

/** k6 error codes for timeouts (1050 request timeout) and network failures (1xxx). */
export const K6_TIMEOUT_CODE = 1050;
/** k6 refused to connect: the address is in --blacklist-ip (1110) or the name in --block-hostnames (1111). */
const K6_BLOCKED_CODES: readonly number[] = [1110, 1111];

/** OAuth `error` codes (RFC 6749/8707/6750) that map one-to-one onto a reason. */
const OAUTH_ERROR_REASONS: Record<string, Reason> = {
  invalid_grant: 'invalid_grant',
  invalid_client: 'invalid_client',
  unauthorized_client: 'invalid_client',
  invalid_target: 'invalid_target',
  invalid_scope: 'invalid_scope',
  insufficient_scope: 'insufficient_scope',
  invalid_token: 'invalid_token',
  access_denied: 'authorization_denied',
};

export function reasonForOAuthError(code: unknown): Reason | undefined {
  return typeof code === 'string' ? OAUTH_ERROR_REASONS[code] : undefined;
}

/** The `error` member of a JSON error body, if the body is one. */
export function oauthErrorCode(res: AnyResponse): string | undefined {
  const body = safeJson(res);
  return body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string'
    ? (body as { error: string }).error
    : undefined;
}

/** Reason for a response that was not the expected one. */
export function reasonForResponse(res: AnyResponse): Reason {
  if (res.status === 0) {
    if (K6_BLOCKED_CODES.includes(res.error_code)) return 'host_not_allowed';
    return res.error_code === K6_TIMEOUT_CODE ? 'timeout' : 'connection_error';
  }
  const fromBody = reasonForOAuthError(oauthErrorCode(res));
  if (fromBody) return fromBody;
  if (res.status >= 500) return 'server_error';
  if (res.status === 401) return 'invalid_token';
  if (res.status === 403) return 'insufficient_scope';
  return 'unexpected_status';
}

/** A secret-free one-liner: status, k6 error code and the OAuth error code when present. */
export function describeResponse(res: AnyResponse): string {
  if (res.status === 0) return `no response (k6 error ${res.error_code})`;
  const code = oauthErrorCode(res);
  return code ? `HTTP ${res.status} ${code}` : `HTTP ${res.status}`;
}

/** Fails the step unless the status is one of `expected`. */
export function expectStatus(step: Step, res: AnyResponse, expected: readonly number[], what: string): void {
  if (!expected.includes(res.status))
    fail(step, reasonForResponse(res), `${what}: ${describeResponse(res)}`, res.status);
}

export function safeJson(res: AnyResponse): unknown {
  const body = typeof res.body === 'string' ? res.body : '';
  if (body === '') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** Masks long opaque runs (tokens, codes, keys) and URL queries in a message meant for a log line. */
export function maskSecrets(text: string): string {
  return text
    .replace(/\?[^\s"']*/g, '?…')
    .replace(/[A-Za-z0-9_\-+/=.]{20,}/g, '…')
    .slice(0, 300);
}

/** Classifies anything thrown inside a step; an unknown exception is reason `exception`. */
export function classifyThrown(step: Step, thrown: unknown): StepFailure {
  if (thrown instanceof StepFailure) return thrown;
  const name = thrown instanceof Error ? thrown.name : typeof thrown;
  // The message of an arbitrary exception may quote a request or a key; keep only the error's
  // type and print the message to the console with anything token-like masked.
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  console.error(`${step}: unexpected ${name}: ${maskSecrets(message)}`);
  return new StepFailure(step, 'exception', `unexpected ${name}`);
}

/**
 * The MCP server asked for (more) authorization: 401 (no or an invalid token) or 403
 * `insufficient_scope`. Carries the server's Bearer challenge, so the walk can discover where to
 * authorize and with which scope, and retry — a bounded number of times.
 */
export class AuthChallenge extends StepFailure {
  readonly challenge?: BearerChallenge;
  constructor(step: Step, status: 401 | 403, challenge: BearerChallenge | undefined, detail: string) {
    super(step, status === 401 ? 'invalid_token' : 'insufficient_scope', detail, status);
    this.name = 'AuthChallenge';
    this.challenge = challenge;
  }

  /** The scope the server named (403 insufficient_scope's `scope`, or a 401's). */
  get requiredScope(): string | undefined {
    return this.challenge?.scope;
  }
}
