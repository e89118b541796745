/**
 * The network policy on strings only (no request is ever sent to a non-loopback address): address
 * classification in every IPv6 form that carries an IPv4 address, the URL and DNS checks with a
 * resolver that answers from a table, and the blocklist handed to k6.
 */
import { bareHost, hostAllowed, urlHost } from '@vigil/scenarios/catalog';
import { describe, expect, it } from 'vitest';
import { embeddedIPv4, NetworkPolicy, parseCidrs, UrlRefused } from '../src/hosts.ts';
import ipaddr from 'ipaddr.js';

const policy = new NetworkPolicy(['*']);

describe('forbidden addresses', () => {
  it.each([
    '169.254.169.254',
    '169.254.0.1',
    '100.100.100.200',
    'fe80::1',
    'FE80::abcd',
    '[fe80::1]',
    'fe80::1%eth0',
    'fd00:ec2::254',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '0:0:0:0:0:ffff:169.254.169.254',
    '::169.254.169.254',
    '::a9fe:a9fe',
    '::ffff:0:a9fe:a9fe',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b::169.254.169.254',
    '64:ff9b:1::a9fe:a9fe',
    '2002:a9fe:a9fe::1',
    // Teredo: client address 169.254.169.254 obfuscated (each bit flipped) in the last 32 bits.
    '2001:0:4136:e378:8000:63bf:5601:5601',
  ])('refuses %s', (address) => {
    expect(policy.isForbiddenAddress(address)).toBe(true);
  });

  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '::1',
    '::',
    'fd00::1',
    '8.8.8.8',
    '::ffff:127.0.0.1',
    '64:ff9b::808:808',
  ])('lets %s through', (address) => expect(policy.isForbiddenAddress(address)).toBe(false));

  it('is not fooled by names that merely look like addresses', () => {
    expect(policy.isForbiddenAddress('169.254.169.254.nip.io')).toBe(false); // a name: DNS decides
    expect(policy.isForbiddenName('metadata.google.internal.')).toBe(true);
    expect(policy.isForbiddenName('METADATA')).toBe(true);
  });

  it('unwraps each IPv6 form to the IPv4 address it carries', () => {
    const of = (a: string) => embeddedIPv4(ipaddr.IPv6.parse(a)).map(String);
    expect(of('::ffff:a9fe:a9fe')).toEqual(['169.254.169.254']);
    expect(of('64:ff9b::a01:203')).toEqual(['10.1.2.3']);
    expect(of('2002:a01:203::')).toEqual(['10.1.2.3']);
    expect(of('::a01:203')).toEqual(['10.1.2.3']);
    expect(of('2001:db8::1')).toEqual([]);
  });

  it('adds operator CIDRs, in their IPv6 forms too', () => {
    const strict = new NetworkPolicy(['*'], ['10.0.0.0/8', '192.168.1.7']);
    for (const a of ['10.1.2.3', '::ffff:10.1.2.3', '64:ff9b::a01:203', '2002:a01:203::1', '192.168.1.7'])
      expect(strict.isForbiddenAddress(a), a).toBe(true);
    expect(strict.isForbiddenAddress('192.168.1.8')).toBe(false);
    expect(() => parseCidrs(['10.0.0.0/8', 'ten/8'])).toThrow(/VIGIL_BLOCKED_CIDRS: "ten\/8"/);
  });
});

describe('checkUrl', () => {
  const table: Record<string, string[]> = {
    'mapped.example.test': ['::ffff:a9fe:a9fe'],
    'nat64.example.test': ['127.0.0.1', '64:ff9b::a9fe:a9fe'],
    'fine.example.test': ['127.0.0.1'],
  };
  const resolving = new NetworkPolicy(['*'], [], async (host) => {
    const answer = table[host];
    if (!answer) throw new Error('ENOTFOUND');
    return answer;
  });

  it.each([
    'http://[::ffff:169.254.169.254]/',
    'http://[::169.254.169.254]/',
    'http://[0:0:0:0:0:ffff:169.254.169.254]/',
    'http://[64:ff9b::a9fe:a9fe]/mcp',
    'http://169.254.169.254./',
    'http://0xa9fea9fe/',
    'http://2852039166/',
    'http://metadata.google.internal./computeMetadata/v1/',
    'http://mapped.example.test/mcp',
    'http://nat64.example.test/mcp',
  ])('refuses %s even with VIGIL_ALLOWED_HOSTS=*', async (url) => {
    await expect(resolving.checkUrl(url)).rejects.toBeInstanceOf(UrlRefused);
  });

  it('accepts an allowed host that resolves to a permitted address; names what is wrong otherwise', async () => {
    expect((await resolving.checkUrl('http://fine.example.test/mcp')).host).toBe('fine.example.test');
    const narrow = new NetworkPolicy(['127.0.0.1']);
    await expect(narrow.checkUrl('http://localhost:1/mcp')).rejects.toThrow(/not in the allowed hosts/);
    await expect(resolving.checkUrl('http://nowhere.example.test/')).rejects.toThrow(/does not resolve/);
    await expect(resolving.checkUrl('ftp://fine.example.test/')).rejects.toThrow(/http or https/);
    await expect(resolving.checkUrl('http://u:p@fine.example.test/')).rejects.toThrow(/credentials/);
  });
});

describe('the blocklist k6 gets', () => {
  it('holds link-local, metadata, their IPv6 forms, operator CIDRs and the metadata names', () => {
    const { blockedCidrs, blockedHostnames } = new NetworkPolicy(['*'], ['10.0.0.0/8']).k6Blocklist();
    expect(blockedCidrs).toEqual(
      expect.arrayContaining([
        '169.254.0.0/16',
        'fe80::/10',
        '100.100.100.200/32',
        'fd00:ec2::254/128',
        '64:ff9b::a9fe:0/112',
        '::a9fe:0/112',
        '2002:a9fe::/32',
        '10.0.0.0/8',
        '64:ff9b::a00:0/104',
      ]),
    );
    for (const cidr of blockedCidrs) expect(cidr).toMatch(/^[0-9a-f.:]+\/\d{1,3}$/);
    expect(blockedHostnames).toEqual(expect.arrayContaining(['metadata.google.internal', 'metadata']));
  });
});

describe('the allow-list syntax (shared with the scripts)', () => {
  it('matches exact hosts, subdomain wildcards and *', () => {
    expect(hostAllowed('api.example.com', ['*.example.com'])).toBe(true);
    expect(hostAllowed('example.com.evil.org', ['*.example.com'])).toBe(false);
    expect(hostAllowed('anything', ['*'])).toBe(true);
    expect(hostAllowed('LOCALHOST', ['localhost'])).toBe(true);
    expect(hostAllowed('[::1]', ['::1'])).toBe(true);
    expect(bareHost('Example.COM.')).toBe('example.com');
  });

  it('reads the host of a URL the way k6 does: after the last @, without the port', () => {
    expect(urlHost('http://u@[::1]:80/x')).toBe('::1');
    expect(urlHost('https://a@b@127.0.0.2:8443/p?q=@x')).toBe('127.0.0.2');
    expect(urlHost('http://Example.com./')).toBe('example.com');
    expect(urlHost('/relative')).toBeUndefined();
  });
});
