import {
  constants,
  createECDH,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import { CryptoError } from '../../errors.js';
import type { PrivateKey, PublicKey, SignatureAlgorithm, SigningKeyKind } from '../../provider.js';
import { b64url, fromB64url, NODE_HASH, u8 } from './convert.js';

const CURVE_SIZE = { 'P-256': 32, 'P-384': 48 } as const;
const ED25519_PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
// SEC1 ECPrivateKey { version 1, privateKey, [0] namedCurve } without the optional public key.
const SEC1_CURVE_OID = {
  'P-256': Uint8Array.from([
    0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
  ]),
  'P-384': Uint8Array.from([0xa0, 0x07, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22]),
} as const;

// An Ed25519 SubjectPublicKeyInfo is this 12-byte prefix followed by the 32-byte key.
const ED25519_SPKI_PREFIX_LENGTH = 12;

const publicKeys = new WeakMap<PublicKey, KeyObject>();
const privateKeys = new WeakMap<PrivateKey, KeyObject>();

function importPublic(key: PublicKey): KeyObject {
  let k = publicKeys.get(key);
  if (k) return k;
  try {
    if (key.kind === 'ec') {
      const size = CURVE_SIZE[key.curve];
      if (key.point.length !== 1 + 2 * size || key.point[0] !== 0x04)
        throw new Error('not an uncompressed point');
      k = createPublicKey({
        key: {
          kty: 'EC',
          crv: key.curve,
          x: b64url(key.point.subarray(1, 1 + size)),
          y: b64url(key.point.subarray(1 + size)),
        },
        format: 'jwk',
      });
    } else if (key.kind === 'ed25519') {
      if (key.key.length !== 32) throw new Error('Ed25519 key must be 32 bytes');
      k = createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: b64url(key.key) },
        format: 'jwk',
      });
    } else {
      k = createPublicKey({
        key: { kty: 'RSA', n: b64url(key.modulus), e: b64url(key.exponent) },
        format: 'jwk',
      });
    }
  } catch (e) {
    throw new CryptoError(
      'invalid_public_key',
      `unusable ${key.kind} public key: ${(e as Error).message}`,
    );
  }
  publicKeys.set(key, k);
  return k;
}

function importPrivate(key: PrivateKey): KeyObject {
  let k = privateKeys.get(key);
  if (k) return k;
  try {
    if (key.kind === 'rsa') {
      // JWK (RFC 7518 §6.3.2) carries exactly the RFC 8017 §A.1.2 fields; OpenSSL
      // checks them for consistency on use, and signs with CRT and blinding.
      k = createPrivateKey({
        key: {
          kty: 'RSA',
          n: b64url(key.modulus),
          e: b64url(key.publicExponent),
          d: b64url(key.privateExponent),
          p: b64url(key.prime1),
          q: b64url(key.prime2),
          dp: b64url(key.exponent1),
          dq: b64url(key.exponent2),
          qi: b64url(key.coefficient),
        },
        format: 'jwk',
      });
    } else if (key.kind === 'ed25519') {
      if (key.seed.length !== 32) throw new Error('Ed25519 seed must be 32 bytes');
      const der = Buffer.concat([ED25519_PKCS8_PREFIX, key.seed]);
      k = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } else {
      const size = CURVE_SIZE[key.curve];
      if (key.scalar.length !== size) throw new Error(`scalar must be ${size} bytes`);
      const oid = SEC1_CURVE_OID[key.curve];
      const body = Buffer.concat([Buffer.from([0x02, 0x01, 0x01, 0x04, size]), key.scalar, oid]);
      const der = Buffer.concat([Buffer.from([0x30, body.length]), body]);
      k = createPrivateKey({ key: der, format: 'der', type: 'sec1' });
    }
  } catch (e) {
    throw new CryptoError(
      'invalid_key',
      `unusable ${key.kind} private key: ${(e as Error).message}`,
    );
  }
  privateKeys.set(key, k);
  return k;
}

function keyMatches(algorithm: SignatureAlgorithm, kind: PublicKey['kind']): boolean {
  if (algorithm.name === 'ecdsa') return kind === 'ec';
  if (algorithm.name === 'ed25519') return kind === 'ed25519';
  return kind === 'rsa';
}

