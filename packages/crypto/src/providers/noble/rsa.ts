/**
 * RSA signature verification (RFC 8017) in BigInt, since noble has no RSA.
 * Only the public operation is here, so nothing handles secrets and plain
 * square-and-multiply is fine; signing (private key) is in rsa-sign.ts.
 */

import { concatBytes, constantTimeEqual, fromHex } from '@x/wire';
import { CryptoError } from '../../errors.js';
import { HASH_LENGTH, type HashAlgorithm } from '../../provider.js';
import { bigIntToBytes, bytesToBigInt } from './bytes.js';
import { hash } from './hash.js';

export interface RsaPublicKey {
  readonly modulus: Uint8Array;
  readonly exponent: Uint8Array;
}

interface ParsedKey {
  readonly n: bigint;
  readonly e: bigint;
  readonly modBits: number;
  /** k, the length of n in octets (RFC 8017 §2). */
  readonly k: number;
}

/**
 * OpenSSL's limits (OPENSSL_RSA_MAX_MODULUS_BITS, _SMALL_MODULUS_BITS,
 * _MAX_PUBEXP_BITS), so a hostile certificate cannot make verification
 * arbitrarily slow; the lower bound only keeps the arithmetic meaningful.
 */
const MAX_MODULUS_BITS = 16384;
const SMALL_MODULUS_BITS = 3072;
const MAX_LARGE_KEY_EXPONENT_BITS = 64;
const MIN_MODULUS_BITS = 512;

export function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

