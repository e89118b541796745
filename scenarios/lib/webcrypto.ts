/**
 * Typed access to k6's global WebCrypto (`crypto.getRandomValues`, `crypto.subtle`, k6 >= 1.0).
 * @types/k6 does not declare the global, and declaring it here would clash with Node's types in
 * the tests, so it is read through globalThis with the few members the scripts use.
 */

export interface SubtleLike {
  importKey(
    format: 'pkcs8',
    keyData: Uint8Array,
    algorithm: object,
    extractable: boolean,
    usages: string[],
  ): Promise<unknown>;
  sign(algorithm: object, key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
}

export interface WebCryptoLike {
  getRandomValues<T extends Uint8Array>(array: T): T;
  subtle: SubtleLike;
}

export function webCrypto(): WebCryptoLike {
  const candidate = (globalThis as unknown as { crypto?: WebCryptoLike }).crypto;
  if (!candidate || typeof candidate.getRandomValues !== 'function') {
    throw new Error('global crypto (WebCrypto) is not available: k6 >= 1.0 is required');
  }
  return candidate;
}

/**
 * ASCII/latin-1 string to bytes: TextEncoder is absent in k6 1.x, and JWS signing input is ASCII.
 * WebCrypto gets typed arrays (accepted everywhere a BufferSource is) rather than bare ArrayBuffers.
 */
export function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}
