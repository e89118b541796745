/**
 * What the runner and its k6 runs may reach: hosts on an allow-list (VIGIL_ALLOWED_HOSTS), and
 * never a link-local, cloud-metadata or operator-blocked address (VIGIL_BLOCKED_CIDRS), whatever
 * form it is written in. Addresses are classified with ipaddr.js after unwrapping the IPv6 forms
 * that carry an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo): string matching missed
 * `[::ffff:a9fe:a9fe]` and friends. The URL's host and every DNS answer are checked here; k6 gets
 * the same ranges and names on its command line (`k6Blocklist`), so what a server points a run to,
 * or a name that resolves elsewhere at run time, is refused where k6 connects.
 */
import { lookup } from 'node:dns/promises';
import { bareHost, hostAllowed } from '@vigil/scenarios/catalog';
import ipaddr from 'ipaddr.js';
import { FieldError } from './errors.ts';

export type Resolver = (host: string) => Promise<string[]>;

export const dnsResolver: Resolver = async (host) =>
  (await lookup(host, { all: true })).map((a) => a.address);

/** Link-local (IPv4 and IPv6) and the cloud metadata addresses outside it (Alibaba, AWS IPv6). */
export const ALWAYS_BLOCKED_CIDRS: readonly string[] = [
  '169.254.0.0/16',
  'fe80::/10',
  '100.100.100.200/32',
  'fd00:ec2::254/128',
];

/** Names of metadata services; k6 refuses them before any DNS lookup (`--block-hostnames`). */
export const METADATA_HOSTNAMES: readonly string[] = [
  'metadata.google.internal',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
];

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [Address, number];

export class UrlRefused extends Error {}

/** Parses CIDRs (`10.0.0.0/8`, `fd00::/8`, or a bare address); throws naming the bad entry. */
export function parseCidrs(entries: readonly string[], name = 'VIGIL_BLOCKED_CIDRS'): Cidr[] {
  return entries.map((entry) => {
    try {
      return entry.includes('/')
        ? ipaddr.parseCIDR(entry)
        : ipaddr.parseCIDR(`${entry}/${entry.includes(':') ? 128 : 32}`);
    } catch {
      throw new Error(`${name}: ${JSON.stringify(entry)} is not an IP address or CIDR such as 10.0.0.0/8`);
    }
  });
}

const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);

/** The IPv4 addresses an IPv6 address stands for, in every form a network may route it. */
export function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4[] {
  const w = address.parts;
  const found: ipaddr.IPv4[] = [];
  switch (address.range()) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
    case 'rfc6145': // ::ffff:0:a.b.c.d
    case 'rfc6052': // NAT64 64:ff9b::a.b.c.d (and the /96 layout of 64:ff9b:1::/48)
      found.push(v4(w[6]!, w[7]!));
      break;
    case '6to4': // 2002:AABB:CCDD::/48
      found.push(v4(w[1]!, w[2]!));
      break;
    case 'teredo': // server in words 2–3, client obfuscated in words 6–7
      found.push(v4(w[2]!, w[3]!), v4(~w[6]! & 0xffff, ~w[7]! & 0xffff));
      break;
  }
  // IPv4-compatible ::a.b.c.d (deprecated by RFC 4291, still accepted by parsers and some stacks).
  if (w.slice(0, 6).every((x) => x === 0) && (w[6] !== 0 || w[7]! > 1)) found.push(v4(w[6]!, w[7]!));
  // Local-use NAT64 prefix 64:ff9b:1::/48 (RFC 8215) with the /48 layout of RFC 6052 §2.2.
  if (w[0] === 0x64 && w[1] === 0xff9b && w[2] === 1)
    found.push(v4(w[3]!, ((w[4]! & 0xff) << 8) | (w[5]! >> 8)));
  return found;
}

function parseAddress(text: string): Address | undefined {
  const a = bareHost(text);
  return ipaddr.isValid(a) ? ipaddr.parse(a) : undefined;
}

