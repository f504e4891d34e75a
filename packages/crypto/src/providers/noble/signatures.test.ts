/**
 * Signatures of the noble provider, checked against OpenSSL (node:crypto) as an
 * independent implementation: ECDSA with every curve/hash pairing TLS 1.2 can
 * negotiate (the hash is not the curve's own), Ed25519, and RSA verification of
 * OpenSSL-made PSS and PKCS#1 v1.5 signatures.
 */
import {
  constants,
  createPublicKey,
  generateKeyPairSync,
  sign as opensslSign,
  verify as opensslVerify,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../errors.js';
import type { HashAlgorithm, PublicKey } from '../../provider.js';
import { nobleProvider as p } from './index.js';

const HASHES: HashAlgorithm[] = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];
const NODE_HASH: Record<HashAlgorithm, string> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};
const message = new TextEncoder().encode('TLS 1.3, server CertificateVerify');
const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

function nodeEcKey(curve: 'P-256' | 'P-384', point: Uint8Array) {
  const n = curve === 'P-256' ? 32 : 48;
  return createPublicKey({
    key: {
      kty: 'EC',
      crv: curve,
      x: b64url(point.subarray(1, 1 + n)),
      y: b64url(point.subarray(1 + n)),
    },
    format: 'jwk',
  });
}

function rsaKey(bits: number) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const jwk = publicKey.export({ format: 'jwk' });
  const key: PublicKey = {
    kind: 'rsa',
    modulus: new Uint8Array(Buffer.from(jwk.n!, 'base64url')),
    exponent: new Uint8Array(Buffer.from(jwk.e!, 'base64url')),
  };
  return { bits, key, privateKey };
}

describe.each(['P-256', 'P-384'] as const)('noble ECDSA %s', (curve) => {
  const { privateKey, publicKey } = p.generateSigningKey(curve);

  it.each(HASHES)('with %s: verifies its own DER signature, and OpenSSL agrees', (hash) => {
    const sig = p.sign({ name: 'ecdsa', hash }, privateKey, message);
    expect(sig[0]).toBe(0x30);
    expect(p.verify({ name: 'ecdsa', hash }, publicKey, message, sig)).toBe(true);
    if (publicKey.kind !== 'ec') throw new Error('unreachable');
    const key = nodeEcKey(curve, publicKey.point);
    expect(opensslVerify(NODE_HASH[hash], message, { key, dsaEncoding: 'der' }, sig)).toBe(true);
    // And the other way round: OpenSSL's signature (often high-S) verifies here.
    const nodePair = generateKeyPairSync('ec', { namedCurve: curve });
    const jwk = nodePair.publicKey.export({ format: 'jwk' });
    const point = new Uint8Array([
      4,
      ...Buffer.from(jwk.x!, 'base64url'),
      ...Buffer.from(jwk.y!, 'base64url'),
    ]);
    const nodeSig = opensslSign(NODE_HASH[hash], message, {
      key: nodePair.privateKey,
      dsaEncoding: 'der',
    });
    expect(
      p.verify(
        { name: 'ecdsa', hash },
        { kind: 'ec', curve, point },
        message,
        new Uint8Array(nodeSig),
      ),
    ).toBe(true);
  });

  it('returns false for a changed message, a wrong hash or a garbage signature', () => {
    const sig = p.sign({ name: 'ecdsa', hash: 'SHA-256' }, privateKey, message);
    expect(p.verify({ name: 'ecdsa', hash: 'SHA-256' }, publicKey, message.subarray(1), sig)).toBe(
      false,
    );
    expect(p.verify({ name: 'ecdsa', hash: 'SHA-384' }, publicKey, message, sig)).toBe(false);
    expect(p.verify({ name: 'ecdsa', hash: 'SHA-256' }, publicKey, message, sig.subarray(2))).toBe(
      false,
    );
    expect(
      p.verify({ name: 'ecdsa', hash: 'SHA-256' }, publicKey, message, new Uint8Array(0)),
    ).toBe(false);
  });

  it('raises CryptoError for an unusable key', () => {
    if (publicKey.kind !== 'ec') throw new Error('unreachable');
    const sig = p.sign({ name: 'ecdsa', hash: 'SHA-256' }, privateKey, message);
    const offCurve = Uint8Array.from(publicKey.point);
    offCurve[offCurve.length - 1]! ^= 1;
    const bad: PublicKey = { kind: 'ec', curve, point: offCurve };
    expect(() => p.verify({ name: 'ecdsa', hash: 'SHA-256' }, bad, message, sig)).toThrow(
      CryptoError,
    );
    const zero = {
      kind: 'ec',
      curve,
      scalar: new Uint8Array(curve === 'P-256' ? 32 : 48),
    } as const;
    expect(() => p.sign({ name: 'ecdsa', hash: 'SHA-256' }, zero, message)).toThrow(CryptoError);
    expect(() => p.sign({ name: 'ed25519' }, privateKey, message)).toThrow(CryptoError);
    expect(() =>
      p.verify({ name: 'rsa-pss', hash: 'SHA-256', saltLength: 32 }, publicKey, message, sig),
    ).toThrow(CryptoError);
  });
});