export function sign(
  algorithm: SignatureAlgorithm,
  key: PrivateKey,
  message: Uint8Array,
): Uint8Array {
  if (!keyMatches(algorithm, key.kind))
    throw new CryptoError('invalid_key', `${algorithm.name} cannot sign with a ${key.kind} key`);
  const k = importPrivate(key);
  try {
    switch (algorithm.name) {
      case 'ed25519':
        return u8(nodeSign(null, message, k));
      case 'ecdsa':
        return u8(nodeSign(NODE_HASH[algorithm.hash], message, { key: k, dsaEncoding: 'der' }));
      case 'rsa-pss':
        // RFC 8017 §9.1.1: MGF1 over the message hash (OpenSSL's default), random salt.
        return u8(
          nodeSign(NODE_HASH[algorithm.hash], message, {
            key: k,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: algorithm.saltLength,
          }),
        );
      case 'rsa-pkcs1':
        return u8(
          nodeSign(NODE_HASH[algorithm.hash], message, {
            key: k,
            padding: constants.RSA_PKCS1_PADDING,
          }),
        );
      default:
        throw new CryptoError(
          'unsupported',
          `unknown signature algorithm ${String((algorithm as { name: unknown }).name)}`,
        );
    }
  } catch (e) {
    if (e instanceof CryptoError) throw e;
    // OpenSSL refuses a key too small for the encoding (e.g. PSS salt too long).
    throw new CryptoError('invalid_key', `${algorithm.name} sign: ${(e as Error).message}`);
  }
}

export function verify(
  algorithm: SignatureAlgorithm,
  key: PublicKey,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (!keyMatches(algorithm, key.kind)) return false;
  const k = importPublic(key);
  try {
    switch (algorithm.name) {
      case 'ed25519':
        return nodeVerify(null, message, k, signature);
      case 'ecdsa':
        return nodeVerify(
          NODE_HASH[algorithm.hash],
          message,
          { key: k, dsaEncoding: 'der' },
          signature,
        );
      case 'rsa-pss':
        return nodeVerify(
          NODE_HASH[algorithm.hash],
          message,
          { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: algorithm.saltLength },
          signature,
        );
      case 'rsa-pkcs1':
        return nodeVerify(
          NODE_HASH[algorithm.hash],
          message,
          { key: k, padding: constants.RSA_PKCS1_PADDING },
          signature,
        );
    }
  } catch {
    // A malformed signature is a failed verification, not an error.
    return false;
  }
}

/** A fresh RSA-2048 key, e = 65537, read back through JWK (fields without leading zeros). */
function generateRsa2048(): { privateKey: PrivateKey; publicKey: PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
  const jwk = privateKey.export({ format: 'jwk' });
  const field = (v: string | undefined): Uint8Array => fromB64url(v ?? '');
  const modulus = field(jwk.n);
  const publicExponent = field(jwk.e);
  return {
    privateKey: {
      kind: 'rsa',
      modulus,
      publicExponent,
      privateExponent: field(jwk.d),
      prime1: field(jwk.p),
      prime2: field(jwk.q),
      exponent1: field(jwk.dp),
      exponent2: field(jwk.dq),
      coefficient: field(jwk.qi),
    },
    publicKey: { kind: 'rsa', modulus, exponent: publicExponent },
  };
}

export function generateSigningKey(kind: SigningKeyKind): {
  privateKey: PrivateKey;
  publicKey: PublicKey;
} {
  if (kind === 'rsa-2048') return generateRsa2048();
  if (kind === 'ed25519') {
    // DER, not JWK: see the note on X25519 key generation in ecdhe.ts.
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const seed = u8(privateKey.export({ format: 'der', type: 'pkcs8' })).slice(
      ED25519_PKCS8_PREFIX.length,
    );
    const key = u8(publicKey.export({ format: 'der', type: 'spki' })).slice(
      ED25519_SPKI_PREFIX_LENGTH,
    );
    return { privateKey: { kind: 'ed25519', seed }, publicKey: { kind: 'ed25519', key } };
  }
  const size = CURVE_SIZE[kind];
  const ecdh = createECDH(kind === 'P-256' ? 'prime256v1' : 'secp384r1');
  const point = u8(ecdh.generateKeys());
  const raw = ecdh.getPrivateKey();
  const scalar = new Uint8Array(size);
  scalar.set(raw, size - raw.length);
  return {
    privateKey: { kind: 'ec', curve: kind, scalar },
    publicKey: { kind: 'ec', curve: kind, point },
  };
}
