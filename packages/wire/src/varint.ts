import { EncodeError } from './errors.js';

/** RFC 9000 §16: the largest value a variable-length integer can hold. */
export const VARINT_MAX = 2n ** 62n - 1n;
/** Largest varint that is exact as a JavaScript number. */
export const VARINT_MAX_SAFE = Number.MAX_SAFE_INTEGER;

export type VarintLength = 1 | 2 | 4 | 8;

// 2^62 - 1 is not a double; 2^62 is, and is the first number out of range.
const VARINT_LIMIT_NUMBER = 2 ** 62;

/**
 * RFC 9000 §16: the minimal encoded length of v (1, 2, 4 or 8 bytes). Throws
 * EncodeError for anything that is not an integer in 0..2^62-1.
 */
export function varintLength(v: number | bigint): VarintLength {
  if (typeof v === 'bigint') {
    if (v < 0n || v > VARINT_MAX) throw new EncodeError(`varint out of range: ${v}`);
    return v < 64n ? 1 : v < 16384n ? 2 : v < 1073741824n ? 4 : 8;
  }
  if (!Number.isInteger(v) || v < 0 || v >= VARINT_LIMIT_NUMBER) {
    throw new EncodeError(`varint out of range: ${v}`);
  }
  return v < 64 ? 1 : v < 16384 ? 2 : v < 1073741824 ? 4 : 8;
}