/** The IPv6 networks k6 must also refuse for a blocked IPv4 network: NAT64, 6to4, compatible. */
function ipv6Companions([net, bits]: [ipaddr.IPv4, number]): string[] {
  const [a, b, c, d] = net.octets as [number, number, number, number];
  const hi = (a << 8) | b;
  const lo = (c << 8) | d;
  const v6 = (parts: number[], prefix: number) => `${new ipaddr.IPv6(parts).toString()}/${prefix}`;
  return [
    v6([0x64, 0xff9b, 0, 0, 0, 0, hi, lo], 96 + bits),
    v6([0, 0, 0, 0, 0, 0, hi, lo], 96 + bits),
    v6([0x2002, hi, lo, 0, 0, 0, 0, 0], 16 + bits),
  ];
}

/** The k6 command-line options that enforce the policy where k6 connects. */
export interface K6Blocklist {
  /** `--blacklist-ip`: CIDRs (Go matches IPv4-mapped IPv6 against IPv4 networks itself). */
  blockedCidrs: string[];
  /** `--block-hostnames`: metadata service names. */
  blockedHostnames: string[];
}

export class NetworkPolicy {
  private readonly blocked: Cidr[];

  constructor(
    readonly allowedHosts: readonly string[],
    readonly operatorCidrs: readonly string[] = [],
    private readonly resolve: Resolver = dnsResolver,
  ) {
    this.blocked = parseCidrs([...ALWAYS_BLOCKED_CIDRS, ...operatorCidrs]);
  }

  /** True for an address in a blocked network, directly or through an IPv6 form carrying IPv4. */
  isForbiddenAddress(text: string): boolean {
    const address = parseAddress(text);
    if (!address) return false;
    const forms: Address[] =
      address.kind() === 'ipv6' ? [address, ...embeddedIPv4(address as ipaddr.IPv6)] : [address];
    return forms.some((form) =>
      this.blocked.some(([net, bits]) => form.kind() === net.kind() && form.match(net, bits)),
    );
  }

  isForbiddenName(host: string): boolean {
    return METADATA_HOSTNAMES.includes(bareHost(host)) || this.isForbiddenAddress(host);
  }

  k6Blocklist(): K6Blocklist {
    const cidrs = this.blocked.flatMap((cidr) => [
      `${cidr[0].toString()}/${cidr[1]}`,
      ...(cidr[0].kind() === 'ipv4' ? ipv6Companions(cidr as [ipaddr.IPv4, number]) : []),
    ]);
    return { blockedCidrs: [...new Set(cidrs)], blockedHostnames: [...METADATA_HOSTNAMES] };
  }

  /** Validates an MCP URL; resolves with the URL or throws UrlRefused with a user-facing reason. */
  async checkUrl(raw: string): Promise<URL> {
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
    if (this.isForbiddenName(host))
      throw new UrlRefused(`host ${host} is link-local, a cloud metadata endpoint or a blocked network`);
    if (!hostAllowed(host, this.allowedHosts))
      throw new UrlRefused(`host ${host} is not in the allowed hosts (VIGIL_ALLOWED_HOSTS)`);
    let addresses: string[];
    try {
      addresses = parseAddress(host) ? [host] : await this.resolve(host);
    } catch {
      throw new UrlRefused(`host ${host} does not resolve`);
    }
    if (addresses.some((a) => this.isForbiddenAddress(a)))
      throw new UrlRefused(`host ${host} resolves to a link-local, metadata or blocked address`);
    return url;
  }

  /** checkUrl for a request field: a refusal is a 400 `url_refused` naming the field. */
  async checkField(raw: string, field: string): Promise<URL> {
    try {
      return await this.checkUrl(raw);
    } catch (error) {
      if (error instanceof UrlRefused)
        throw new FieldError(field, `${field} ${error.message}`, 400, 'url_refused');
      throw error;
    }
  }
}
