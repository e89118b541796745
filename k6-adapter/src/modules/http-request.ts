/**
 * Turning a k6 `http.request(method, url, body, params)` call into wire requests: URL and name
 * tag, headers, body encoding (form, multipart, binary), timeout, and Go's redirect rules.
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { parseDuration } from '@vigil/scenarios/catalog';
import { isBinary, toBytes } from './bytes.ts';

export interface HttpUrl {
  url: string;
  name: string;
}

export interface FileData {
  data: unknown;
  filename?: string;
  content_type?: string;
}

export const FILE_DATA = Symbol('k6 FileData');

export interface PreparedRequest {
  method: string;
  url: URL;
  nameTag: string | undefined;
  headers: Map<string, [string, string]>;
  body: Buffer | null;
  timeoutMs: number;
  maxRedirects: number;
  responseType: 'text' | 'binary' | 'none';
  tags: Record<string, string>;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_REDIRECTS = 10;

/** Go's url.QueryEscape: everything but [A-Za-z0-9-_.~] escaped, space as '+'. */
export function goQueryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Go's url.Values.Encode, which k6 uses for object bodies: keys sorted. */
function formEncode(fields: Record<string, unknown>): string {
  return Object.keys(fields)
    .sort()
    .map((key) => `${goQueryEscape(key)}=${goQueryEscape(String(fields[key]))}`)
    .join('&');
}

function multipartEncode(fields: Record<string, unknown>): { body: Buffer; contentType: string } {
  const boundary = randomBytes(16).toString('hex');
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const file =
      value && typeof value === 'object' && FILE_DATA in value ? (value as unknown as FileData) : undefined;
    const disposition = file
      ? `form-data; name="${name}"; filename="${file.filename ?? 'file'}"\r\nContent-Type: ${file.content_type ?? 'application/octet-stream'}`
      : `form-data; name="${name}"`;
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    parts.push(file ? toBytes(file.data, `file ${name}`) : Buffer.from(String(value)));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

function encodeBody(body: unknown, headers: Map<string, [string, string]>): Buffer | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string' || isBinary(body)) return toBytes(body, 'body');
  if (typeof body !== 'object') return Buffer.from(String(body));
  const fields = body as Record<string, unknown>;
  const hasFile = Object.values(fields).some((v) => v && typeof v === 'object' && FILE_DATA in v);
  if (hasFile) {
    const encoded = multipartEncode(fields);
    if (!headers.has('content-type')) headers.set('content-type', ['Content-Type', encoded.contentType]);
    return encoded.body;
  }
  if (!headers.has('content-type'))
    headers.set('content-type', ['Content-Type', 'application/x-www-form-urlencoded']);
  return Buffer.from(formEncode(fields));
}

function timeoutOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const ms = parseDuration(value);
    if (ms === undefined) throw new Error(`params.timeout: invalid duration "${value}"`);
    return ms;
  }
  return DEFAULT_TIMEOUT_MS;
}

export function parseTarget(input: unknown): { url: URL; nameTag: string | undefined } {
  const isHttpUrl = !!input && typeof input === 'object' && 'url' in input && 'name' in input;
  const text = isHttpUrl ? (input as HttpUrl).url : String(input);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`parse "${text}": invalid URI for request`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`unsupported protocol scheme "${url.protocol.slice(0, -1)}"`);
  return { url, nameTag: isHttpUrl ? (input as HttpUrl).name : undefined };
}

export interface PrepareDefaults {
  userAgent: string;
  discardResponseBodies: boolean;
  maxRedirects?: number;
}

export function prepareRequest(
  method: unknown,
  target: unknown,
  body: unknown,
  params: Record<string, unknown> | null | undefined,
  defaults: PrepareDefaults,
): PreparedRequest {
  const p = params ?? {};
  const { url, nameTag } = parseTarget(target);
  const headers = new Map<string, [string, string]>();
  for (const [name, value] of Object.entries((p.headers as Record<string, unknown>) ?? {})) {
    headers.set(name.toLowerCase(), [name, String(value)]);
  }
  if (!headers.has('user-agent')) headers.set('user-agent', ['User-Agent', defaults.userAgent]);
  if (url.username && !headers.has('authorization')) {
    const credentials = Buffer.from(
      `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`,
    ).toString('base64');
    headers.set('authorization', ['Authorization', `Basic ${credentials}`]);
    url.username = '';
    url.password = '';
  }
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries((p.tags as Record<string, unknown>) ?? {}))
    tags[key] = String(value);
  const responseType =
    (p.responseType as PreparedRequest['responseType'] | undefined) ??
    (defaults.discardResponseBodies ? 'none' : 'text');
  if (!['text', 'binary', 'none'].includes(responseType))
    throw new Error(`params.responseType: invalid value "${String(responseType)}"`);
  return {
    method: String(method).toUpperCase(),
    url,
    nameTag: tags.name ?? nameTag,
    headers,
    body: encodeBody(body, headers),
    timeoutMs: timeoutOf(p.timeout),
    maxRedirects:
      typeof p.redirects === 'number' ? p.redirects : (defaults.maxRedirects ?? DEFAULT_MAX_REDIRECTS),
    responseType,
    tags,
  };
}

const SENSITIVE_ON_CROSS_DOMAIN = ['authorization', 'www-authenticate', 'cookie', 'cookie2'];

/** The next hop of a redirect, following Go's net/http client rules. */
export function redirectHop(current: PreparedRequest, status: number, location: string): PreparedRequest {
  const next = new URL(location, current.url);
  const headers = new Map(current.headers);
  let method = current.method;
  let body = current.body;
  if ([301, 302, 303].includes(status) && method !== 'GET' && method !== 'HEAD') {
    method = 'GET';
    body = null;
    headers.delete('content-type');
    headers.delete('content-length');
  }
  const sameDomain =
    next.hostname === current.url.hostname || next.hostname.endsWith(`.${current.url.hostname}`);
  if (!sameDomain) for (const name of SENSITIVE_ON_CROSS_DOMAIN) headers.delete(name);
  return { ...current, method, url: next, headers, body };
}

/** Go's textproto.CanonicalMIMEHeaderKey: `mcp-session-id` → `Mcp-Session-Id`. */
export function canonicalHeaderName(name: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) return name;
  return name
    .toLowerCase()
    .replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => dash + letter.toUpperCase());
}