describe('noble Ed25519', () => {
  it('signs and verifies, OpenSSL agrees, and a bad signature is false', () => {
    const { privateKey, publicKey } = p.generateSigningKey('ed25519');
    if (publicKey.kind !== 'ed25519') throw new Error('unreachable');
    const sig = p.sign({ name: 'ed25519' }, privateKey, message);
    expect(p.verify({ name: 'ed25519' }, publicKey, message, sig)).toBe(true);
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: b64url(publicKey.key) },
      format: 'jwk',
    });
    expect(opensslVerify(null, message, key, sig)).toBe(true);
    sig[10]! ^= 1;
    expect(p.verify({ name: 'ed25519' }, publicKey, message, sig)).toBe(false);
    expect(p.verify({ name: 'ed25519' }, publicKey, message, sig.subarray(1))).toBe(false);
    expect(() =>
      p.verify({ name: 'ed25519' }, { kind: 'ed25519', key: new Uint8Array(31) }, message, sig),
    ).toThrow(CryptoError);
  });
});

describe('noble RSA verification', () => {
  // 2048 bits as in the web PKI; 1025 bits puts emBits = 1024 on a byte
  // boundary, so EM is one octet shorter than the modulus (RFC 8017 §8.1.2 2c).
  const keys = [rsaKey(2048), rsaKey(1025)];

  it.each(HASHES)(
    'RSASSA-PSS with %s and salt = hash length verifies OpenSSL signatures',
    (hash) => {
      for (const { bits, key, privateKey } of keys) {
        const saltLength = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }[hash];
        // A 1025-bit key has no room for SHA-512 with a 64-byte salt (emLen < hLen + sLen + 2).
        if (2 * saltLength + 2 > Math.ceil((bits - 1) / 8)) continue;
        const sig = new Uint8Array(
          opensslSign(NODE_HASH[hash], message, {
            key: privateKey,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength,
          }),
        );
        const alg = { name: 'rsa-pss', hash, saltLength } as const;
        expect(p.verify(alg, key, message, sig)).toBe(true);
        expect(p.verify({ ...alg, saltLength: saltLength - 1 }, key, message, sig)).toBe(false);
        expect(p.verify(alg, key, message.subarray(1), sig)).toBe(false);
      }
    },
  );

  it.each(HASHES)('RSASSA-PKCS1-v1_5 with %s verifies OpenSSL signatures', (hash) => {
    for (const { key, privateKey } of keys) {
      const sig = new Uint8Array(opensslSign(NODE_HASH[hash], message, privateKey));
      expect(p.verify({ name: 'rsa-pkcs1', hash }, key, message, sig)).toBe(true);
      expect(p.verify({ name: 'rsa-pkcs1', hash }, key, message.subarray(1), sig)).toBe(false);
      // Wrong length: a leading zero added or a byte dropped is not the k-octet signature.
      expect(p.verify({ name: 'rsa-pkcs1', hash }, key, message, new Uint8Array([0, ...sig]))).toBe(
        false,
      );
      expect(p.verify({ name: 'rsa-pkcs1', hash }, key, message, sig.subarray(1))).toBe(false);
    }
  });

  it('rejects a signature >= n, and unusable keys with CryptoError', () => {
    const { key } = keys[0]!;
    if (key.kind !== 'rsa') throw new Error('unreachable');
    const alg = { name: 'rsa-pkcs1', hash: 'SHA-256' } as const;
    const n = key.modulus[0] === 0 ? key.modulus.subarray(1) : key.modulus;
    expect(p.verify(alg, key, message, n)).toBe(false);
    expect(p.verify(alg, key, message, new Uint8Array(n.length).fill(0xff))).toBe(false);
    const even = Uint8Array.from(n);
    even[even.length - 1]! &= 0xfe;
    expect(() => p.verify(alg, { ...key, modulus: even }, message, n)).toThrow(CryptoError);
    expect(() => p.verify(alg, { ...key, exponent: Uint8Array.of(1) }, message, n)).toThrow(
      CryptoError,
    );
    expect(() => p.verify(alg, { ...key, modulus: Uint8Array.of(0xff, 0xf1) }, message, n)).toThrow(
      CryptoError,
    );
    expect(() =>
      p.verify({ name: 'rsa-pss', hash: 'SHA-256', saltLength: -1 }, key, message, n),
    ).toThrow(CryptoError);
  });
});
