/**
 * TEST DOUBLE of Grafana's BackendSrv (public/app/core/services/backend_srv.ts), over window.fetch.
 *
 * Emulated: relative URLs under appSubUrl; `params` serialised into the query (arrays repeated,
 * null/undefined dropped); objects sent as JSON; the `X-Grafana-Org-Id` header; JSON/text/blob/
 * arraybuffer bodies; FetchResponse / FetchError shapes (`status`, `statusText`, `data`,
 * `config`; errors also carry `data.message`); cancelling an in-flight request with the same
 * `requestId` (status -1, `cancelled: true`, as Grafana resolves it); unsubscribing aborts the
 * fetch; success and error toasts through appEvents (`alertSuccess` when a non-GET answer has a
 * `message` and `showSuccessAlert` is not false; `alertError` on failures unless
 * `showErrorAlert` is false).
 * Not emulated: retries after a 401 / token rotation, the inspector, request queueing, `chunked`
 * streaming (answered as one chunk).
 */
import { AppEvents } from '@grafana/data';
import {
  type BackendSrv,
  type BackendSrvRequest,
  type FetchError,
  type FetchResponse,
  config,
  getAppEvents,
} from '@grafana/runtime';
import { Observable, lastValueFrom } from 'rxjs';

const CANCELLED_STATUS = -1;

export class TestHostBackendSrv implements BackendSrv {
  private inFlight = new Map<string, AbortController>();

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable<FetchResponse<T>>((subscriber) => {
      const controller = new AbortController();
      let cancelledByRequestId = false;
      if (options.requestId) {
        const previous = this.inFlight.get(options.requestId);
        previous?.abort('superseded');
        this.inFlight.set(options.requestId, controller);
      }
      const onOuterAbort = () => controller.abort('aborted');
      options.abortSignal?.addEventListener('abort', onOuterAbort);
      controller.signal.addEventListener('abort', () => {
        cancelledByRequestId = controller.signal.reason === 'superseded';
      });

      this.send<T>(options, controller.signal)
        .then((response) => {
          subscriber.next(response);
          subscriber.complete();
        })
        .catch((error: unknown) => {
          if (controller.signal.aborted && cancelledByRequestId) {
            subscriber.next(cancelledResponse<T>(options));
            subscriber.complete();
            return;
          }
          if (controller.signal.aborted) {
            subscriber.error({ status: CANCELLED_STATUS, cancelled: true, data: null, config: options });
            return;
          }
          subscriber.error(error);
        })
        .finally(() => {
          options.abortSignal?.removeEventListener('abort', onOuterAbort);
          if (options.requestId && this.inFlight.get(options.requestId) === controller) {
            this.inFlight.delete(options.requestId);
          }
        });

      return () => controller.abort('unsubscribed');
    });
  }

  request<T = unknown>(options: BackendSrvRequest): Promise<T> {
    return lastValueFrom(this.fetch<T>(options)).then((response) => response.data);
  }

  datasourceRequest<T = unknown>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  }

  get<T = unknown>(
    url: string,
    params?: unknown,
    requestId?: string,
    options?: Partial<BackendSrvRequest>
  ): Promise<T> {
    return this.request<T>({
      ...options,
      url,
      method: 'GET',
      params: params as BackendSrvRequest['params'],
      requestId,
    });
  }

  delete<T = unknown>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, method: 'DELETE', data });
  }

  post<T = unknown>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, method: 'POST', data });
  }

  patch<T = unknown>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, method: 'PATCH', data });
  }

  put<T = unknown>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, method: 'PUT', data });
  }

  chunked(options: BackendSrvRequest): Observable<FetchResponse<Uint8Array | undefined>> {
    return this.fetch<Uint8Array | undefined>({ ...options, responseType: 'arraybuffer' });
  }

  private async send<T>(options: BackendSrvRequest, signal: AbortSignal): Promise<FetchResponse<T>> {
    const method = (options.method ?? 'GET').toUpperCase();
    const url = resolveUrl(options.url, options.params);
    const headers = new Headers({ 'X-Grafana-Org-Id': String(config.bootData.user.orgId ?? 1) });
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value !== undefined && value !== null) {
        headers.set(name, String(value));
      }
    }
    let body: BodyInit | undefined;
    if (options.data !== undefined && method !== 'GET' && method !== 'HEAD') {
      if (isRawBody(options.data)) {
        body = options.data;
      } else {
        body = JSON.stringify(options.data);
        if (!headers.has('Content-Type')) {
          headers.set('Content-Type', 'application/json');
        }
      }
    }
    if (!headers.has('Accept')) {
      headers.set('Accept', 'application/json, text/plain, */*');
    }

    const response = await window.fetch(url, {
      method,
      headers,
      body,
      signal,
      credentials: options.credentials ?? 'same-origin',
    });
    const data = (await parseBody(response, options.responseType)) as T;
    const fetchResponse: FetchResponse<T> = {
      data,
      status: response.status,
      statusText: response.statusText,
      ok: response.ok,
      headers: response.headers,
      redirected: response.redirected,
      type: response.type,
      url: response.url,
      config: options,
    };
    if (!response.ok) {
      const error: FetchError = {
        status: response.status,
        statusText: response.statusText,
        data: typeof data === 'object' && data !== null ? data : { message: String(data ?? '') },
        config: options,
      };
      error.message = (error.data as { message?: string }).message || `${response.status} ${response.statusText}`;
      if (options.showErrorAlert !== false) {
        getAppEvents().publish({ type: AppEvents.alertError.name, payload: [error.message] });
      }
      throw error;
    }
    const message = (data as { message?: unknown } | null)?.message;
    if (method !== 'GET' && options.showSuccessAlert !== false && typeof message === 'string' && message) {
      getAppEvents().publish({ type: AppEvents.alertSuccess.name, payload: [message] });
    }
    return fetchResponse;
  }
}

