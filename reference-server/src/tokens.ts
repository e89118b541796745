import { randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type JWK,
} from 'jose';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';

const VERIFIED_CACHE_SIZE = 10_000;

export interface SigningKeys {
  alg: 'ES256';
  privateJwk: JWK;
  publicJwk: JWK;
}

/** A fresh signing key per process: tokens do not outlive the server that issued them. */
export async function createSigningKeys(): Promise<SigningKeys> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const common = { kid, alg: 'ES256', use: 'sig' };
  return {
    alg: 'ES256',
    privateJwk: { ...(await exportJWK(privateKey)), ...common },
    publicJwk: { ...(await exportJWK(publicKey)), ...common },
  };
}

/**
 * Verifies the AS's JWT access tokens locally (issuer, audience, expiry, signature) — no
 * introspection round trip per MCP request. `audiences` are the accepted `aud` values: the MCP
 * resource, plus with `tokenAudience: 'other'` the other audience the AS then writes into its
 * tokens (accessTokenAudience), so that a client still gets through that deviating server.
 * `resource` (the MCP URL) is what the AuthInfo reports either way.
 */
export function createTokenVerifier(
  keys: SigningKeys,
  issuer: string,
  resource: string,
  audiences: string[] = [resource],
): OAuthTokenVerifier {
  const jwks = createLocalJWKSet({ keys: [keys.publicJwk] });
  // Verified tokens are remembered until they expire: a signature check per MCP request is the
  // largest CPU cost of session validation. Bounded; the oldest entries go first.
  const verified = new Map<string, AuthInfo>();
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const cached = verified.get(token);
      if (cached && (cached.expiresAt ?? 0) > Date.now() / 1000) return cached;
      if (cached) verified.delete(token);
      const info = await verify(token);
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
      verified.set(token, info);
      return info;
    },
  };

  async function verify(token: string): Promise<AuthInfo> {
    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer,
        audience: audiences,
        algorithms: [keys.alg],
      });
      return {
        token,
        clientId: String(payload.client_id ?? ''),
        scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
        expiresAt: payload.exp,
        resource: new URL(resource),
        extra: { sub: payload.sub },
      };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError('Token has expired');
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud') {
        throw new InvalidTokenError('Token was not issued for this resource');
      }
      throw new InvalidTokenError('Token is invalid');
    }
  }
}
