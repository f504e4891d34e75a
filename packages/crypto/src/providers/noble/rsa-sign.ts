/**
 * RSA signing (RFC 8017 §8.1.1 RSASSA-PSS, §8.2.1 RSASSA-PKCS1-v1_5) in BigInt.
 *
 * Side channels: JavaScript BigInt arithmetic is not constant-time (its cost
 * depends on operand values and sizes), so this code cannot promise what
 * OpenSSL's Montgomery ladder does. It narrows the leak with two standard
 * counter-measures and should still not be used where an attacker can time
 * many signatures at fine resolution (use the node provider there):
 * - base blinding (RFC 8017 §5.2.1 note, Kocher 1996): the private operation
 *   runs on m·r^e for a fresh random r, so its timing is uncorrelated with m;
 * - a fixed 4-bit window exponentiation that multiplies on every window,
 *   whatever the exponent's bits, instead of square-and-multiply.
 * Faults: a CRT signature computed with one wrong half reveals a prime factor
 * (Boneh–DeMillo–Lipton 1997), so every signature is checked with the public
 * exponent before it leaves (as OpenSSL's rsa_ossl_mod_exp does).
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { concatBytes } from '@x/wire';
import { CryptoError } from '../../errors.js';
import { HASH_LENGTH, type HashAlgorithm, type RsaPrivateKey } from '../../provider.js';
import { bigIntToBytes, bytesToBigInt } from './bytes.js';
import { hash } from './hash.js';
import { bitLength, DIGEST_INFO_PREFIX, mgf1, modPow } from './rsa.js';

interface ParsedPrivateKey {
  readonly n: bigint;
  readonly e: bigint;
  readonly p: bigint;
  readonly q: bigint;
  readonly dP: bigint;
  readonly dQ: bigint;
  readonly qInv: bigint;
  readonly modBits: number;
  /** k, the length of n in octets (RFC 8017 §2). */
  readonly k: number;
}

const MIN_MODULUS_BITS = 1024;
const MAX_MODULUS_BITS = 16384;

const parsed = new WeakMap<RsaPrivateKey, ParsedPrivateKey>();

function invalid(why: string): never {
  throw new CryptoError('invalid_key', `RSA private key: ${why}`);
}

/**
 * Checks the RFC 8017 §3.2 relations that signing relies on: n = p·q, the CRT
 * exponents and coefficient in range and consistent. A key failing them would
 * produce bad signatures at best, and leak a factor at worst.
 */
function parsePrivateKey(key: RsaPrivateKey): ParsedPrivateKey {
  const cached = parsed.get(key);
  if (cached) return cached;
  const n = bytesToBigInt(key.modulus);
  const e = bytesToBigInt(key.publicExponent);
  const p = bytesToBigInt(key.prime1);
  const q = bytesToBigInt(key.prime2);
  const dP = bytesToBigInt(key.exponent1);
  const dQ = bytesToBigInt(key.exponent2);
  const qInv = bytesToBigInt(key.coefficient);
  const modBits = bitLength(n);
  if (modBits < MIN_MODULUS_BITS || modBits > MAX_MODULUS_BITS) invalid(`${modBits}-bit modulus`);
  if (e < 3n || (e & 1n) === 0n || e >= n) invalid('public exponent out of range');
  if (p < 3n || q < 3n || p * q !== n) invalid('n is not prime1 * prime2');
  if (dP <= 0n || dP >= p - 1n || dQ <= 0n || dQ >= q - 1n) invalid('CRT exponent out of range');
  if (qInv <= 0n || qInv >= p || (qInv * q) % p !== 1n) invalid('coefficient is not q^-1 mod p');
  // e·dP ≡ 1 (mod p−1) is what makes the CRT halves RSA inverses (§3.2 (2)).
  if ((e * dP) % (p - 1n) !== 1n || (e * dQ) % (q - 1n) !== 1n) {
    invalid('CRT exponents do not match the public exponent');
  }
  const result = { n, e, p, q, dP, dQ, qInv, modBits, k: Math.ceil(modBits / 8) };
  parsed.set(key, result);
  return result;
}

/** x^e mod m with a fixed 4-bit window: one multiplication per window, zero or not. */
function modPowFixedWindow(x: bigint, exponent: bigint, m: bigint): bigint {
  const table: bigint[] = [1n, x % m];
  for (let i = 2; i < 16; i++) table.push((table[i - 1]! * table[1]!) % m);
  const bits = bitLength(m); // the exponent is < m, so this many bits cover it
  let result = 1n;
  for (let shift = Math.ceil(bits / 4) * 4 - 4; shift >= 0; shift -= 4) {
    result = (result * result) % m;
    result = (result * result) % m;
    result = (result * result) % m;
    result = (result * result) % m;
    result = (result * table[Number((exponent >> BigInt(shift)) & 0xfn)]!) % m;
  }
  return result;
}

