import { CryptoError } from '../errors.js';
import { type CryptoProvider, HASH_LENGTH, type HashAlgorithm } from '../provider.js';

/** RFC 5869 §2.2. An empty salt means HashLen zero bytes (the TLS 1.3 early secret relies on it). */
export function hkdfExtract(
  p: CryptoProvider,
  hash: HashAlgorithm,
  salt: Uint8Array,
  ikm: Uint8Array,
): Uint8Array {
  return p.hmac(hash, salt.length === 0 ? new Uint8Array(HASH_LENGTH[hash]) : salt, ikm);
}

/** RFC 5869 §2.3; more than 255 * HashLen bytes is an error, not a truncation. */
export function hkdfExpand(
  p: CryptoProvider,
  hash: HashAlgorithm,
  prk: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  const hashLen = HASH_LENGTH[hash];
  if (!Number.isInteger(length) || length < 0 || length > 255 * hashLen) {
    throw new CryptoError(
      'output_too_long',
      `HKDF-Expand cannot produce ${length} bytes with ${hash}`,
    );
  }
  if (length <= hashLen) {
    // One block, T(1) = HMAC(PRK, info | 0x01): what every TLS and QUIC key derivation needs.
    const first = new Uint8Array(info.length + 1);
    first.set(info, 0);
    first[info.length] = 1;
    const t1 = p.hmac(hash, prk, first);
    return length === hashLen ? t1 : t1.slice(0, length);
  }
  const out = new Uint8Array(length);
  const input = new Uint8Array(hashLen + info.length + 1);
  input.set(info, hashLen);
  let t: Uint8Array = new Uint8Array(0);
  for (let i = 1, o = 0; o < length; i++) {
    // T(i) = HMAC(PRK, T(i-1) | info | i); T(0) is empty, so the first block skips it.
    let block: Uint8Array;
    if (i === 1) {
      const first = input.subarray(hashLen);
      first[info.length] = 1;
      block = first;
    } else {
      input.set(t, 0);
      input[hashLen + info.length] = i;
      block = input;
    }
    t = p.hmac(hash, prk, block);
    out.set(t.subarray(0, Math.min(hashLen, length - o)), o);
    o += hashLen;
  }
  return out;
}

export function hkdf(
  p: CryptoProvider,
  hash: HashAlgorithm,
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  return hkdfExpand(p, hash, hkdfExtract(p, hash, salt, ikm), info, length);
}
