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
  const withCounter = new Uint8Array(info.length + 1);
  withCounter.set(info, 0);
  return hkdfExpandInPlace(p, hash, prk, withCounter, length);
}

/**
 * @internal HKDF-Expand over `infoAndCounter`: info followed by one spare byte
 * that is overwritten with the block counter. Callers that build info anyway
 * (HKDF-Expand-Label) leave that byte and save a copy per derivation.
 */
export function hkdfExpandInPlace(
  p: CryptoProvider,
  hash: HashAlgorithm,
  prk: Uint8Array,
  infoAndCounter: Uint8Array,
  length: number,
): Uint8Array {
  const hashLen = HASH_LENGTH[hash];
  if (!Number.isInteger(length) || length < 0 || length > 255 * hashLen) {
    throw new CryptoError(
      'output_too_long',
      `HKDF-Expand cannot produce ${length} bytes with ${hash}`,
    );
  }
  const infoLength = infoAndCounter.length - 1;
  // T(1) = HMAC(PRK, info | 0x01): one block is what every TLS and QUIC key derivation needs.
  infoAndCounter[infoLength] = 1;
  const t1 = p.hmac(hash, prk, infoAndCounter);
  if (length <= hashLen) return length === hashLen ? t1 : t1.slice(0, length);
  const out = new Uint8Array(length);
  out.set(t1, 0);
  // T(i) = HMAC(PRK, T(i-1) | info | i).
  const input = new Uint8Array(hashLen + infoLength + 1);
  input.set(infoAndCounter.subarray(0, infoLength), hashLen);
  let t = t1;
  for (let i = 2, o = hashLen; o < length; i++) {
    input.set(t, 0);
    input[hashLen + infoLength] = i;
    t = p.hmac(hash, prk, input);
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
