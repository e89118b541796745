/**
 * Which hosts a run may reach: the allow-list syntax shared by the runner (VIGIL_ALLOWED_HOSTS,
 * checked when a target or run is created and again before each run) and the k6 scripts
 * (ALLOWED_HOSTS, checked before every request to a URL a server pointed them to), so both read an
 * entry the same way. Plain string work: k6 runs this file too.
 */

/** The script variable the runner fills from VIGIL_ALLOWED_HOSTS. */
export const ALLOWED_HOSTS_ENV = 'ALLOWED_HOSTS';

/** A host as compared: no brackets, no trailing dot, lower case. */
export function bareHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/** The host of an absolute URL without userinfo and port (`http://u@[::1]:80/x` → `::1`), or undefined. */
export function urlHost(url: string): string | undefined {
  const match = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(url);
  if (!match) return undefined;
  const authority = (match[1] as string).slice((match[1] as string).lastIndexOf('@') + 1);
  const end = authority.startsWith('[') ? authority.indexOf(']') + 1 : authority.indexOf(':');
  const host = bareHost(end > 0 ? authority.slice(0, end) : authority);
  return host === '' ? undefined : host;
}

/** Allow-list entries: an exact host, `*.example.com` (any subdomain), or `*` (any host). */
export function hostAllowed(host: string, allowList: readonly string[]): boolean {
  const h = bareHost(host);
  return allowList.some((entry) => {
    const e = bareHost(entry);
    if (e === '*') return true;
    if (e.startsWith('*.')) return h.endsWith(e.slice(1));
    return h === e;
  });
}

/** Comma-separated allow-list text to entries; empty text means no list (undefined). */
export function parseHostList(text: string | undefined): string[] | undefined {
  const entries = (text ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return entries.length > 0 ? entries : undefined;
}
