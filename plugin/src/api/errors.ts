/**
 * Every failed call to the runner becomes a RunnerError: what went wrong (`kind`), the runner's own
 * `code`/`message`/`field` when the runner answered, the HTTP status, and `hint`, one sentence
 * saying what to do about it. Pages show errors with <RunnerErrorAlert> (components/), forms put
 * `field` errors next to their field.
 *
 * Two parties can answer a plugin-proxy call: the runner (its errors are `{ error: { code, message,
 * field? } }`, runner/README.md "API") and Grafana's proxy itself (`{ message }`: 403 when the
 * user's role or RBAC action does not allow the route, 404 when plugin.json has no such route, 502
 * when the runner cannot be reached, e.g. a wrong or missing runner URL).
 */
import type { RunnerErrorBody } from './types';

export type RunnerErrorKind =
  /** The runner answered with an error of its own (validation, conflict, not found, runner failure). */
  | 'runner'
  /** The runner refused the token Grafana sent (401): the token on the configuration page is wrong or missing. */
  | 'unauthorized'
  /** Grafana's proxy could not reach the runner (502/503/504 without a runner answer). */
  | 'unreachable'
  /** Grafana refused the route for this user (403 from the proxy). */
  | 'forbidden'
  /** Grafana has no plugin route for this call (404 from the proxy). */
  | 'no_route'
  /** Grafana refused or failed the request for another reason. */
  | 'grafana'
  /** No answer at all (Grafana itself is unreachable from the browser). */
  | 'network';

export const CONFIG_PAGE_HINT = "the Vigil app's configuration page (Administration → Plugins → Vigil)";

export class RunnerError extends Error {
  override readonly name = 'RunnerError';

  constructor(
    readonly kind: RunnerErrorKind,
    /** The HTTP status (0 when there was no answer). */
    readonly status: number,
    /** The runner's error code (`invalid_field`, `in_use`, …), or `grafana_<status>` / `network`. */
    readonly code: string,
    message: string,
    /** The request field the runner blames (`name`, `auth.clientSecret`, `query.limit`…). */
    readonly field?: string,
    /** The run a failed run start still created (`engine_unavailable`). */
    readonly runId?: string
  ) {
    super(message);
  }

  /** A short title for an error banner. */
  get title(): string {
    return TITLES[this.kind];
  }

  /** What to do about it, one sentence. */
  get hint(): string {
    switch (this.kind) {
      case 'unauthorized':
        return `The runner token is wrong or missing: set it on ${CONFIG_PAGE_HINT}; it must be the runner's VIGIL_TOKEN.`;
      case 'unreachable':
        return `The runner is not reachable: check the runner URL on ${CONFIG_PAGE_HINT} and that the runner is running.`;
      case 'forbidden':
        return 'Your Grafana role does not allow this: reading needs the Viewer role (Vigil Reader), changes need Editor (Vigil Writer). Ask a Grafana admin.';
      case 'no_route':
        return 'Grafana has no proxy route for this call: restart Grafana after installing or updating the Vigil app.';
      case 'network':
        return 'Grafana did not answer: check your network connection and reload the page.';
      case 'grafana':
        return 'Grafana could not forward the request to the runner: see the Grafana server log.';
      case 'runner':
        return this.status >= 500
          ? "The runner failed to answer: see the runner's log."
          : 'The runner refused the request: correct it and try again.';
    }
  }
}

const TITLES: Record<RunnerErrorKind, string> = {
  runner: 'The runner refused the request',
  unauthorized: 'The runner refused the token',
  unreachable: 'The runner is not reachable',
  forbidden: 'Not allowed',
  no_route: 'No proxy route',
  grafana: 'Grafana could not reach the runner',
  network: 'No answer from Grafana',
};

function isRunnerErrorBody(data: unknown): data is RunnerErrorBody {
  if (typeof data !== 'object' || data === null || !('error' in data)) {
    return false;
  }
  const error = (data as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

function grafanaMessage(data: unknown, fallback: string): string {
  if (typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string') {
    return (data as { message: string }).message;
  }
  return fallback;
}

/** Turns whatever getBackendSrv().fetch threw (a FetchError, or anything) into a RunnerError. */
export function toRunnerError(thrown: unknown): RunnerError {
  if (thrown instanceof RunnerError) {
    return thrown;
  }
  const failure = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as {
    status?: unknown;
    statusText?: unknown;
    data?: unknown;
    message?: unknown;
  };
  const status = typeof failure.status === 'number' ? failure.status : 0;
  const data = failure.data;

  if (isRunnerErrorBody(data)) {
    const { code, message, field, runId } = data.error;
    const kind: RunnerErrorKind = status === 401 ? 'unauthorized' : 'runner';
    return new RunnerError(kind, status, code, message, field, runId);
  }
  if (status < 100) {
    const text = typeof failure.message === 'string' ? failure.message : 'no answer';
    return new RunnerError('network', 0, 'network', `The request got no answer (${text}).`);
  }
  const statusText =
    typeof failure.statusText === 'string' && failure.statusText ? failure.statusText : `HTTP ${status}`;
  const message = grafanaMessage(data, statusText);
  const code = `grafana_${status}`;
  if (status === 502 || status === 503 || status === 504) {
    return new RunnerError('unreachable', status, code, `Grafana's proxy could not reach the runner (${message}).`);
  }
  if (status === 403) {
    return new RunnerError('forbidden', status, code, `Grafana refused the request (${message}).`);
  }
  if (status === 404) {
    return new RunnerError('no_route', status, code, `Grafana found no route for the request (${message}).`);
  }
  return new RunnerError('grafana', status, code, `Grafana answered ${status} (${message}).`);
}