function parseKey(key: RsaPublicKey): ParsedKey {
  const n = bytesToBigInt(key.modulus);
  const e = bytesToBigInt(key.exponent);
  const modBits = bitLength(n);
  const reject = (why: string): never => {
    throw new CryptoError('invalid_public_key', `RSA public key: ${why}`);
  };
  if (modBits < MIN_MODULUS_BITS || modBits > MAX_MODULUS_BITS) reject(`${modBits}-bit modulus`);
  if ((n & 1n) === 0n) reject('even modulus');
  // RFC 8017 §3.1: 3 <= e <= n - 1, and e odd (it must be coprime to λ(n)).
  if (e < 3n || e >= n || (e & 1n) === 0n) reject('exponent out of range');
  if (modBits > SMALL_MODULUS_BITS && bitLength(e) > MAX_LARGE_KEY_EXPONENT_BITS) {
    reject('exponent too large for the modulus');
  }
  return { n, e, modBits, k: Math.ceil(modBits / 8) };
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if ((e & 1n) === 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/**
 * RSAVP1 (RFC 8017 §5.2.2) behind the length check of §8.1.2 / §8.2.2 step 1:
 * the signature must be exactly k octets and its integer must be below n
 * (otherwise s and s + n would both verify). Returns m, or null for an invalid signature.
 */
function rsavp1(key: ParsedKey, signature: Uint8Array): bigint | null {
  if (signature.length !== key.k) return null;
  const s = bytesToBigInt(signature);
  if (s >= key.n) return null;
  return modPow(s, key.e, key.n);
}

/** MGF1 (RFC 8017 §B.2.1) with the given hash. */
export function mgf1(algorithm: HashAlgorithm, seed: Uint8Array, maskLength: number): Uint8Array {
  const out = new Uint8Array(maskLength);
  const counter = new Uint8Array(4);
  const view = new DataView(counter.buffer);
  for (let c = 0, off = 0; off < maskLength; c++) {
    view.setUint32(0, c);
    const block = hash(algorithm, concatBytes(seed, counter));
    out.set(block.subarray(0, maskLength - off), off);
    off += block.length;
  }
  return out;
}

/** RSASSA-PSS-VERIFY (RFC 8017 §8.1.2) with EMSA-PSS-VERIFY (§9.1.2), MGF1 over the same hash. */
export function verifyPss(
  algorithm: HashAlgorithm,
  saltLength: number,
  publicKey: RsaPublicKey,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (!Number.isInteger(saltLength) || saltLength < 0) {
    throw new CryptoError('unsupported', `RSA-PSS salt length ${saltLength}`);
  }
  const mHash = hash(algorithm, message); // §9.1.2 step 2; first, as it rejects an unknown hash name
  const key = parseKey(publicKey);
  const m = rsavp1(key, signature);
  if (m === null) return false;
  // §8.1.2 step 2c: EM = I2OSP(m, emLen) with emBits = modBits - 1.
  const emBits = key.modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  if (m >> BigInt(8 * emLen) !== 0n) return false;
  const em = bigIntToBytes(m, emLen);

  const hLen = HASH_LENGTH[algorithm];
  if (emLen < hLen + saltLength + 2) return false; // step 3
  if (em[emLen - 1] !== 0xbc) return false; // step 4
  const maskedDb = em.subarray(0, emLen - hLen - 1); // step 5
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topMask = 0xff >>> (8 * emLen - emBits); // the bits of the first octet that are used
  if ((maskedDb[0]! & ~topMask) !== 0) return false; // step 6
  const db = mgf1(algorithm, h, maskedDb.length); // step 7
  for (let i = 0; i < db.length; i++) db[i]! ^= maskedDb[i]!; // step 8
  db[0]! &= topMask; // step 9
  const psLength = emLen - hLen - saltLength - 2; // step 10
  for (let i = 0; i < psLength; i++) if (db[i] !== 0) return false;
  if (db[psLength] !== 0x01) return false;
  const salt = db.subarray(db.length - saltLength); // step 11
  const mPrime = concatBytes(new Uint8Array(8), mHash, salt); // step 12
  return constantTimeEqual(hash(algorithm, mPrime), h); // steps 13-14
}

/** DER DigestInfo prefixes, AlgorithmIdentifier with NULL parameters (RFC 8017 §9.2 note 1). */
export const DIGEST_INFO_PREFIX: Readonly<Record<HashAlgorithm, Uint8Array>> = {
  'SHA-1': fromHex('30 21 30 09 06 05 2b 0e 03 02 1a 05 00 04 14'),
  'SHA-256': fromHex('30 31 30 0d 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20'),
  'SHA-384': fromHex('30 41 30 0d 06 09 60 86 48 01 65 03 04 02 02 05 00 04 30'),
  'SHA-512': fromHex('30 51 30 0d 06 09 60 86 48 01 65 03 04 02 03 05 00 04 40'),
};

/**
 * RSASSA-PKCS1-V1_5-VERIFY (RFC 8017 §8.2.2): re-encode the expected EM with
 * EMSA-PKCS1-v1_5 (§9.2) and compare it whole, in constant time. Parsing the
 * DigestInfo instead is how Bleichenbacher's 2006 forgery (CVE-2006-4339) and
 * its BER-laxity successors got in; re-encoding accepts exactly one EM. The
 * legacy form without the NULL parameter is therefore rejected, as OpenSSL does.
 */
export function verifyPkcs1(
  algorithm: HashAlgorithm,
  publicKey: RsaPublicKey,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const digest = hash(algorithm, message); // first: it rejects an unknown hash name
  const key = parseKey(publicKey);
  const m = rsavp1(key, signature);
  if (m === null) return false;
  const em = bigIntToBytes(m, key.k); // m < n < 256^k
  const t = concatBytes(DIGEST_INFO_PREFIX[algorithm], digest);
  if (key.k < t.length + 11) return false; // §9.2 step 3: "intended encoded message length too short"
  const expected = new Uint8Array(key.k);
  expected[1] = 0x01; // EM = 0x00 || 0x01 || PS (0xff...) || 0x00 || T
  expected.fill(0xff, 2, key.k - t.length - 1);
  expected.set(t, key.k - t.length);
  return constantTimeEqual(em, expected);
}
