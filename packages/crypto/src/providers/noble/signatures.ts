import { ed25519 } from '@noble/curves/ed25519.js';
import { CryptoError } from '../../errors.js';
import type { PrivateKey, PublicKey, SignatureAlgorithm, SigningKeyKind } from '../../provider.js';
import { guard, requireLength } from './bytes.js';
import { nistCurve, requireUncompressedPoint } from './ecdhe.js';
import { hash } from './hash.js';
import { verifyPkcs1, verifyPss } from './rsa.js';
import { signPkcs1, signPss } from './rsa-sign.js';

function mismatch(algorithm: SignatureAlgorithm, kind: string): never {
  throw new CryptoError('unsupported', `${String(algorithm.name)} cannot use a ${kind} key`);
}

/**
 * Signs with ECDSA (DER, RFC 5480 §2.2 / RFC 8446 §4.2.3), Ed25519 (RFC 8032)
 * or RSA (RFC 8017 PSS / PKCS #1 v1.5; see rsa-sign.ts for its side-channel limits).
 * ECDSA hashes with the requested hash here and hands noble the digest
 * (prehash: false): noble v2 would otherwise hash again with the curve's own
 * hash, which is wrong whenever TLS 1.2 pairs a curve with another hash.
 */
export function sign(
  algorithm: SignatureAlgorithm,
  key: PrivateKey,
  message: Uint8Array,
): Uint8Array {
  if (algorithm.name === 'ecdsa') {
    if (key.kind !== 'ec') mismatch(algorithm, key.kind);
    const { curve, scalarLength } = nistCurve(key.curve);
    requireLength(key.scalar, [scalarLength], 'invalid_key', `${key.curve} private key`);
    if (!curve.utils.isValidSecretKey(key.scalar)) {
      throw new CryptoError('invalid_key', `${key.curve}: private scalar out of range`);
    }
    const digest = hash(algorithm.hash, message);
    // Hedged RFC 6979 nonces (§3.6 extra entropy): deterministic signing alone
    // is exposed to fault attacks. Low-S output is what every verifier accepts.
    return guard('invalid_key', 'ECDSA sign', () =>
      curve.sign(digest, key.scalar, {
        prehash: false,
        format: 'der',
        lowS: true,
        extraEntropy: true,
      }),
    );
  }
  if (algorithm.name === 'ed25519') {
    if (key.kind !== 'ed25519') mismatch(algorithm, key.kind);
    requireLength(key.seed, [32], 'invalid_key', 'Ed25519 seed');
    return guard('invalid_key', 'Ed25519 sign', () => ed25519.sign(message, key.seed));
  }
  if (algorithm.name === 'rsa-pss') {
    if (key.kind !== 'rsa') mismatch(algorithm, key.kind);
    return signPss(algorithm.hash, algorithm.saltLength, key, message);
  }
  if (algorithm.name === 'rsa-pkcs1') {
    if (key.kind !== 'rsa') mismatch(algorithm, key.kind);
    return signPkcs1(algorithm.hash, key, message);
  }
  throw new CryptoError(
    'unsupported',
    `cannot sign with ${String((algorithm as { name: unknown }).name)}`,
  );
}

/**
 * Verifies a signature: false for a bad signature, CryptoError for a key that
 * cannot be used (wrong kind, not on its curve, out-of-range RSA parameters).
 */
export function verify(
  algorithm: SignatureAlgorithm,
  key: PublicKey,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  switch (algorithm.name) {
    case 'ecdsa': {
      if (key.kind !== 'ec') mismatch(algorithm, key.kind);
      const { curve } = nistCurve(key.curve);
      // Certificates (RFC 5480 §2.2) and TLS use the uncompressed form; requiring
      // it keeps both providers deciding the same way on the same bytes.
      requireUncompressedPoint(key.curve, key.point);
      guard('invalid_public_key', `${key.curve} public key`, () =>
        curve.Point.fromBytes(key.point),
      );
      const digest = hash(algorithm.hash, message);
      try {
        // lowS: false: OpenSSL, BoringSSL and browsers sign with high S too, and
        // ECDSA (FIPS 186-5 §6.4.2) accepts both; format 'der' as in TLS/X.509.
        return curve.verify(signature, digest, key.point, {
          prehash: false,
          lowS: false,
          format: 'der',
        });
      } catch {
        return false;
      }
    }
    case 'ed25519': {
      if (key.kind !== 'ed25519') mismatch(algorithm, key.kind);
      requireLength(key.key, [32], 'invalid_public_key', 'Ed25519 public key');
      guard('invalid_public_key', 'Ed25519 public key', () =>
        ed25519.Point.fromBytes(key.key, false),
      );
      if (signature.length !== 64) return false;
      try {
        // zip215: false: RFC 8032 §5.1.7 requires canonical encodings of A and R,
        // which ZIP-215 (noble's default) relaxes; OpenSSL follows RFC 8032.
        return ed25519.verify(signature, message, key.key, { zip215: false });
      } catch {
        return false;
      }
    }
    case 'rsa-pss':
      if (key.kind !== 'rsa') mismatch(algorithm, key.kind);
      return verifyPss(algorithm.hash, algorithm.saltLength, key, message, signature);
    case 'rsa-pkcs1':
      if (key.kind !== 'rsa') mismatch(algorithm, key.kind);
      return verifyPkcs1(algorithm.hash, key, message, signature);
    default:
      throw new CryptoError(
        'unsupported',
        `unknown signature algorithm ${String((algorithm as { name: unknown }).name)}`,
      );
  }
}

/**
 * Generates a signing key. RSA generation is refused: finding 1024-bit primes
 * in BigInt takes seconds and a sound prime test is more code than this
 * provider should carry; generate RSA keys with the node provider or OpenSSL.
 */
export function generateSigningKey(kind: SigningKeyKind): {
  privateKey: PrivateKey;
  publicKey: PublicKey;
} {
  if (kind === 'rsa-2048') {
    throw new CryptoError('unsupported', 'the noble provider does not generate RSA keys');
  }
  if (kind === 'ed25519') {
    const { secretKey, publicKey } = ed25519.keygen();
    return { privateKey: { kind, seed: secretKey }, publicKey: { kind, key: publicKey } };
  }
  const { curve } = nistCurve(kind);
  const scalar = curve.utils.randomSecretKey();
  return {
    privateKey: { kind: 'ec', curve: kind, scalar },
    publicKey: { kind: 'ec', curve: kind, point: curve.getPublicKey(scalar, false) },
  };
}
