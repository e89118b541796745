/**
 * URL and query-string helpers written by hand: k6 has no global `URL` or `URLSearchParams`
 * (docs/design.md: absent in 1.6 and 2.2), and its URL helper is a remote jslib import an offline
 * runner cannot fetch. Only what OAuth discovery and redirects need: absolute http(s) URLs.
 */

export interface ParsedUrl {
  /** `http:` or `https:` (lower case, with the colon, as WHATWG URL has it). */
  protocol: string;
  /** Host and port as written, lower-cased (`127.0.0.1:8080`). */
  host: string;
  /** `protocol//host`. */
  origin: string;
  /** Path starting with `/` (`/` when the URL has none). */
  pathname: string;
  /** Query without the `?` ('' when none). */
  query: string;
  /** Fragment without the `#` ('' when none). */
  fragment: string;
}

const ABSOLUTE = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;

/** Parses an absolute URL; returns undefined for anything else (never throws). */
export function parseUrl(text: string): ParsedUrl | undefined {
  const match = ABSOLUTE.exec(String(text ?? '').trim());
  if (!match) return undefined;
  const protocol = `${(match[1] ?? '').toLowerCase()}:`;
  const host = (match[2] ?? '').toLowerCase();
  if (host === '') return undefined;
  return {
    protocol,
    host: stripDefaultPort(protocol, host),
    origin: `${protocol}//${stripDefaultPort(protocol, host)}`,
    pathname: match[3] || '/',
    query: match[4] ?? '',
    fragment: match[5] ?? '',
  };
}

function stripDefaultPort(protocol: string, host: string): string {
  if (protocol === 'http:' && host.endsWith(':80')) return host.slice(0, -3);
  if (protocol === 'https:' && host.endsWith(':443')) return host.slice(0, -4);
  return host;
}

/** The URL without query and fragment. */
export function withoutQuery(url: ParsedUrl): string {
  return `${url.origin}${url.pathname}`;
}

/** Resolves a `Location` header (absolute, scheme-relative, absolute-path or relative) against a base URL. */
export function resolveUrl(base: string, reference: string): string | undefined {
  const ref = String(reference ?? '').trim();
  if (parseUrl(ref)) return ref;
  const parsed = parseUrl(base);
  if (!parsed) return undefined;
  if (ref.startsWith('//')) return `${parsed.protocol}${ref}`;
  if (ref.startsWith('/')) return `${parsed.origin}${ref}`;
  if (ref.startsWith('?')) return `${parsed.origin}${parsed.pathname}${ref}`;
  const directory = parsed.pathname.slice(0, parsed.pathname.lastIndexOf('/') + 1);
  return `${parsed.origin}${directory}${ref}`;
}

function encodeComponent(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `application/x-www-form-urlencoded` body or query string; undefined values are left out. */
export function encodeForm(params: Record<string, string | undefined>): string {
  return Object.keys(params)
    .filter((key) => params[key] !== undefined)
    .map((key) => `${encodeComponent(key)}=${encodeComponent(params[key] as string)}`)
    .join('&');
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Parses a query string or form body; the first value of a repeated key wins. */
export function parseQuery(query: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of String(query ?? '')
    .replace(/^\?/, '')
    .split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    if (!(key in result)) result[key] = decodeComponent(eq < 0 ? '' : pair.slice(eq + 1));
  }
  return result;
}

/** Appends query parameters to a URL that may already carry some. */
export function appendQuery(url: string, params: Record<string, string | undefined>): string {
  const query = encodeForm(params);
  if (query === '') return url;
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

/** Joins an origin and a path with exactly one slash; `path` '' or '/' gives the origin. */
export function joinPath(origin: string, path: string): string {
  const trimmedPath = path === '/' ? '' : path.replace(/^\/?/, '/');
  return `${origin.replace(/\/+$/, '')}${trimmedPath}`;
}

/**
 * Whether a Protected Resource Metadata `resource` covers the MCP URL the client talks to:
 * same origin, and the resource path is the MCP path or a parent of it (as the MCP SDK checks).
 */
export function resourceCovers(resource: string, mcpUrl: string): boolean {
  const declared = parseUrl(resource);
  const actual = parseUrl(mcpUrl);
  if (!declared || !actual || declared.origin !== actual.origin) return false;
  const declaredPath = declared.pathname.replace(/\/+$/, '');
  const actualPath = actual.pathname.replace(/\/+$/, '');
  return declaredPath === '' || actualPath === declaredPath || actualPath.startsWith(`${declaredPath}/`);
}

/** `http(s)://host/path` → `ws(s)://host/path`. */
export function toWebSocketUrl(url: string): string {
  return url.replace(/^http(s?):/i, (_m, s: string) => `ws${s}:`);
}
