/**
 * A test double of Grafana's BackendSrv `fetch`: the app's requests go out with Node's fetch, so
 * MSW answers them; the answer and the errors have BackendSrv's shapes (FetchResponse; a thrown
 * FetchError `{ status, statusText, data }` for a status ≥ 400; `{ status: 0 }`-less error for no
 * answer). Relative URLs resolve against jsdom's origin (http://localhost).
 */
import type { BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { from, type Observable } from 'rxjs';

async function send<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
  const url = new URL(options.url, 'http://localhost');
  for (const [key, value] of Object.entries((options.params ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null) {
      url.searchParams.set(key, String(value));
    }
  }
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.data !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.data);
  }
  let response: Response;
  try {
    response = await fetch(url, { method: options.method ?? 'GET', headers, body });
  } catch (error) {
    // BackendSrv's error for no answer carries no HTTP status
    throw { message: (error as Error).message, data: undefined, config: options };
  }
  const text = await response.text();
  let data: unknown = text;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  if (!response.ok) {
    throw { status: response.status, statusText: response.statusText, data, config: options };
  }
  return {
    data: data as T,
    status: response.status,
    statusText: response.statusText,
    ok: true,
    headers: response.headers,
    redirected: response.redirected,
    type: response.type,
    url: response.url,
    config: options,
  };
}

export const testBackendSrv = {
  fetch: <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> => from(send<T>(options)),
};
