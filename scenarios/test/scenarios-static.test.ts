/**
 * Static guarantees of the k6 code (no k6 needed): nothing imports Node or npm, every script
 * sets the catalog's options and exports its workloads, and the hand-written helpers that replace
 * what k6 lacks (URL, URLSearchParams, an SSE client) parse what real servers send.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCENARIOS, SCENARIO_IDS, WORKLOADS } from '../catalog/index.ts';
import { canonicalJson, messagesFromBody, parseSse } from '../lib/mcp-protocol.ts';
import { SYSTEM_TAGS } from '../lib/options.ts';
import {
  appendQuery,
  encodeForm,
  parseQuery,
  parseUrl,
  resolveUrl,
  resourceCovers,
  toWebSocketUrl,
} from '../lib/url.ts';
import { asMetadataCandidates, prmCandidates } from '../lib/well-known.ts';
import { parseBearerChallenge } from '../lib/www-authenticate.ts';
import { isLoginForm, parseForms } from '../lib/html-form.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const K6_CODE = [
  ...readdirSync(ROOT)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.config.ts'))
    .map((f) => path.join(ROOT, f)),
  ...filesUnder(path.join(ROOT, 'lib')),
  ...filesUnder(path.join(ROOT, 'catalog')),
];

function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g))
    specifiers.push(m[1] as string);
  for (const m of source.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) specifiers.push(m[1] as string);
  for (const m of source.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g))
    specifiers.push(m[1] as string);
  return specifiers;
}

describe('k6 code uses only what k6 provides', () => {
  it('holds k6 code only: the test-only adapter lives in its own package', () => {
    expect(readdirSync(ROOT)).not.toContain('adapter');
    for (const file of K6_CODE) expect(readFileSync(file, 'utf8')).not.toMatch(/k6-adapter/);
  });

  it('finds the scripts, lib and catalog files', () => {
    for (const id of SCENARIO_IDS) expect(K6_CODE).toContain(path.join(ROOT, SCENARIOS[id].script));
    expect(K6_CODE.filter((f) => f.includes(`${path.sep}lib${path.sep}`)).length).toBeGreaterThan(10);
  });

  for (const file of K6_CODE) {
    it(`${path.relative(ROOT, file)} imports only k6, k6/* and relative .ts files`, () => {
      const source = readFileSync(file, 'utf8');
      const inCatalog = file.includes(`${path.sep}catalog${path.sep}`);
      for (const specifier of importsOf(source)) {
        const ok =
          specifier.startsWith('./') ||
          specifier.startsWith('../') ||
          (!inCatalog && (specifier === 'k6' || specifier.startsWith('k6/')));
        expect(ok, `${specifier} in ${path.relative(ROOT, file)}`).toBe(true);
        if (specifier.startsWith('.')) {
          expect(specifier).toMatch(/\.ts$/);
          // Only files k6 (and the kubernetes ConfigMap) ships: never the test-only adapter or tests.
          const resolved = path.resolve(path.dirname(file), specifier);
          expect(K6_CODE, `${specifier} in ${path.relative(ROOT, file)} leaves the shipped files`).toContain(
            resolved,
          );
        }
      }
      // Globals k6 lacks (docs/design.md), used as values.
      const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code).not.toMatch(
        /\bnew URL\(|\bURLSearchParams\b|\bfetch\(|\bBuffer\.|\bprocess\.|\batob\(|\bbtoa\(|\bstructuredClone\(|\bperformance\.now|\bnew TextEncoder|\bnew TextDecoder/,
      );
    });
  }
});

describe('scripts', () => {
  for (const id of SCENARIO_IDS) {
    const source = readFileSync(path.join(ROOT, SCENARIOS[id].script), 'utf8');
    it(`${id}.ts takes its options from the catalog, without run-wide tags or the url system tag`, () => {
      // Whitespace-insensitive, so the formatter may wrap the call.
      expect(source.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/,? \)/g, ')')).toContain(
        `...k6Options('${id}', __ENV.PROFILE, loadOverridesFromEnv(__ENV), workloadsFromEnv('${id}'))`,
      );
      expect(source).toContain('systemTags: [...SYSTEM_TAGS]');
      expect(source).not.toMatch(/\btags\s*:/);
      expect(source).toMatch(/export function handleSummary/);
    });
    it(`${id}.ts exports one function per catalog workload`, () => {
      for (const workload of SCENARIOS[id].workloads)
        expect(source).toMatch(new RegExp(`\\b${WORKLOADS[workload].exec}\\b`));
    });
  }
  it('leaves the url system tag out (it carries state, and a new series per URL)', () => {
    expect(SYSTEM_TAGS).not.toContain('url');
    expect(SYSTEM_TAGS).toContain('name');
  });
});

describe('url helpers (k6 has no URL / URLSearchParams)', () => {
  it('parses absolute URLs and drops default ports', () => {
    expect(parseUrl('HTTPS://Example.COM:443/a/b?x=1#f')).toEqual({
      protocol: 'https:',
      host: 'example.com',
      origin: 'https://example.com',
      pathname: '/a/b',
      query: 'x=1',
      fragment: 'f',
    });
    expect(parseUrl('http://127.0.0.1:8080')?.pathname).toBe('/');
    expect(parseUrl('/relative')).toBeUndefined();
  });
  it('resolves Location headers of every form', () => {
    const base = 'http://h:1/a/b?q=1';
    expect(resolveUrl(base, 'http://o/x')).toBe('http://o/x');
    expect(resolveUrl(base, '//o/x')).toBe('http://o/x');
    expect(resolveUrl(base, '/x?y=1')).toBe('http://h:1/x?y=1');
    expect(resolveUrl(base, 'c')).toBe('http://h:1/a/c');
    expect(resolveUrl(base, '?z=2')).toBe('http://h:1/a/b?z=2');
  });
  it('encodes and decodes forms like URLSearchParams does', () => {
    const params = { a: 'x y', b: 'é&=+', c: undefined, scope: 'mcp:tools mcp:admin' };
    const encoded = encodeForm(params);
    expect(Object.fromEntries(new URLSearchParams(encoded))).toEqual({
      a: 'x y',
      b: 'é&=+',
      scope: 'mcp:tools mcp:admin',
    });
    expect(parseQuery(new URLSearchParams({ code: 'a+b/c=', state: 's p' }).toString())).toEqual({
      code: 'a+b/c=',
      state: 's p',
    });
    expect(appendQuery('http://h/p?x=1', { y: '2' })).toBe('http://h/p?x=1&y=2');
  });
  it('checks that a PRM resource covers the MCP URL', () => {
    expect(resourceCovers('http://h:1/mcp', 'http://h:1/mcp')).toBe(true);
    expect(resourceCovers('http://h:1/', 'http://h:1/mcp')).toBe(true);
    expect(resourceCovers('http://h:1/mcp', 'http://h:1/mcpx')).toBe(false);
    expect(resourceCovers('https://elsewhere/mcp', 'http://h:1/mcp')).toBe(false);
  });
  it('derives WebSocket URLs', () => {
    expect(toWebSocketUrl('https://h/mcp')).toBe('wss://h/mcp');
  });
});

describe('discovery URL order', () => {
  it('tries the path-aware PRM URI, then the root', () => {
    expect(prmCandidates('http://h:1/mcp').map((c) => c.url)).toEqual([
      'http://h:1/.well-known/oauth-protected-resource/mcp',
      'http://h:1/.well-known/oauth-protected-resource',
    ]);
  });
  it('follows the MCP spec order for issuers with and without a path', () => {
    expect(asMetadataCandidates('https://as/tenant1').map((c) => c.url)).toEqual([
      'https://as/.well-known/oauth-authorization-server/tenant1',
      'https://as/.well-known/openid-configuration/tenant1',
      'https://as/tenant1/.well-known/openid-configuration',
    ]);
    expect(asMetadataCandidates('https://as').map((c) => c.url)).toEqual([
      'https://as/.well-known/oauth-authorization-server',
      'https://as/.well-known/openid-configuration',
    ]);
  });
});

describe('WWW-Authenticate parsing', () => {
  it('reads resource_metadata, scope and error from a Bearer challenge among others', () => {
    const header =
      'Basic realm="x", Bearer realm="mcp", error="insufficient_scope", scope="mcp:tools mcp:admin", resource_metadata="https://h/.well-known/oauth-protected-resource/mcp"';
    expect(parseBearerChallenge(header)).toMatchObject({
      realm: 'mcp',
      error: 'insufficient_scope',
      scope: 'mcp:tools mcp:admin',
      resourceMetadata: 'https://h/.well-known/oauth-protected-resource/mcp',
    });
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseBearerChallenge('Bearer')?.params).toEqual({});
  });
});

describe('MCP answers: JSON or a buffered SSE stream', () => {
  it('parses SSE events with multi-line data, comments and CRLF', () => {
    const body =
      ': keep-alive\r\nevent: endpoint\r\ndata: /messages?sessionId=1\r\n\r\nid: 7\ndata: {"a":\ndata: 1}\n\n';
    expect(parseSse(body)).toEqual([
      { event: 'endpoint', data: '/messages?sessionId=1', id: undefined },
      { event: 'message', data: '{"a":\n1}', id: '7' },
    ]);
  });
  it('extracts JSON-RPC messages from either content type', () => {
    const message = { jsonrpc: '2.0', id: 1, result: {} };
    expect(messagesFromBody('application/json', JSON.stringify(message))).toEqual([message]);
    expect(
      messagesFromBody('text/event-stream', `event: message\ndata: ${JSON.stringify(message)}\n\n`),
    ).toEqual([message]);
    expect(messagesFromBody('application/json', 'not json')).toBeUndefined();
  });
  it('canonicalizes tools/list so key order does not change the hash input', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
  });
});

describe('login and consent forms', () => {
  it('reads action, method and fields, decoding entities', () => {
    const html = `<html><form method="POST" action="/interaction/abc?x=1&amp;y=2">
      <input type="hidden" name="uid" value="abc"><input name="username"><input name='password' type=password>
      <button type="submit" name="submit" value="login">Sign in</button></form></html>`;
    const [form] = parseForms(html);
    expect(form).toMatchObject({ action: '/interaction/abc?x=1&y=2', method: 'post' });
    expect(form?.fields.map((f) => f.name)).toEqual(['uid', 'username', 'password', 'submit']);
    expect(isLoginForm(form!, 'password')).toBe(true);
    expect(
      isLoginForm(
        parseForms('<form method="post"><input type="hidden" name="prompt" value="consent"></form>')[0]!,
        'password',
      ),
    ).toBe(false);
  });
});