function cancelledResponse<T>(options: BackendSrvRequest): FetchResponse<T> {
  return {
    data: [] as unknown as T,
    status: CANCELLED_STATUS,
    statusText: 'Request was aborted',
    ok: false,
    headers: new Headers(),
    redirected: false,
    type: 'basic',
    url: options.url,
    config: options,
  };
}

/** Grafana prefixes relative API paths with appSubUrl and serialises params like jQuery.param. */
export function resolveUrl(url: string, params?: Record<string, unknown>): string {
  let resolved = url;
  if (!/^https?:\/\//.test(url)) {
    const path = url.startsWith('/') ? url : `/${url}`;
    resolved = `${config.appSubUrl ?? ''}${path}`;
  }
  const query = serializeParams(params);
  if (query) {
    resolved += (resolved.includes('?') ? '&' : '?') + query;
  }
  return resolved;
}

export function serializeParams(params?: Record<string, unknown>): string {
  if (!params) {
    return '';
  }
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      if (item === undefined || item === null) {
        continue;
      }
      const text = typeof item === 'object' ? JSON.stringify(item) : String(item);
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
    }
  }
  return parts.join('&');
}

function isRawBody(data: unknown): data is BodyInit {
  return (
    typeof data === 'string' ||
    data instanceof FormData ||
    data instanceof URLSearchParams ||
    data instanceof Blob ||
    data instanceof ArrayBuffer ||
    ArrayBuffer.isView(data)
  );
}

async function parseBody(response: Response, responseType: BackendSrvRequest['responseType']): Promise<unknown> {
  if (response.status === 204) {
    return undefined;
  }
  switch (responseType) {
    case 'blob':
      return response.blob();
    case 'arraybuffer':
      return new Uint8Array(await response.arrayBuffer());
    case 'text':
      return response.text();
    default: {
      const text = await response.text();
      if (text === '') {
        return '';
      }
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
  }
}
