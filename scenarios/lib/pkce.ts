/** PKCE S256 (RFC 7636) and random values with k6's own crypto. */
import { sha256 } from 'k6/crypto';
import { b64encode } from 'k6/encoding';
import { webCrypto } from './webcrypto.ts';

/** `bytes` random bytes as base64url without padding (32 bytes → 43 characters). */
export function randomToken(bytes = 32): string {
  const buffer = webCrypto().getRandomValues(new Uint8Array(bytes));
  return b64encode(buffer.buffer as ArrayBuffer, 'rawurl');
}

export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

/** A fresh verifier (43–128 unreserved characters) and its S256 challenge. */
export function createPkce(): Pkce {
  const verifier = randomToken(32);
  return { verifier, challenge: sha256(verifier, 'base64rawurl'), method: 'S256' };
}
