/** `k6/crypto` and `k6/encoding`, with Go's base64 strictness (padded vs raw variants are not interchangeable). */
import { createHash, createHmac, randomBytes as nodeRandomBytes } from 'node:crypto';
import { Buffer } from 'node:buffer';
import type { Runtime } from '../runtime.ts';
import { toBytes } from './bytes.ts';

const ALGORITHMS: Record<string, string> = {
  md4: 'md4',
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  sha512_224: 'sha512-224',
  sha512_256: 'sha512-256',
  ripemd160: 'ripemd160',
};

function nodeAlgorithm(name: unknown): string {
  const algorithm = typeof name === 'string' ? ALGORITHMS[name] : undefined;
  if (!algorithm) throw new Error(`invalid hash algorithm "${String(name)}"`);
  return algorithm;
}

type Base64Variant = 'std' | 'rawstd' | 'url' | 'rawurl';

export function base64Encode(bytes: Buffer, variant: Base64Variant): string {
  const padded =
    variant === 'url' || variant === 'rawurl' ? bytes.toString('base64url') : bytes.toString('base64');
  if (variant === 'url') return padded + '='.repeat((4 - (padded.length % 4)) % 4);
  if (variant === 'rawstd') return padded.replace(/=+$/, '');
  return padded;
}

function base64Decode(text: string, variant: Base64Variant): Buffer {
  const urlAlphabet = variant === 'url' || variant === 'rawurl';
  const raw = variant === 'rawstd' || variant === 'rawurl';
  const alphabet = urlAlphabet ? /^[A-Za-z0-9_-]*$/ : /^[A-Za-z0-9+/]*$/;
  const body = raw ? text : text.replace(/={1,2}$/, '');
  const validPadding = raw ? !text.includes('=') : text.length % 4 === 0;
  if (!alphabet.test(body) || !validPadding || body.length % 4 === 1) {
    throw new Error(`illegal base64 data for encoding "${variant}"`);
  }
  return Buffer.from(body, urlAlphabet ? 'base64url' : 'base64');
}

function variantOf(encoding: unknown): Base64Variant {
  const variant = encoding ?? 'std';
  if (!['std', 'rawstd', 'url', 'rawurl'].includes(variant as string))
    throw new Error(`unknown base64 encoding "${String(encoding)}"`);
  return variant as Base64Variant;
}

export function createCryptoModule(runtime: Runtime) {
  const output = (digest: Buffer, encoding: unknown): string | ArrayBuffer => {
    switch (encoding) {
      case 'hex':
        return digest.toString('hex');
      case 'base64':
        return digest.toString('base64');
      case 'base64url':
        return base64Encode(digest, 'url');
      case 'base64rawurl':
        return base64Encode(digest, 'rawurl');
      case 'binary':
        return runtime.toScriptArrayBuffer(digest);
      default:
        throw runtime.error(`invalid output encoding "${String(encoding)}"`);
    }
  };
  const guard = <T>(body: () => T): T => {
    try {
      return body();
    } catch (error) {
      throw runtime.error((error as Error).message);
    }
  };
  const hash = (algorithm: string) => (input: unknown, encoding: unknown) =>
    guard(() =>
      output(createHash(nodeAlgorithm(algorithm)).update(toBytes(input, 'input')).digest(), encoding),
    );
  const hasher = (make: () => ReturnType<typeof createHash>) => {
    const state = make();
    return {
      update: (input: unknown) => void state.update(toBytes(input, 'input')),
      digest: (encoding: unknown) => output(state.digest(), encoding),
    };
  };
  return {
    md4: hash('md4'),
    md5: hash('md5'),
    sha1: hash('sha1'),
    sha256: hash('sha256'),
    sha384: hash('sha384'),
    sha512: hash('sha512'),
    sha512_224: hash('sha512_224'),
    sha512_256: hash('sha512_256'),
    ripemd160: hash('ripemd160'),
    hmac: (algorithm: unknown, secret: unknown, input: unknown, encoding: unknown) =>
      guard(() =>
        output(
          createHmac(nodeAlgorithm(algorithm), toBytes(secret, 'secret'))
            .update(toBytes(input, 'input'))
            .digest(),
          encoding,
        ),
      ),
    createHash: (algorithm: unknown) => guard(() => hasher(() => createHash(nodeAlgorithm(algorithm)))),
    createHMAC: (algorithm: unknown, secret: unknown) =>
      guard(() =>
        hasher(
          () =>
            createHmac(nodeAlgorithm(algorithm), toBytes(secret, 'secret')) as unknown as ReturnType<
              typeof createHash
            >,
        ),
      ),
    randomBytes: (size: unknown) => {
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 0)
        throw runtime.error('randomBytes: size must be a non-negative integer');
      return runtime.toScriptArrayBuffer(nodeRandomBytes(size));
    },
  };
}

export function createEncodingModule(runtime: Runtime) {
  return {
    b64encode: (input: unknown, encoding?: unknown) => {
      try {
        return base64Encode(toBytes(input, 'b64encode input'), variantOf(encoding));
      } catch (error) {
        throw runtime.error((error as Error).message);
      }
    },
    b64decode: (input: unknown, encoding?: unknown, format?: unknown) => {
      if (typeof input !== 'string') throw runtime.error('b64decode: input must be a string');
      let bytes: Buffer;
      try {
        bytes = base64Decode(input, variantOf(encoding));
      } catch (error) {
        throw runtime.error((error as Error).message);
      }
      return format === 's' ? bytes.toString('utf8') : runtime.toScriptArrayBuffer(bytes);
    },
  };
}
