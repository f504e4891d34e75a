/**
 * SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) to and from the provider's PublicKey.
 * Supported: EC on a named P-256 / P-384 curve (RFC 5480), Ed25519 (RFC 8410),
 * rsaEncryption and id-RSASSA-PSS keys (RFC 3279 §2.3.1, RFC 4055 §1.2).
 */
import { CryptoError } from '../errors.js';
import type { PublicKey } from '../provider.js';
import {
  type AlgorithmIdentifier,
  encodeAlgorithmIdentifier,
  isAbsentOrNull,
  readAlgorithmIdentifier,
} from './algorithm-identifier.js';
import {
  badEncoding,
  bitStringOctets,
  contents,
  DerReader,
  decodeOid,
  decoding,
  encodeBitString,
  encodeOid,
  encodeSequence,
  encodeUnsignedInteger,
  parseTlv,
  TAG,
  type Tlv,
  unsignedInteger,
} from './der.js';
import { OID } from './oids.js';

export type NamedCurve = 'P-256' | 'P-384';

const CURVE_BY_OID: Readonly<Record<string, NamedCurve>> = {
  [OID.secp256r1]: 'P-256',
  [OID.secp384r1]: 'P-384',
};
export const CURVE_OID: Readonly<Record<NamedCurve, string>> = {
  'P-256': OID.secp256r1,
  'P-384': OID.secp384r1,
};
/** Field size in bytes: an uncompressed point is 0x04 || X || Y (SEC 1 §2.3.3). */
export const CURVE_FIELD_BYTES: Readonly<Record<NamedCurve, number>> = { 'P-256': 32, 'P-384': 48 };

/** RSA moduli beyond this are refused before any provider spends BigInt time on them. */
const MAX_RSA_MODULUS_BITS = 16384;

/**
 * The curve named by EC parameters. RFC 5480 §2.1.1 allows only namedCurve in
 * PKIX; explicit parameters (a SEQUENCE) let an attacker pick the curve, and
 * node:crypto would accept them (CVE-2020-0601 was this bug), so they are refused.
 */
export function namedCurve(params: Tlv | undefined, what: string): NamedCurve {
  if (params === undefined) throw badEncoding(`${what}: EC key without curve parameters`);
  if (params.tag === TAG.SEQUENCE) {
    throw badEncoding(`${what}: explicit EC curve parameters are not allowed (RFC 5480 §2.1.1)`);
  }
  if (params.tag !== TAG.OID) {
    throw badEncoding(`${what}: EC parameters must be a namedCurve OID (RFC 5480 §2.1.1)`);
  }
  const oid = decodeOid(params, what);
  const curve = CURVE_BY_OID[oid];
  if (curve === undefined)
    throw new CryptoError('unsupported', `${what}: unsupported EC curve ${oid}`);
  return curve;
}

/** An uncompressed point of the right length for the curve (RFC 5480 §2.2). */
export function ecPoint(curve: NamedCurve, point: Uint8Array, what: string): Uint8Array {
  const size = CURVE_FIELD_BYTES[curve];
  if ((point[0] === 0x02 || point[0] === 0x03) && point.length === 1 + size) {
    throw new CryptoError('unsupported', `${what}: compressed EC points are not supported`);
  }
  if (point[0] !== 0x04 || point.length !== 1 + 2 * size) {
    throw badEncoding(`${what}: not an uncompressed ${curve} point`);
  }
  return point;
}

function rsaPublicKey(bytes: Uint8Array, what: string): PublicKey {
  // RFC 8017 Appendix A.1.1: RSAPublicKey ::= SEQUENCE { modulus, publicExponent }
  const r = contents(parseTlv(bytes, TAG.SEQUENCE, what), what);
  const modulus = unsignedInteger(r.next(TAG.INTEGER, 'modulus'), `${what} modulus`);
  const exponent = unsignedInteger(r.next(TAG.INTEGER, 'publicExponent'), `${what} exponent`);
  r.end();
  if (modulus.length * 8 > MAX_RSA_MODULUS_BITS) {
    throw new CryptoError('unsupported', `${what}: RSA modulus over ${MAX_RSA_MODULUS_BITS} bits`);
  }
  if (modulus.length < 64 || exponent.length > 8 || (exponent[exponent.length - 1]! & 1) === 0) {
    throw badEncoding(`${what}: implausible RSA key (modulus or exponent)`);
  }
  return { kind: 'rsa', modulus: modulus.slice(), exponent: exponent.slice() };
}

