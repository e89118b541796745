/**
 * One place that sends requests: every request carries a templated `name` tag (never a URL with a
 * code, token or state) and the step it belongs to, redirects are never followed implicitly, and
 * no request goes to a host outside the run's ALLOWED_HOSTS — a server can point a script anywhere
 * (resource_metadata, authorization_servers, endpoints, Location), so each URL is checked here.
 */
import http, { type CookieJar, type Params, type RequestBody } from 'k6/http';
import { ALLOWED_HOSTS_ENV, hostAllowed, parseHostList, urlHost } from '../catalog/hosts.ts';
import type { Step } from '../catalog/index.ts';
import { fail, type AnyResponse } from './failures.ts';

/** Hosts this run may reach (the runner passes its allow-list); undefined = any host. */
const allowedHosts = parseHostList(__ENV[ALLOWED_HOSTS_ENV]);
/**
 * Verdicts per URL authority (`scheme://userinfo@host:port`): a run meets few of them, and k6 pays
 * for every string operation per request, so a request costs three indexOf and one lookup.
 */
const verdicts: Record<string, { ok: boolean; host: string }> = {};
let verdictCount = 0;

function authorityEnd(url: string, from: number): number {
  let end = url.length;
  for (const c of ['/', '?', '#']) {
    const i = url.indexOf(c, from);
    if (i >= 0 && i < end) end = i;
  }
  return end;
}

/** Fails the step (host_not_allowed) before anything is sent to a host outside ALLOWED_HOSTS. */
export function assertHostAllowed(url: string, step: Step): void {
  if (!allowedHosts) return;
  const scheme = url.indexOf('://');
  if (scheme < 0) return; // not an absolute URL: k6 refuses it itself
  const authority = url.slice(0, authorityEnd(url, scheme + 3));
  let verdict = verdicts[authority];
  if (verdict === undefined) {
    const host = urlHost(authority) ?? '';
    verdict = { ok: host === '' || hostAllowed(host, allowedHosts), host };
    if (verdictCount++ < 64) verdicts[authority] = verdict;
  }
  if (!verdict.ok)
    fail(step, 'host_not_allowed', `host ${verdict.host} is not in ALLOWED_HOSTS; nothing was sent to it`);
}

// A 4xx is often the answer a step expects (401 discovery, 404 well-known misses): the step decides
// what is a failure, not http_req_failed. Made once per VU, not once per request.
const EXPECTED_STATUSES = http.expectedStatuses({ min: 200, max: 499 });

export interface SendOptions {
  /** Request template for the `name` tag, e.g. `POST {token_endpoint}`. */
  name: string;
  step: Step;
  headers?: Record<string, string>;
  jar?: CookieJar;
  timeout?: string | number;
  /** The caller never reads the body (a 202, a DELETE): k6 need not keep it. */
  discardBody?: boolean;
}

export function send(
  method: string,
  url: string,
  body: RequestBody | null,
  options: SendOptions,
): AnyResponse {
  assertHostAllowed(url, options.step);
  const params: Params = {
    headers: options.headers ?? {},
    tags: { name: options.name, step: options.step },
    redirects: 0,
    responseCallback: EXPECTED_STATUSES,
  };
  // Only set optional params when given: k6 validates the params object's members.
  if (options.jar) params.jar = options.jar;
  if (options.timeout !== undefined) params.timeout = options.timeout;
  if (options.discardBody) params.responseType = 'none';
  return http.request(method, url, body, params) as AnyResponse;
}

/** Case-insensitive header lookup (k6 canonicalizes names, e.g. `Www-Authenticate`). */
export function header(res: AnyResponse, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const key of Object.keys(res.headers ?? {})) {
    if (key.toLowerCase() === wanted) return res.headers[key];
  }
  return undefined;
}

export const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' } as const;
export const JSON_TYPE = { 'Content-Type': 'application/json' } as const;
