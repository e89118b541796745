import type { KeyValueStore } from './store.ts';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const DOCUMENT_TTL_SECONDS = 300;
const MAX_DOCUMENT_BYTES = 5 * 1024;

/**
 * Client ID Metadata Documents for `http://` client ids on loopback, so tests and local demos can
 * host the document without TLS. oidc-provider resolves `https://` client ids itself (its
 * clientIdMetadataDocument feature) and by design refuses http and loopback addresses; for those
 * this fetches and checks the document and stores it as a client record oidc-provider then finds
 * through its adapter. Returns an error description, or undefined when the client id is usable.
 */
export async function resolveLoopbackClientDocument(
  clientId: string | null,
  store: KeyValueStore,
): Promise<string | undefined> {
  const url = clientId ? URL.parse(clientId) : null;
  if (!url || url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  const recordKey = `oidc:Client:${clientId}`;
  if (await store.get(recordKey)) return undefined;
  let document: Record<string, unknown>;
  try {
    const response = await fetch(url, {
      redirect: 'error',
      signal: AbortSignal.timeout(3_000),
      headers: { accept: 'application/json' },
    });
    const text = await response.text();
    if (!response.ok) return `client_id: metadata document answered ${response.status}`;
    if (text.length > MAX_DOCUMENT_BYTES) return 'client_id: metadata document is larger than 5 KiB';
    document = JSON.parse(text);
  } catch (error) {
    return `client_id: metadata document could not be fetched or parsed (${(error as Error).name})`;
  }
  if (document.client_id !== clientId) return "client_id: the document's client_id must equal its URL";
  const redirectUris = document.redirect_uris;
  if (
    !Array.isArray(redirectUris) ||
    redirectUris.length === 0 ||
    !redirectUris.every((uri) => typeof uri === 'string')
  ) {
    return 'redirect_uris: the metadata document must list at least one';
  }
  const method = document.token_endpoint_auth_method ?? 'none';
  if (method !== 'none')
    return 'token_endpoint_auth_method: a metadata-document client must be public ("none")';
  const grantTypes = Array.isArray(document.grant_types)
    ? document.grant_types
    : ['authorization_code', 'refresh_token'];
  const record = {
    client_id: clientId,
    client_name: typeof document.client_name === 'string' ? document.client_name : undefined,
    redirect_uris: redirectUris,
    grant_types: grantTypes,
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    id_token_signed_response_alg: 'ES256',
  };
  await store.set(recordKey, JSON.stringify(record), DOCUMENT_TTL_SECONDS);
  return undefined;
}
