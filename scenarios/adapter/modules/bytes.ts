/** Conversions between what a script passes (string, ArrayBuffer, typed array from its realm) and bytes. */
import { Buffer } from 'node:buffer';

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

/** Strings are UTF-8 encoded, as k6 does. */
export function toBytes(input: unknown, field: string): Buffer {
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  if (isArrayBuffer(input)) return Buffer.from(new Uint8Array(input));
  if (ArrayBuffer.isView(input)) return Buffer.from(new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
  throw new TypeError(`${field}: expected a string or an ArrayBuffer, got ${Object.prototype.toString.call(input)}`);
}

export function isBinary(value: unknown): boolean {
  return isArrayBuffer(value) || ArrayBuffer.isView(value);
}
