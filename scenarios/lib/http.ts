/**
 * One place that sends requests: every request carries a templated `name` tag (never a URL with a
 * code, token or state) and the step it belongs to, and redirects are never followed implicitly.
 */
import http, { type CookieJar, type Params, type RequestBody } from 'k6/http';
import type { Step } from '../catalog/index.ts';
import type { AnyResponse } from './failures.ts';

export interface SendOptions {
  /** Request template for the `name` tag, e.g. `POST {token_endpoint}`. */
  name: string;
  step: Step;
  headers?: Record<string, string>;
  jar?: CookieJar;
  timeout?: string | number;
}

export function send(
  method: string,
  url: string,
  body: RequestBody | null,
  options: SendOptions,
): AnyResponse {
  const params: Params = {
    headers: options.headers ?? {},
    tags: { name: options.name, step: options.step },
    redirects: 0,
    // A 4xx is often the answer a step expects (401 discovery, 404 well-known misses): the step
    // decides what is a failure, not http_req_failed.
    responseCallback: http.expectedStatuses({ min: 200, max: 499 }),
  };
  // Only set optional params when given: k6 validates the params object's members.
  if (options.jar) params.jar = options.jar;
  if (options.timeout !== undefined) params.timeout = options.timeout;
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
