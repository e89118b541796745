/** Well-known discovery URLs in the order the specs give (RFC 9728, RFC 8414, OpenID, MCP). */
import { joinPath, parseUrl } from './url.ts';

/** RFC 9728 §3.1: the path-aware well-known URI first (when the resource has a path), then the root. */
export function prmCandidates(mcpUrl: string): Array<{ url: string; name: string }> {
  const parsed = parseUrl(mcpUrl);
  if (!parsed) return [];
  const rootName = 'GET /.well-known/oauth-protected-resource';
  const root = { url: joinPath(parsed.origin, '/.well-known/oauth-protected-resource'), name: rootName };
  const path = parsed.pathname.replace(/\/+$/, '');
  return path === '' ? [root] : [{ url: `${root.url}${path}`, name: `${rootName}/{path}` }, root];
}

/**
 * Authorization server metadata URLs in the MCP spec's order: for an issuer with a path,
 * RFC 8414 path-inserted, OpenID path-inserted, OpenID path-appended; without one, RFC 8414 then OpenID.
 */
export function asMetadataCandidates(issuer: string): Array<{ url: string; source: 'rfc8414' | 'openid' }> {
  const parsed = parseUrl(issuer);
  if (!parsed) return [];
  const path = parsed.pathname.replace(/\/+$/, '');
  const oauth = joinPath(parsed.origin, '/.well-known/oauth-authorization-server');
  const openid = joinPath(parsed.origin, '/.well-known/openid-configuration');
  if (path === '')
    return [
      { url: oauth, source: 'rfc8414' },
      { url: openid, source: 'openid' },
    ];
  return [
    { url: `${oauth}${path}`, source: 'rfc8414' },
    { url: `${openid}${path}`, source: 'openid' },
    { url: `${parsed.origin}${path}/.well-known/openid-configuration`, source: 'openid' },
  ];
}
