import type { CryptoProvider, HashAlgorithm } from '../provider.js';
import { HASH_LENGTH } from '../provider.js';

const encoder = new TextEncoder();

/**
 * RFC 5246 §5: PRF(secret, label, seed) = P_<hash>(secret, label + seed), with
 *   P_hash = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ...
 *   A(0) = seed, A(i) = HMAC(secret, A(i-1)).
 * TLS 1.2 suites name the hash (SHA-256 unless the suite says SHA-384).
 */
export function tls12Prf(
  p: CryptoProvider,
  hash: HashAlgorithm,
  secret: Uint8Array,
  label: string,
  seed: Uint8Array,
  length: number,
): Uint8Array {
  const labelBytes = encoder.encode(label);
  const labelSeed = new Uint8Array(labelBytes.length + seed.length);
  labelSeed.set(labelBytes, 0);
  labelSeed.set(seed, labelBytes.length);
  return pHash(p, hash, secret, labelSeed, length);
}

export function pHash(
  p: CryptoProvider,
  hash: HashAlgorithm,
  secret: Uint8Array,
  seed: Uint8Array,
  length: number,
): Uint8Array {
  const hashLen = HASH_LENGTH[hash];
  const out = new Uint8Array(length);
  const input = new Uint8Array(hashLen + seed.length);
  input.set(seed, hashLen);
  let a = p.hmac(hash, secret, seed);
  for (let o = 0; o < length; o += hashLen) {
    input.set(a, 0);
    const block = p.hmac(hash, secret, input);
    out.set(block.subarray(0, Math.min(hashLen, length - o)), o);
    a = p.hmac(hash, secret, a);
  }
  return out;
}
