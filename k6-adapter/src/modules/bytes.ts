/**
 * Conversions between what a script passes (string, ArrayBuffer, TypedArray, DataView) and bytes.
 * The script's values come from its own vm realm: `instanceof ArrayBuffer` fails on them in Node
 * (node:crypto's WebCrypto refuses them), so buffers are recognised by their internal tag and
 * copied into host-realm Uint8Arrays before any Node API sees them.
 */
import { Buffer } from 'node:buffer';

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

/** A host-realm copy of an ArrayBuffer, TypedArray or DataView of any realm; undefined for anything else. */
export function hostBytes(value: unknown): Uint8Array | undefined {
  if (isArrayBuffer(value)) return new Uint8Array(new Uint8Array(value));
  if (ArrayBuffer.isView(value))
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
  return undefined;
}

/** Strings are UTF-8 encoded, as k6 does. */
export function toBytes(input: unknown, field: string): Buffer {
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  const bytes = hostBytes(input);
  if (bytes) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new TypeError(
    `${field}: expected a string, an ArrayBuffer, a TypedArray or a DataView, got ${Object.prototype.toString.call(input)}`,
  );
}

export function isBinary(value: unknown): boolean {
  return isArrayBuffer(value) || ArrayBuffer.isView(value);
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

/** How deep algorithm dictionaries nest buffers (`{ name, iv }`, `{ name, hash: { name } }`, JWK `oth`). */
const MAX_ARGUMENT_DEPTH = 4;

/**
 * A WebCrypto argument with every buffer (top level, or inside plain objects and arrays such as
 * an algorithm's `iv`, `salt`, `info`, `publicExponent`) replaced by a host-realm copy. Other
 * objects — CryptoKeys above all — pass through untouched.
 */
export function toHostBufferSources(value: unknown, depth = 0): unknown {
  const bytes = hostBytes(value);
  if (bytes) return bytes;
  if (depth >= MAX_ARGUMENT_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item: unknown) => toHostBufferSources(item, depth + 1));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, toHostBufferSources(item, depth + 1)]),
  );
}
