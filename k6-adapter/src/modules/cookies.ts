/**
 * A small cookie jar with the behaviour k6's per-VU jar has for the flows Vigil tests (login
 * forms, session cookies across redirects): host/domain and path matching, Max-Age/Expires,
 * Secure. Hand-written because the adapter needs it synchronously inside the vm bridge; the
 * one npm jar (tough-cookie) is not installed here.
 */

interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  expiresAt: number | undefined;
}

export interface ResponseCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  httpOnly: boolean;
  secure: boolean;
  maxAge: number;
  expires: number;
}

function defaultPath(url: URL): string {
  const slash = url.pathname.lastIndexOf('/');
  return slash <= 0 ? '/' : url.pathname.slice(0, slash);
}

function domainMatches(cookie: StoredCookie, host: string): boolean {
  if (cookie.hostOnly) return host === cookie.domain;
  return host === cookie.domain || host.endsWith(`.${cookie.domain}`);
}

function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) return true;
  return (
    requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/')
  );
}

export function parseSetCookie(
  header: string,
  url: URL,
): { stored: StoredCookie; reported: ResponseCookie } | undefined {
  const [pair, ...attributes] = header.split(';');
  const eq = pair?.indexOf('=') ?? -1;
  if (!pair || eq <= 0) return undefined;
  const stored: StoredCookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    domain: url.hostname,
    hostOnly: true,
    path: defaultPath(url),
    secure: false,
    httpOnly: false,
    expiresAt: undefined,
  };
  let maxAge = 0;
  let expires = 0;
  for (const attribute of attributes) {
    const [rawKey = '', ...rest] = attribute.split('=');
    const key = rawKey.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (key === 'domain' && value) {
      stored.domain = value.replace(/^\./, '').toLowerCase();
      stored.hostOnly = false;
    } else if (key === 'path' && value.startsWith('/')) stored.path = value;
    else if (key === 'secure') stored.secure = true;
    else if (key === 'httponly') stored.httpOnly = true;
    else if (key === 'max-age' && /^-?\d+$/.test(value)) {
      maxAge = Number(value);
      stored.expiresAt = Date.now() + maxAge * 1000;
    } else if (key === 'expires' && !Number.isNaN(Date.parse(value))) {
      expires = Date.parse(value);
      stored.expiresAt ??= expires;
    }
  }
  return {
    stored,
    reported: {
      name: stored.name,
      value: stored.value,
      domain: stored.hostOnly ? '' : stored.domain,
      path: stored.path,
      httpOnly: stored.httpOnly,
      secure: stored.secure,
      maxAge,
      expires,
    },
  };
}

export class CookieJar {
  private cookies: StoredCookie[] = [];

  store(cookie: StoredCookie): void {
    this.cookies = this.cookies.filter(
      (c) => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path),
    );
    if (cookie.expiresAt === undefined || cookie.expiresAt > Date.now()) this.cookies.push(cookie);
  }

  matching(url: URL): StoredCookie[] {
    const now = Date.now();
    return this.cookies
      .filter((c) => (c.expiresAt === undefined || c.expiresAt > now) && domainMatches(c, url.hostname))
      .filter((c) => pathMatches(c.path, url.pathname || '/') && (!c.secure || url.protocol === 'https:'))
      .sort((a, b) => b.path.length - a.path.length);
  }

  /** The script-facing object (http.CookieJar). */
  facade() {
    return {
      cookiesForURL: (url: string) => {
        const result: Record<string, string[]> = {};
        for (const c of this.matching(new URL(url))) (result[c.name] ??= []).push(c.value);
        return result;
      },
      set: (
        url: string,
        name: string,
        value: string,
        options: {
          domain?: string;
          path?: string;
          secure?: boolean;
          http_only?: boolean;
          max_age?: number;
        } = {},
      ) => {
        const target = new URL(url);
        this.store({
          name,
          value,
          domain: options.domain ?? target.hostname,
          hostOnly: !options.domain,
          path: options.path ?? '/',
          secure: options.secure ?? false,
          httpOnly: options.http_only ?? false,
          expiresAt: options.max_age === undefined ? undefined : Date.now() + options.max_age * 1000,
        });
      },
      clear: (url: string) => {
        const target = new URL(url);
        this.cookies = this.cookies.filter((c) => !domainMatches(c, target.hostname));
      },
      delete: (url: string, name: string) => {
        const target = new URL(url);
        this.cookies = this.cookies.filter((c) => !(c.name === name && domainMatches(c, target.hostname)));
      },
    };
  }

  reset(): void {
    this.cookies = [];
  }
}
