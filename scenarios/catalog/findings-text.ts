/**
 * What people read about each finding: a title, the spec it comes from, and how to fix it. Node
 * consumers only (the runner's API, the CLI's reports and SARIF, the planned app): the k6 scripts
 * import findings.ts, which has no text, so this is never built once per VU.
 */
import type { FindingCode } from './findings.ts';

export interface FindingText {
  title: string;
  spec: { name: string; url: string };
  fix: string;
}

const MCP_AUTH = 'https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization';
const MCP_TRANSPORTS = 'https://modelcontextprotocol.io/specification/2025-06-18/basic/transports';

export const FINDING_TEXT: Record<FindingCode, FindingText> = {
  NO_401_ON_UNAUTHENTICATED: {
    title: 'The MCP endpoint answers without a token',
    spec: { name: 'MCP authorization, "Authorization Flow Steps"', url: MCP_AUTH },
    fix: 'A protected MCP server should answer an unauthenticated request with 401 and a WWW-Authenticate challenge, so clients learn at the first request that they must authorize. If some methods are public on purpose, make sure the ones that need a token answer 401 (or 403 insufficient_scope with the scope) rather than an error result.',
  },
  WWW_AUTHENTICATE_MISSING: {
    title: '401 without a Bearer challenge',
    spec: {
      name: 'RFC 6750 §3, The WWW-Authenticate Response Header Field',
      url: 'https://www.rfc-editor.org/rfc/rfc6750#section-3',
    },
    fix: 'Send `WWW-Authenticate: Bearer resource_metadata="<PRM URL>"` (plus `scope` and `error` where they apply) with every 401, so clients can discover where to authorize.',
  },
  WWW_AUTHENTICATE_NO_RESOURCE_METADATA: {
    title: 'The 401 challenge does not name the resource metadata',
    spec: {
      name: 'RFC 9728 §5.1, WWW-Authenticate Response',
      url: 'https://www.rfc-editor.org/rfc/rfc9728#section-5.1',
    },
    fix: 'Clients found the Protected Resource Metadata at its well-known URL, which the spec allows. Adding `resource_metadata="<PRM URL>"` to the 401 challenge saves them the well-known lookups and works when the metadata lives elsewhere.',
  },
  PRM_MISSING: {
    title: 'No Protected Resource Metadata',
    spec: {
      name: 'RFC 9728, OAuth 2.0 Protected Resource Metadata',
      url: 'https://www.rfc-editor.org/rfc/rfc9728',
    },
    fix: 'Serve a Protected Resource Metadata document (at /.well-known/oauth-protected-resource<path> and named in the 401 challenge) listing `resource` and `authorization_servers`. Without it only clients of the 2025-03-26 revision, which look for AS metadata at the MCP origin, can authorize.',
  },
  PRM_RESOURCE_MISMATCH: {
    title: 'The protected resource metadata describes another resource',
    spec: {
      name: 'RFC 9728 §3.3, Protected Resource Metadata Validation',
      url: 'https://www.rfc-editor.org/rfc/rfc9728#section-3.3',
    },
    fix: 'Set the PRM `resource` to the URL clients use for the MCP endpoint (or a prefix of it). Clients must stop when it does not match, so no client can authorize against this server until it does.',
  },
  AS_ISSUER_MISMATCH: {
    title: "The authorization server metadata's issuer is not the authorization server",
    spec: {
      name: 'RFC 8414 §3.3, Authorization Server Metadata Validation',
      url: 'https://www.rfc-editor.org/rfc/rfc8414#section-3.3',
    },
    fix: "Make the metadata's `issuer` exactly the authorization server identifier listed in the PRM `authorization_servers` (including any path, e.g. https://host/tenant1). RFC 8414 requires clients to reject a mismatch; the common MCP clients do not check it today, which is why the walk goes on, but stricter clients will refuse this server.",
  },
  AS_METADATA_MISSING: {
    title: 'No authorization server metadata',
    spec: {
      name: 'RFC 8414, OAuth 2.0 Authorization Server Metadata',
      url: 'https://www.rfc-editor.org/rfc/rfc8414',
    },
    fix: 'Serve RFC 8414 metadata (or OpenID discovery) for the authorization server. Clients then fall back to /authorize, /token and /register on the MCP origin, which only the 2025-03-26 revision defines.',
  },
  PKCE_S256_NOT_ADVERTISED: {
    title: 'The authorization server does not advertise PKCE S256',
    spec: { name: 'MCP authorization, "Authorization Code Protection"', url: MCP_AUTH },
    fix: 'List `S256` in `code_challenge_methods_supported`. MCP clients must refuse to authorize against a server that does not, so no client can get a token here.',
  },
  REGISTRATION_AUTH_METHOD_UNADVERTISED: {
    title: 'Registration gave an auth method the metadata does not list',
    spec: {
      name: 'RFC 7591 §2 and RFC 8414 §2 (token_endpoint_auth_methods_supported)',
      url: 'https://www.rfc-editor.org/rfc/rfc7591#section-2',
    },
    fix: "List the token endpoint auth method the registration endpoint assigns in the AS metadata's `token_endpoint_auth_methods_supported`, so clients that choose a method from the metadata use the same one.",
  },
  TOKEN_AUDIENCE_WRONG: {
    title: 'The access token is not for this resource',
    spec: { name: 'RFC 8707, Resource Indicators', url: 'https://www.rfc-editor.org/rfc/rfc8707' },
    fix: 'Issue access tokens whose `aud` is the `resource` the client asked for (the MCP URL), and have the MCP server reject tokens meant for another audience.',
  },
  INSUFFICIENT_SCOPE_WITHOUT_SCOPE: {
    title: '403 insufficient_scope without the scope to ask for',
    spec: { name: 'RFC 6750 §3.1, Error Codes', url: 'https://www.rfc-editor.org/rfc/rfc6750#section-3.1' },
    fix: 'Add `scope="<scopes the call needs>"` to the `WWW-Authenticate: Bearer error="insufficient_scope"` challenge, so clients can step up to the right scopes instead of guessing.',
  },
  REFRESH_NOT_ROTATED: {
    title: 'Refresh tokens of a public client do not rotate',
    spec: {
      name: 'OAuth 2.1 §4.3.1, Refresh Token Protection',
      url: 'https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1#section-4.3.1',
    },
    fix: 'Issue a new refresh token with every refresh for public clients (and invalidate the old one), or bind refresh tokens to the client (sender-constrained). A leaked refresh token otherwise stays usable until it expires.',
  },
  OLD_REFRESH_ACCEPTED: {
    title: 'A rotated-away refresh token is still accepted',
    spec: {
      name: 'OAuth 2.1 §4.3.1, Refresh Token Protection',
      url: 'https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1#section-4.3.1',
    },
    fix: 'Refuse a refresh token once it has been rotated (`invalid_grant`), and preferably revoke the whole grant when one is reused: that is how reuse of a stolen token is detected.',
  },
  STREAM_GET_NOT_405: {
    title: 'GET on the MCP endpoint answers 404',
    spec: { name: 'MCP transports, "Listening for Messages from the Server"', url: MCP_TRANSPORTS },
    fix: 'Answer a GET on the MCP endpoint with an SSE stream, or with 405 Method Not Allowed when the server offers none. A 404 reads as "wrong URL" to clients and proxies.',
  },
};
