/**
 * RFC 7523 client assertions (`private_key_jwt`) signed with k6's WebCrypto (`crypto.subtle`).
 * Written by hand because k6 cannot load npm packages such as jose; only the signing side is
 * needed, and WebCrypto's ECDSA output is already the JWS (r||s) form.
 */
import { b64decode, b64encode } from 'k6/encoding';
import type { ClientKeyAlg } from '../catalog/protocol.ts';
import { randomToken } from './pkce.ts';
import { asciiBytes, webCrypto } from './webcrypto.ts';

interface AlgorithmSpec {
  importParams: object;
  signParams: object;
}

// Keyed by the catalog's CLIENT_KEY_ALGS: the runner refuses a key for any other algorithm.
const ALGORITHMS: Record<ClientKeyAlg, AlgorithmSpec> = {
  ES256: {
    importParams: { name: 'ECDSA', namedCurve: 'P-256' },
    signParams: { name: 'ECDSA', hash: 'SHA-256' },
  },
  ES384: {
    importParams: { name: 'ECDSA', namedCurve: 'P-384' },
    signParams: { name: 'ECDSA', hash: 'SHA-384' },
  },
  RS256: {
    importParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    signParams: { name: 'RSASSA-PKCS1-v1_5' },
  },
  PS256: {
    importParams: { name: 'RSA-PSS', hash: 'SHA-256' },
    signParams: { name: 'RSA-PSS', saltLength: 32 },
  },
};

export const SUPPORTED_KEY_ALGS = Object.keys(ALGORITHMS);

/** PKCS#8 PEM → DER bytes. */
export function pemToDer(pem: string): Uint8Array {
  const base64 = pem
    .replace(/-----BEGIN [A-Z ]+-----/, '')
    .replace(/-----END [A-Z ]+-----/, '')
    .replace(/\\n/g, '')
    .replace(/\s+/g, '');
  if (base64 === '') throw new Error('CLIENT_PRIVATE_KEY is not a PEM document');
  return new Uint8Array(b64decode(base64, 'std'));
}

function base64UrlJson(value: unknown): string {
  return b64encode(JSON.stringify(value), 'rawurl');
}

export interface AssertionInput {
  clientId: string;
  /** The authorization server's issuer identifier (RFC 7523bis recommends it as the audience). */
  audience: string;
  pem: string;
  alg: string;
  lifetimeSeconds?: number;
}

export async function signClientAssertion(input: AssertionInput): Promise<string> {
  const spec = (ALGORITHMS as Record<string, AlgorithmSpec | undefined>)[input.alg];
  if (!spec) throw new Error(`CLIENT_KEY_ALG must be one of ${SUPPORTED_KEY_ALGS.join(', ')}`);
  const now = Math.floor(Date.now() / 1000);
  const header = base64UrlJson({ alg: input.alg, typ: 'JWT' });
  const payload = base64UrlJson({
    iss: input.clientId,
    sub: input.clientId,
    aud: input.audience,
    jti: randomToken(16),
    iat: now,
    exp: now + (input.lifetimeSeconds ?? 60),
  });
  const subtle = webCrypto().subtle;
  const key = await subtle.importKey('pkcs8', pemToDer(input.pem), spec.importParams, false, ['sign']);
  const signature = await subtle.sign(spec.signParams, key, asciiBytes(`${header}.${payload}`));
  return `${header}.${payload}.${b64encode(signature, 'rawurl')}`;
}

/** The claims of a JWT access token, or undefined for an opaque token (never verified: display only). */
export function decodeJwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const json = b64decode(parts[1], 'rawurl', 's');
    const claims: unknown = JSON.parse(json);
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a JWT access token names the resource as (one of) its audience(s); undefined when opaque. */
export function audienceIncludes(token: string, resource: string): boolean | undefined {
  const claims = decodeJwtClaims(token);
  if (!claims) return undefined;
  const aud = claims.aud;
  const list = Array.isArray(aud) ? aud : [aud];
  const trim = (v: unknown) => (typeof v === 'string' ? v.replace(/\/+$/, '') : v);
  return list.map(trim).includes(trim(resource));
}
