/**
 * Client registration in the MCP spec's order of preference: a pre-registered client
 * (CLIENT_ID[/CLIENT_SECRET]), a Client ID Metadata Document (CLIENT_METADATA_URL, when the AS
 * advertises `client_id_metadata_document_supported`), else Dynamic Client Registration (RFC 7591).
 */
import type { Step } from '../catalog/index.ts';
import type { Config, TokenAuth } from './config.ts';
import type { Discovery } from './discovery.ts';
import { describeResponse, fail, reasonForResponse, safeJson } from './failures.ts';
import { COMPLIANCE, type Compliance } from './compliance.ts';
import { JSON_TYPE, send } from './http.ts';

const STEP: Step = 'registration';

export interface Client {
  clientId: string;
  clientSecret?: string;
  auth: TokenAuth;
  kind: 'pre_registered' | 'metadata_document' | 'dynamic';
}

/** A secret-bearing client authenticates the way the AS lists first among basic/post. */
export function secretAuthMethod(supported: readonly string[] | undefined): TokenAuth {
  if (!supported || supported.includes('client_secret_basic')) return 'client_secret_basic';
  if (supported.includes('client_secret_post')) return 'client_secret_post';
  return 'client_secret_basic';
}

function authFor(config: Config, secret: string | undefined, discovery: Discovery): TokenAuth {
  if (config.tokenAuth) return config.tokenAuth;
  if (config.clientPrivateKey) return 'private_key_jwt';
  return secret ? secretAuthMethod(discovery.as.token_endpoint_auth_methods_supported) : 'none';
}

function checkAuthUsable(client: Client, config: Config): Client {
  if ((client.auth === 'client_secret_basic' || client.auth === 'client_secret_post') && !client.clientSecret)
    fail(STEP, 'invalid_client', `TOKEN_AUTH ${client.auth} needs CLIENT_SECRET`);
  if (client.auth === 'private_key_jwt' && !config.clientPrivateKey)
    fail(STEP, 'invalid_client', 'TOKEN_AUTH private_key_jwt needs CLIENT_PRIVATE_KEY');
  return client;
}

function dynamicRegistration(config: Config, discovery: Discovery, compliance?: Compliance): Client {
  const endpoint = discovery.as.registration_endpoint;
  if (!endpoint)
    fail(
      STEP,
      'registration_refused',
      'no CLIENT_ID, no usable client metadata document and no registration_endpoint',
    );
  const machine = config.grant === 'client_credentials';
  const auth: TokenAuth = config.tokenAuth ?? (machine ? 'client_secret_basic' : 'none');
  const metadata = {
    client_name: 'Vigil k6 probe',
    redirect_uris: machine ? [] : [config.redirectUri],
    grant_types: machine ? ['client_credentials'] : ['authorization_code', 'refresh_token'],
    response_types: machine ? [] : ['code'],
    token_endpoint_auth_method: auth,
    scope: discovery.scope,
  };
  const res = send('POST', endpoint, JSON.stringify(metadata), {
    name: 'POST {registration_endpoint}',
    step: STEP,
    headers: { ...JSON_TYPE, Accept: 'application/json' },
  });
  if (res.status === 0) fail(STEP, reasonForResponse(res), describeResponse(res));
  if (res.status >= 500) fail(STEP, 'server_error', `dynamic registration: ${describeResponse(res)}`);
  if (res.status !== 201 && res.status !== 200)
    fail(STEP, 'registration_refused', `dynamic registration: ${describeResponse(res)}`);
  const body = safeJson(res) as
    { client_id?: unknown; client_secret?: unknown; token_endpoint_auth_method?: unknown } | undefined;
  if (typeof body?.client_id !== 'string')
    fail(STEP, 'invalid_metadata', 'registration response has no client_id');
  const clientSecret = typeof body.client_secret === 'string' ? body.client_secret : undefined;
  return {
    clientId: body.client_id,
    clientSecret,
    auth: registeredAuth(auth, body.token_endpoint_auth_method, clientSecret, discovery, compliance),
    kind: 'dynamic',
  };
}

const TOKEN_AUTHS: readonly TokenAuth[] = [
  'none',
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
];

/**
 * The method the client must use is the one the registration answer says (RFC 7591 §3.2.1): an
 * AS may register a confidential client whatever was asked. Without one, a secret means a secret
 * method from the AS metadata; else what was asked for.
 */
function registeredAuth(
  requested: TokenAuth,
  answered: unknown,
  secret: string | undefined,
  discovery: Discovery,
  compliance?: Compliance,
): TokenAuth {
  const supported = discovery.as.token_endpoint_auth_methods_supported;
  if (typeof answered === 'string' && (TOKEN_AUTHS as readonly string[]).includes(answered)) {
    if (supported)
      compliance?.record(COMPLIANCE.registrationAuthAdvertised, supported.includes(answered), {
        field: 'token_endpoint_auth_method',
        registered: answered,
      });
    return answered as TokenAuth;
  }
  if (secret && requested === 'none') return secretAuthMethod(supported);
  return requested;
}

export function register(config: Config, discovery: Discovery, compliance?: Compliance): Client {
  if (config.clientId) {
    const client: Client = {
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      auth: authFor(config, config.clientSecret, discovery),
      kind: 'pre_registered',
    };
    return checkAuthUsable(client, config);
  }
  if (config.clientMetadataUrl && discovery.as.client_id_metadata_document_supported === true) {
    const auth: TokenAuth = config.tokenAuth ?? (config.clientPrivateKey ? 'private_key_jwt' : 'none');
    return checkAuthUsable({ clientId: config.clientMetadataUrl, auth, kind: 'metadata_document' }, config);
  }
  return dynamicRegistration(config, discovery, compliance);
}