/** a^-1 mod m by the extended Euclidean algorithm; undefined when gcd(a, m) ≠ 1. */
function modInverse(a: bigint, m: bigint): bigint | undefined {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  if (oldR !== 1n) return undefined;
  return ((oldS % m) + m) % m;
}

/** A uniformly random r in [2, n) with gcd(r, n) = 1, and r^-1 mod n. */
function blindingFactor(key: ParsedPrivateKey): { r: bigint; rInv: bigint } {
  for (;;) {
    // 64 extra bits make the reduction mod n statistically uniform.
    const r = bytesToBigInt(randomBytes(key.k + 8)) % key.n;
    if (r < 2n) continue;
    const rInv = modInverse(r, key.n);
    if (rInv !== undefined) return { r, rInv };
  }
}

/**
 * RSASP1 (RFC 8017 §5.2.1) by the CRT (case 2.b, u = 2), on a blinded input,
 * then checked with RSAVP1 before it is returned.
 */
function rsasp1(key: ParsedPrivateKey, m: bigint): bigint {
  const { r, rInv } = blindingFactor(key);
  const blinded = (m * modPow(r, key.e, key.n)) % key.n;
  const s1 = modPowFixedWindow(blinded % key.p, key.dP, key.p);
  const s2 = modPowFixedWindow(blinded % key.q, key.dQ, key.q);
  const h = ((((s1 - s2) % key.p) + key.p) * key.qInv) % key.p;
  const s = ((s2 + key.q * h) * rInv) % key.n;
  if (modPow(s, key.e, key.n) !== m) {
    throw new CryptoError('invalid_key', 'RSA signature failed its self-check (fault or bad key)');
  }
  return s;
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with MGF1 over the same hash and a random salt. */
function emsaPssEncode(
  algorithm: HashAlgorithm,
  mHash: Uint8Array,
  emBits: number,
  saltLength: number,
): Uint8Array {
  const hLen = HASH_LENGTH[algorithm];
  const emLen = Math.ceil(emBits / 8);
  if (emLen < hLen + saltLength + 2) {
    throw new CryptoError('invalid_key', 'RSA-PSS: key too small for hash and salt'); // step 3
  }
  const salt = randomBytes(saltLength); // step 4
  const h = hash(algorithm, concatBytes(new Uint8Array(8), mHash, salt)); // steps 5-6
  const dbLength = emLen - hLen - 1;
  const db = new Uint8Array(dbLength); // steps 7-8: PS || 0x01 || salt
  db[dbLength - saltLength - 1] = 0x01;
  db.set(salt, dbLength - saltLength);
  const dbMask = mgf1(algorithm, h, dbLength); // step 9
  for (let i = 0; i < dbLength; i++) db[i]! ^= dbMask[i]!; // step 10
  db[0]! &= 0xff >>> (8 * emLen - emBits); // step 11
  const em = new Uint8Array(emLen); // step 12: maskedDB || H || 0xbc
  em.set(db);
  em.set(h, dbLength);
  em[emLen - 1] = 0xbc;
  return em;
}

/** RSASSA-PSS-SIGN (RFC 8017 §8.1.1). */
export function signPss(
  algorithm: HashAlgorithm,
  saltLength: number,
  privateKey: RsaPrivateKey,
  message: Uint8Array,
): Uint8Array {
  if (!Number.isInteger(saltLength) || saltLength < 0) {
    throw new CryptoError('unsupported', `RSA-PSS salt length ${saltLength}`);
  }
  const mHash = hash(algorithm, message); // first: it rejects an unknown hash name
  const key = parsePrivateKey(privateKey);
  const em = emsaPssEncode(algorithm, mHash, key.modBits - 1, saltLength);
  return bigIntToBytes(rsasp1(key, bytesToBigInt(em)), key.k);
}

/** RSASSA-PKCS1-V1_5-SIGN (RFC 8017 §8.2.1) with EMSA-PKCS1-v1_5 (§9.2). */
export function signPkcs1(
  algorithm: HashAlgorithm,
  privateKey: RsaPrivateKey,
  message: Uint8Array,
): Uint8Array {
  const digest = hash(algorithm, message);
  const key = parsePrivateKey(privateKey);
  const t = concatBytes(DIGEST_INFO_PREFIX[algorithm], digest);
  if (key.k < t.length + 11) throw new CryptoError('invalid_key', 'RSA key too small for hash');
  const em = new Uint8Array(key.k); // 0x00 || 0x01 || PS (0xff…) || 0x00 || T
  em[1] = 0x01;
  em.fill(0xff, 2, key.k - t.length - 1);
  em.set(t, key.k - t.length);
  return bigIntToBytes(rsasp1(key, bytesToBigInt(em)), key.k);
}
