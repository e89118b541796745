/**
 * `k6/http`: synchronous requests (blocking on the HTTP worker), `asyncRequest`, `batch`,
 * redirects hop by hop with a sample per hop, the per-VU cookie jar, k6-shaped responses and the
 * built-in http_* metrics tagged like k6 tags them (method, url, name, status, expected_response…).
 */
import { Buffer } from 'node:buffer';
import type { HttpTransport, WireResponse } from '../http-transport.ts';
import type { Runtime } from '../runtime.ts';
import { CookieJar, parseSetCookie, type ResponseCookie } from './cookies.ts';
import {
  FILE_DATA,
  canonicalHeaderName,
  prepareRequest,
  redirectHop,
  type PreparedRequest,
} from './http-request.ts';

type StatusRange = number | { min: number; max: number };
interface ExpectedStatuses {
  ranges: StatusRange[];
}
const EXPECTED = Symbol('k6 expectedStatuses');

const DEFAULT_EXPECTED: ExpectedStatuses = { ranges: [{ min: 200, max: 399 }] };

function isExpected(status: number, callback: ExpectedStatuses): boolean {
  return callback.ranges.some((r) =>
    typeof r === 'number' ? r === status : status >= r.min && status <= r.max,
  );
}

/** gjson-like selector for `res.json('a.b.0.c')` (`#` gives an array's length). */
function select(value: unknown, selector: string): unknown {
  let current: unknown = value;
  for (const key of selector.split('.')) {
    if (current === null || current === undefined) return undefined;
    if (key === '#' && Array.isArray(current)) current = current.length;
    else current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** One exchange as a sequence of hops: yields wire requests, receives wire responses. */
type FinalHop = WireResponse & { request: PreparedRequest; cookies: ResponseCookie[] };
type HopDriver = Generator<PreparedRequest, FinalHop, WireResponse>;

export function createHttpModule(runtime: Runtime, transport: HttpTransport) {
  const vuJar = new CookieJar();
  const jars = new WeakMap<object, CookieJar>();
  const vuJarFacade = vuJar.facade();
  jars.set(vuJarFacade, vuJar);
  let globalExpected: ExpectedStatuses | null = DEFAULT_EXPECTED;

  const userAgent = `k6/${runtime.settings.k6Version === '2' ? '2.2.0' : '1.6.0'} (https://k6.io/)`;
  const defaults = () => ({
    userAgent,
    discardResponseBodies: runtime.options.discardResponseBodies === true,
    maxRedirects: typeof runtime.options.maxRedirects === 'number' ? runtime.options.maxRedirects : undefined,
  });

  function jarFor(params: Record<string, unknown> | null | undefined): CookieJar {
    const given = params?.jar;
    return (given && typeof given === 'object' ? jars.get(given) : undefined) ?? vuJar;
  }

  function wireHeaders(
    request: PreparedRequest,
    jar: CookieJar,
    params: Record<string, unknown> | null | undefined,
  ) {
    const headers: Array<[string, string]> = [...request.headers.values()].filter(
      ([name]) => name.toLowerCase() !== 'cookie',
    );
    const cookies = jar.matching(request.url).map((c) => `${c.name}=${c.value}`);
    for (const [name, value] of Object.entries((params?.cookies as Record<string, unknown>) ?? {})) {
      cookies.push(
        `${name}=${typeof value === 'object' && value ? String((value as { value?: unknown }).value ?? '') : String(value)}`,
      );
    }
    const explicit = request.headers.get('cookie');
    if (explicit) cookies.push(explicit[1]);
    if (cookies.length) headers.push(['Cookie', cookies.join('; ')]);
    if (request.body) headers.push(['Content-Length', String(request.body.byteLength)]);
    return headers;
  }

  function* hops(first: PreparedRequest, jar: CookieJar): HopDriver {
    let request = first;
    for (let hop = 0; ; hop++) {
      const response = yield request;
      const location = canonicalHeaders(rawHeaderPairs(response)).Location;
      const redirect = response.status >= 300 && response.status < 400 && location !== undefined;
      const cookies = storeCookies(response, request, jar);
      if (!redirect || hop >= request.maxRedirects) {
        if (redirect && request.maxRedirects > 0)
          runtime.log(
            'WARN',
            `Stopped after ${hop} redirects and returned the redirection; pass { redirects: n } in request params or set global maxRedirects option`,
          );
        return { ...response, request, cookies };
      }
      request = redirectHop(request, response.status, location);
    }
  }

  function rawHeaderPairs(response: WireResponse): Array<[string, string]> {
    const raw = response.rawHeaders ?? [];
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
    return pairs;
  }

  /** Header pairs as k6 shows them: Go-canonical names, repeated headers joined with ", ". */
  function canonicalHeaders(pairs: ReadonlyArray<[string, string]>): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of pairs) {
      const key = canonicalHeaderName(name);
      headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
    }
    return headers;
  }

  function storeCookies(response: WireResponse, request: PreparedRequest, jar: CookieJar): ResponseCookie[] {
    const reported: ResponseCookie[] = [];
    for (const [name, value] of rawHeaderPairs(response)) {
      if (name.toLowerCase() !== 'set-cookie') continue;
      const parsed = parseSetCookie(value, request.url);
      if (!parsed) continue;
      jar.store(parsed.stored);
      reported.push(parsed.reported);
    }
    return reported;
  }

  function record(
    request: PreparedRequest,
    sent: Array<[string, string]>,
    response: WireResponse,
    expected: ExpectedStatuses | null,
  ) {
    const ok = expected ? isExpected(response.status, expected) : undefined;
    const url = request.url.toString();
    // k6 applies params.tags first, then the system tags options.systemTags enables (a `name` the
    // script set is kept even when the name system tag is off).
    const tags = runtime.sampleTags({
      ...request.tags,
      ...runtime.enabledSystemTags({
        method: request.method,
        url,
        name: request.nameTag ?? url,
        status: String(response.status),
        proto: response.proto ?? '',
        expected_response: ok === undefined ? undefined : String(ok),
        error_code: errorCode(response) ? String(errorCode(response)) : undefined,
      }),
    });
    const t = response.timings;
    runtime.addSample('http_reqs', 1, tags);
    runtime.addSample('http_req_duration', t.duration, tags);
    runtime.addSample('http_req_blocked', t.blocked, tags);
    runtime.addSample('http_req_connecting', t.connecting, tags);
    runtime.addSample('http_req_tls_handshaking', t.tls_handshaking, tags);
    runtime.addSample('http_req_sending', t.sending, tags);
    runtime.addSample('http_req_waiting', t.waiting, tags);
    runtime.addSample('http_req_receiving', t.receiving, tags);
    if (ok !== undefined) runtime.addSample('http_req_failed', ok ? 0 : 1, tags);
    runtime.addSample('data_sent', request.body?.byteLength ?? 0, tags);
    runtime.addSample('data_received', response.body?.byteLength ?? 0, tags);
    runtime.requests.push({
      method: request.method,
      url,
      status: response.status,
      tags,
      requestHeaders: canonicalHeaders(sent),
      responseHeaders: canonicalHeaders(rawHeaderPairs(response)),
    });
    if (response.error) {
      const verb = request.method.charAt(0) + request.method.slice(1).toLowerCase();
      runtime.log('WARN', 'Request Failed', { error: JSON.stringify(`${verb} "${url}": ${response.error}`) });
    }
  }

  function errorCode(response: WireResponse): number {
    if (response.errorCode) return response.errorCode;
    return response.status >= 400 ? 1000 + response.status : 0;
  }

  function toResponse(final: FinalHop, first: PreparedRequest) {
    const request = final.request;
    const headers = canonicalHeaders(rawHeaderPairs(final));
    const bytes = Buffer.from(final.body ?? new Uint8Array());
    const body =
      final.status === 0 && !final.body
        ? null
        : request.responseType === 'none'
          ? null
          : request.responseType === 'binary'
            ? runtime.toScriptArrayBuffer(bytes)
            : bytes.toString('utf8');
    const cookies: Record<string, ResponseCookie[]> = {};
    for (const cookie of final.cookies) (cookies[cookie.name] ??= []).push(cookie);
    const requestHeaders: Record<string, string[]> = {};
    for (const [name, value] of request.headers.values()) requestHeaders[canonicalHeaderName(name)] = [value];
    return {
      status: final.status,
      status_text: final.status ? `${final.status} ${final.statusText ?? ''}`.trim() : '',
      proto: final.proto ?? '',
      url: request.url.toString(),
      headers,
      body,
      cookies,
      error: final.error ?? '',
      error_code: errorCode(final),
      remote_ip: final.remoteIp ?? '',
      remote_port: final.remotePort ?? 0,
      timings: { ...final.timings },
      tls_version: '',
      tls_cipher_suite: '',
      ocsp: {},
      request: {
        method: first.method,
        url: first.url.toString(),
        headers: requestHeaders,
        body: first.body?.toString('utf8') ?? '',
        cookies: {},
      },
      json(selector?: string) {
        if (typeof body !== 'string')
          throw runtime.error('cannot parse a response body that is not text as JSON (responseType?)');
        let parsed: unknown;
        try {
          parsed = runtime.realm.JSON.parse(body);
        } catch (error) {
          throw runtime.error(`cannot parse json due to an error at line 1: ${(error as Error).message}`);
        }
        return selector === undefined ? parsed : select(parsed, selector);
      },
      html() {
        throw runtime.error('res.html() is not emulated by the test-only k6 adapter');
      },
      submitForm() {
        throw runtime.error('res.submitForm() is not emulated by the test-only k6 adapter');
      },
      clickLink() {
        throw runtime.error('res.clickLink() is not emulated by the test-only k6 adapter');
      },
    };
  }

  function start(
    method: unknown,
    url: unknown,
    body: unknown,
    params: Record<string, unknown> | null | undefined,
  ) {
    runtime.requirePhase(['setup', 'vu', 'teardown'], 'Making http requests');
    let prepared: PreparedRequest;
    try {
      prepared = prepareRequest(method, url, body, params, defaults());
    } catch (error) {
      throw runtime.error((error as Error).message);
    }
    const expected =
      params && 'responseCallback' in params
        ? params.responseCallback === null
          ? null
          : ((params.responseCallback as { [EXPECTED]?: ExpectedStatuses })[EXPECTED] ?? DEFAULT_EXPECTED)
        : globalExpected;
    return { prepared, driver: hops(prepared, jarFor(params)), expected };
  }

  function wire(
    request: PreparedRequest,
    jar: CookieJar,
    params: Record<string, unknown> | null | undefined,
  ) {
    return {
      method: request.method,
      url: request.url.toString(),
      headers: wireHeaders(request, jar, params),
      body: request.body ? new Uint8Array(request.body) : null,
      timeoutMs: Math.min(request.timeoutMs, runtime.remainingMs()),
      insecureSkipTLSVerify: runtime.options.insecureSkipTLSVerify === true,
    };
  }

  function request(method: unknown, url: unknown, body?: unknown, params?: Record<string, unknown> | null) {
    const { prepared, driver, expected } = start(method, url, body, params);
    const jar = jarFor(params);
    let step = driver.next(undefined as unknown as WireResponse);
    while (!step.done) {
      runtime.trace(
        `${step.value.method} ${step.value.url.origin}${step.value.url.pathname} (timeout ${step.value.timeoutMs} ms)`,
      );
      const sent = wire(step.value, jar, params);
      const response = transport.exchangeSync(sent);
      runtime.trace(`  → ${response.status} ${response.error ?? ''}`);
      record(step.value, sent.headers, response, expected);
      step = driver.next(response);
    }
    return toResponse(step.value, prepared);
  }

  function asyncRequest(
    method: unknown,
    url: unknown,
    body?: unknown,
    params?: Record<string, unknown> | null,
  ) {
    const { prepared, driver, expected } = start(method, url, body, params);
    const jar = jarFor(params);
    const release = runtime.loop.hold();
    return new runtime.realm.Promise((resolve, reject) => {
      const run = async () => {
        let step = driver.next(undefined as unknown as WireResponse);
        while (!step.done) {
          const sent = wire(step.value, jar, params);
          const response = await transport.exchangeAsync(sent);
          record(step.value, sent.headers, response, expected);
          step = driver.next(response);
        }
        return toResponse(step.value, prepared);
      };
      run().then(resolve, reject).finally(release);
    });
  }

  function batch(requests: unknown) {
    const one = (entry: unknown) => {
      if (
        typeof entry === 'string' ||
        (entry && typeof entry === 'object' && 'name' in entry && 'url' in entry && !('method' in entry))
      ) {
        return request('GET', entry);
      }
      if (Array.isArray(entry)) return request(entry[0], entry[1], entry[2], entry[3]);
      const e = entry as { method: string; url: unknown; body?: unknown; params?: Record<string, unknown> };
      return request(e.method, e.url, e.body, e.params);
    };
    if (Array.isArray(requests)) return requests.map(one);
    return Object.fromEntries(
      Object.entries(requests as Record<string, unknown>).map(([k, v]) => [k, one(v)]),
    );
  }

  const bodyless = (method: string) => (url: unknown, params?: Record<string, unknown> | null) =>
    request(method, url, null, params);
  const withBody =
    (method: string) => (url: unknown, body?: unknown, params?: Record<string, unknown> | null) =>
      request(method, url, body, params);

  const module = {
    request,
    asyncRequest,
    batch,
    get: bodyless('GET'),
    head: bodyless('HEAD'),
    del: withBody('DELETE'),
    options: withBody('OPTIONS'),
    patch: withBody('PATCH'),
    post: withBody('POST'),
    put: withBody('PUT'),
    url: (strings: TemplateStringsArray, ...values: unknown[]) => ({
      url: strings.reduce((acc, part, i) => acc + part + (i < values.length ? String(values[i]) : ''), ''),
      name: strings.join('${}'),
    }),
    file: (data: unknown, filename?: string, contentType?: string) => ({
      [FILE_DATA]: true,
      data,
      filename,
      content_type: contentType,
    }),
    cookieJar: () => vuJarFacade,
    CookieJar: class {
      constructor() {
        const jar = new CookieJar();
        const facade = jar.facade();
        jars.set(facade, jar);
        return facade;
      }
    },
    expectedStatuses: (...ranges: StatusRange[]) => ({ [EXPECTED]: { ranges } }),
    setResponseCallback: (callback: { [EXPECTED]?: ExpectedStatuses } | null) => {
      globalExpected = callback === null ? null : (callback[EXPECTED] ?? DEFAULT_EXPECTED);
    },
    TLS_1_2: 'tls1.2',
    TLS_1_3: 'tls1.3',
  };
  return { module, resetCookies: () => vuJar.reset() };
}
