import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  type ECDH,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { CryptoError } from '../../errors.js';
import type { EcdheGroup, KeyPair } from '../../provider.js';
import { b64url, u8 } from './convert.js';

const X25519_PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);
const X25519_SPKI_PREFIX = Uint8Array.from([
  0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00,
]);

const CURVE = {
  'P-256': { name: 'prime256v1', size: 32 },
  'P-384': { name: 'secp384r1', size: 48 },
} as const;

// Key import dominates the cost of one derivation, so the object built for a
// private key is kept for as long as the caller keeps the key bytes.
const x25519Keys = new WeakMap<Uint8Array, KeyObject>();
const ecdhKeys = new WeakMap<Uint8Array, ECDH>();

function withPrefix(prefix: Uint8Array, key: Uint8Array): Buffer {
  const out = Buffer.alloc(prefix.length + key.length);
  out.set(prefix, 0);
  out.set(key, prefix.length);
  return out;
}

function x25519Private(privateKey: Uint8Array): KeyObject {
  let k = x25519Keys.get(privateKey);
  if (!k) {
    if (privateKey.length !== 32)
      throw new CryptoError(
        'invalid_key',
        `X25519 private key must be 32 bytes, got ${privateKey.length}`,
      );
    k = createPrivateKey({
      key: withPrefix(X25519_PKCS8_PREFIX, privateKey),
      format: 'der',
      type: 'pkcs8',
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
    const { privateKey, publicKey } = generateKeyPairSync('x25519');
    // DER, not JWK: Node 20's JWK export of a freshly generated key can deadlock
    // against the key-generation job's destructor when a GC lands mid-export.
    const d = u8(privateKey.export({ format: 'der', type: 'pkcs8' })).slice(
      X25519_PKCS8_PREFIX.length,
    );
    x25519Keys.set(d, privateKey);
    return {
      privateKey: d,
      publicKey: u8(publicKey.export({ format: 'der', type: 'spki' })).slice(
        X25519_SPKI_PREFIX.length,
      ),
    };
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
