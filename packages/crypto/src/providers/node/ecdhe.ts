import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  type ECDH,
  type KeyObject,
} from 'node:crypto';
import { CryptoError } from '../../errors.js';
import type { EcdheGroup, KeyPair } from '../../provider.js';
import { b64url, fromB64url, u8 } from './convert.js';
import { randomBytes } from './random.js';

/** u = 9, the X25519 base point (RFC 7748 §4.1): a well-formed `x` for private-key JWKs. */
const X25519_BASE_POINT = new Uint8Array(32);
X25519_BASE_POINT[0] = 9;
const BASE_POINT_B64 = b64url(X25519_BASE_POINT);

const CURVE = {
  'P-256': { name: 'prime256v1', size: 32 },
  'P-384': { name: 'secp384r1', size: 48 },
} as const;

// Key import dominates the cost of one derivation, so the object built for a
// private key is kept for as long as the caller keeps the key bytes.
const x25519Keys = new WeakMap<Uint8Array, KeyObject>();
const ecdhKeys = new WeakMap<Uint8Array, ECDH>();

function x25519Private(privateKey: Uint8Array): KeyObject {
  let k = x25519Keys.get(privateKey);
  if (!k) {
    if (privateKey.length !== 32)
      throw new CryptoError(
        'invalid_key',
        `X25519 private key must be 32 bytes, got ${privateKey.length}`,
      );
    // JWK, not PKCS#8 DER: on Node 20 the DER import goes through OpenSSL 3's
    // decoder framework and costs ~300 µs; the JWK import takes the raw key
    // in ~20 µs. Node reads only `d` of a private OKP key; `x` must be present.
    k = createPrivateKey({
      key: { kty: 'OKP', crv: 'X25519', d: b64url(privateKey), x: BASE_POINT_B64 },
      format: 'jwk',
    });
    x25519Keys.set(privateKey, k);
  }
  return k;
}

function ecdhFor(group: 'P-256' | 'P-384', privateKey: Uint8Array): ECDH {
  let e = ecdhKeys.get(privateKey);
  if (!e) {
    const { name, size } = CURVE[group];
    if (privateKey.length !== size)
      throw new CryptoError(
        'invalid_key',
        `${group} private key must be ${size} bytes, got ${privateKey.length}`,
      );
    e = createECDH(name);
    try {
      e.setPrivateKey(privateKey);
    } catch {
      throw new CryptoError('invalid_key', `${group} private key out of range`);
    }
    ecdhKeys.set(privateKey, e);
  }
  return e;
}

function pad(b: Buffer, size: number): Uint8Array {
  if (b.length === size) return u8(b);
  const out = new Uint8Array(size);
  out.set(b, size - b.length);
  return out;
}

export function generateKeyPair(group: EcdheGroup): KeyPair {
  if (group === 'x25519') {
    // A random scalar, imported: OpenSSL derives the public key on import, and
    // the private JWK export hands it back as `x`. ~37 µs, against ~130 µs for
    // generateKeyPairSync plus two DER exports (on Node 20 a JWK export of a
    // key-generation job's result can also deadlock when a GC lands mid-call;
    // an imported key has no job). RFC 7748 §5 clamps the scalar inside X25519.
    const d = randomBytes(32);
    const jwk = x25519Private(d).export({ format: 'jwk' });
    if (typeof jwk.x !== 'string') throw new CryptoError('invalid_key', 'X25519 export lost x');
    return { privateKey: d, publicKey: fromB64url(jwk.x, 32) };
  }
  const c = CURVE[group];
  if (!c) throw new CryptoError('unsupported', `unknown group ${group}`);
  const e = createECDH(c.name);
  const pub = u8(e.generateKeys());
  const priv = pad(e.getPrivateKey(), c.size);
  ecdhKeys.set(priv, e);
  return { privateKey: priv, publicKey: pub };
}

export function deriveSharedSecret(
  group: EcdheGroup,
  privateKey: Uint8Array,
  peer: Uint8Array,
): Uint8Array {
  if (group === 'x25519') {
    if (peer.length !== 32)
      throw new CryptoError(
        'invalid_public_key',
        `X25519 public key must be 32 bytes, got ${peer.length}`,
      );
    const priv = x25519Private(privateKey);
    let secret: Buffer;
    try {
      // A JWK import of the raw key is about 3x cheaper than parsing an SPKI wrapper.
      const pub = createPublicKey({
        key: { kty: 'OKP', crv: 'X25519', x: b64url(peer) },
        format: 'jwk',
      });
      secret = diffieHellman({ privateKey: priv, publicKey: pub });
    } catch {
      // OpenSSL fails the derivation exactly when the result is all zeros.
      throw new CryptoError(
        'low_order_point',
        'X25519 produced the all-zero shared secret (RFC 7748 §6.1)',
      );
    }
    if (secret.every((b) => b === 0))
      throw new CryptoError('low_order_point', 'X25519 produced the all-zero shared secret');
    return u8(secret);
  }
  const c = CURVE[group];
  if (!c) throw new CryptoError('unsupported', `unknown group ${group}`);
  // RFC 8446 §4.2.8.2: only the uncompressed form is allowed on the wire.
  if (peer.length !== 1 + 2 * c.size || peer[0] !== 0x04) {
    throw new CryptoError(
      'invalid_public_key',
      `${group} key share must be an uncompressed point of ${1 + 2 * c.size} bytes`,
    );
  }
  const e = ecdhFor(group, privateKey);
  try {
    return pad(e.computeSecret(peer), c.size);
  } catch {
    throw new CryptoError('invalid_public_key', `${group} peer point is not on the curve`);
  }
}
