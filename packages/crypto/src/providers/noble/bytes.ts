import { CryptoError, type CryptoErrorCode } from '../../errors.js';

/** Throws CryptoError(code) unless `bytes` is a Uint8Array of one of the allowed lengths. */
export function requireLength(
  bytes: Uint8Array,
  lengths: readonly number[],
  code: CryptoErrorCode,
  what: string,
): void {
  if (!(bytes instanceof Uint8Array) || !lengths.includes(bytes.length)) {
    const got = bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes;
    throw new CryptoError(code, `${what}: expected ${lengths.join(' or ')} bytes, got ${got}`);
  }
}

/**
 * Runs a library call and turns any exception it raises into CryptoError(code):
 * the provider contract promises callers a typed error, never noble's own.
 */
export function guard<T>(code: CryptoErrorCode, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CryptoError) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new CryptoError(code, `${what}: ${reason}`);
  }
}

/** Big-endian unsigned bytes to BigInt (leading zero bytes are fine). */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** BigInt to exactly `length` big-endian bytes; the caller guarantees n < 256^length. */
export function bigIntToBytes(n: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}