function publicKeyFrom(alg: AlgorithmIdentifier, key: Uint8Array, what: string): PublicKey {
  switch (alg.oid) {
    case OID.ecPublicKey: {
      const curve = namedCurve(alg.params, what);
      return { kind: 'ec', curve, point: ecPoint(curve, key, what).slice() };
    }
    case OID.Ed25519:
      // RFC 8410 §3: the parameters MUST be absent.
      if (alg.params !== undefined) throw badEncoding(`${what}: Ed25519 parameters must be absent`);
      if (key.length !== 32) throw badEncoding(`${what}: Ed25519 key must be 32 bytes`);
      return { kind: 'ed25519', key: key.slice() };
    case OID.rsaEncryption:
      // RFC 3279 §2.3.1: parameters are NULL (some encoders omit them).
      if (!isAbsentOrNull(alg.params))
        throw badEncoding(`${what}: rsaEncryption parameters must be NULL`);
      return rsaPublicKey(key, what);
    case OID.RSASSA_PSS:
      // RFC 4055 §1.2: the same RSAPublicKey; the optional parameters only restrict
      // how the key may be used, and our verifier takes the signature's own parameters.
      return rsaPublicKey(key, what);
    default:
      throw new CryptoError('unsupported', `${what}: unsupported public key algorithm ${alg.oid}`);
  }
}

/** Reads a SubjectPublicKeyInfo TLV (already split out of a certificate). */
export function readSubjectPublicKeyInfo(tlv: Tlv, what = 'SubjectPublicKeyInfo'): PublicKey {
  const r = contents(tlv, what);
  const alg = readAlgorithmIdentifier(r.next(TAG.SEQUENCE, 'algorithm'), what);
  const key = bitStringOctets(r.next(TAG.BIT_STRING, 'subjectPublicKey'), what);
  r.end();
  return publicKeyFrom(alg, key, what);
}

/** Parses a DER SubjectPublicKeyInfo; CryptoError('bad_encoding') on malformed input. */
export function parseSubjectPublicKeyInfo(der: Uint8Array): PublicKey {
  return decoding('SubjectPublicKeyInfo', () => {
    const r = new DerReader(der, 'SubjectPublicKeyInfo');
    const tlv = r.next(TAG.SEQUENCE);
    r.end();
    return readSubjectPublicKeyInfo(tlv);
  });
}

/** DER SubjectPublicKeyInfo for a key, as OpenSSL and browsers write it. */
export function encodeSubjectPublicKeyInfo(key: PublicKey): Uint8Array {
  switch (key.kind) {
    case 'ec':
      if (key.point.length !== 1 + 2 * CURVE_FIELD_BYTES[key.curve] || key.point[0] !== 0x04) {
        throw new CryptoError('invalid_key', `not an uncompressed ${key.curve} point`);
      }
      return encodeSequence(
        encodeAlgorithmIdentifier(OID.ecPublicKey, encodeOid(CURVE_OID[key.curve])),
        encodeBitString(key.point),
      );
    case 'ed25519':
      if (key.key.length !== 32)
        throw new CryptoError('invalid_key', 'Ed25519 key must be 32 bytes');
      return encodeSequence(encodeAlgorithmIdentifier(OID.Ed25519), encodeBitString(key.key));
    case 'rsa':
      return encodeSequence(
        encodeAlgorithmIdentifier(OID.rsaEncryption, 'null'),
        encodeBitString(
          encodeSequence(encodeUnsignedInteger(key.modulus), encodeUnsignedInteger(key.exponent)),
        ),
      );
  }
}
