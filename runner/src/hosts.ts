/**
 * Which MCP URLs the runner may send traffic to: an allow-list of hosts from config, and never a
 * link-local or cloud-metadata address (checked on the name and again on every DNS answer, so a
 * name that resolves to 169.254.169.254 is refused too).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export type Resolver = (host: string) => Promise<string[]>;

export const dnsResolver: Resolver = async (host) =>
  (await lookup(host, { all: true })).map((a) => a.address);

const METADATA_NAMES = new Set([
  'metadata.google.internal',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
]);
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

function bareHost(host: string): string {
  return host
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

/** True for 169.254/16, fe80::/10, IPv4-mapped forms of those, and known metadata addresses. */
export function isForbiddenAddress(address: string): boolean {
  const a = bareHost(address);
  if (METADATA_ADDRESSES.has(a)) return true;
  const mapped = a.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  const v4 = mapped?.[1] ?? (isIP(a) === 4 ? a : undefined);
  if (v4) return v4.startsWith('169.254.');
  if (isIP(a) === 6) return /^fe[89ab][0-9a-f]?:/.test(a);
  return false;
}

export function isForbiddenName(host: string): boolean {
  const h = bareHost(host);
  return METADATA_NAMES.has(h) || isForbiddenAddress(h);
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

export class UrlRefused extends Error {}

/** Validates an MCP URL; resolves with the URL or throws UrlRefused with a user-facing reason. */
export async function checkTargetUrl(
  raw: string,
  allowList: readonly string[],
  resolve: Resolver,
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UrlRefused('must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UrlRefused('must use http or https');
  if (url.username || url.password)
    throw new UrlRefused('must not carry credentials; use the target auth settings');
  const host = bareHost(url.hostname);
  if (isForbiddenName(host)) throw new UrlRefused(`host ${host} is link-local or a cloud metadata endpoint`);
  if (!hostAllowed(host, allowList))
    throw new UrlRefused(`host ${host} is not in the allowed hosts (VIGIL_ALLOWED_HOSTS)`);
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    throw new UrlRefused(`host ${host} does not resolve`);
  }
  if (addresses.some(isForbiddenAddress))
    throw new UrlRefused(`host ${host} resolves to a link-local or metadata address`);
  return url;
}
