/**
 * The scenario environment (docs/design.md): the variables every script reads (`k6 run -e NAME=value`).
 * The runner, the CLI (and the planned Grafana app) build run requests from this list; `secret` ones travel through
 * `k6/secrets` or the environment and never into a tag, a log line or a stored run record.
 */
export interface EnvVar {
  name: string;
  description: string;
  default?: string;
  required?: boolean;
  secret?: boolean;
}

export const SCENARIO_ENV: readonly EnvVar[] = [
  { name: 'MCP_URL', description: 'the MCP endpoint (the protected resource)', required: true },
  { name: 'PROFILE', description: 'smoke, load, stress or soak', default: 'smoke' },
  {
    name: 'CLIENT_ID',
    description: 'a pre-registered client id; without it the script registers dynamically',
  },
  {
    name: 'CLIENT_SECRET',
    description: 'the pre-registered client secret (confidential clients)',
    secret: true,
  },
  {
    name: 'CLIENT_METADATA_URL',
    description: 'https URL of this client’s metadata document, used as client_id when the AS supports it',
  },
  {
    name: 'REDIRECT_URI',
    description: 'loopback redirect URI to register and use',
    default: 'http://127.0.0.1:8976/callback',
  },
  {
    name: 'SCOPE',
    description: 'scopes to ask for',
    default: 'from WWW-Authenticate, else PRM scopes_supported',
  },
  { name: 'LOGIN_USER', description: 'username for a login form, when the server shows one' },
  { name: 'LOGIN_PASSWORD', description: 'password for a login form', secret: true },
  { name: 'PROBE_TOOL', description: 'the tool the probe and tool scenarios call', default: 'health' },
  { name: 'PROBE_TOOL_ARGS', description: 'JSON arguments for PROBE_TOOL', default: '{}' },
  {
    name: 'GRANT',
    description: 'authorization_code (a user’s walk) or client_credentials (a machine probe)',
    default: 'authorization_code',
  },
  {
    name: 'TOKEN_AUTH',
    description: 'none, client_secret_basic, client_secret_post or private_key_jwt',
    default: 'from AS metadata and the client',
  },
  { name: 'CLIENT_PRIVATE_KEY', description: 'PKCS#8 PEM for private_key_jwt (RFC 7523)', secret: true },
  { name: 'CLIENT_KEY_ALG', description: 'JWS algorithm for private_key_jwt', default: 'ES256' },
  // Appended by the scenarios (lib/config.ts): optional knobs for servers that differ.
  { name: 'LOGIN_USER_FIELD', description: 'username field name of the login form', default: 'username' },
  { name: 'LOGIN_PASSWORD_FIELD', description: 'password field name of the login form', default: 'password' },
  {
    name: 'WS_URL',
    description: 'WebSocket endpoint, when the server offers one',
    default: '<MCP_URL>/ws as ws(s)://',
  },
  { name: 'SSE_URL', description: 'legacy HTTP+SSE endpoint', default: '<origin>/sse' },
  {
    name: 'STRICT',
    description:
      'probe: findings of this severity or worse fail the walk (true = high; or info, low, medium, high); by default findings never fail it',
    default: 'false',
  },
  {
    name: 'ALLOWED_HOSTS',
    description:
      'comma-separated hosts the script may send requests to (exact, *.example.com or *); a URL a server points to elsewhere fails its step with host_not_allowed before any request is sent',
    default: '* (any host; the runner passes its VIGIL_ALLOWED_HOSTS)',
  },
  {
    name: 'STREAM_HOLD_SECONDS',
    description: 'how long a streaming iteration holds its connections',
    default: '2 (smoke), 30 (other profiles)',
  },
];

export const SECRET_ENV_NAMES: readonly string[] = SCENARIO_ENV.filter((v) => v.secret).map((v) => v.name);
