/** ECDHE policy of the noble provider: key shapes, agreement, and what it refuses. */
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../errors.js';
import type { EcdheGroup } from '../../provider.js';
import { nobleProvider as p } from './index.js';

function expectCode(op: () => unknown, code: string): void {
  let thrown: unknown;
  try {
    op();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(CryptoError);
  expect((thrown as CryptoError).code).toBe(code);
}

const SIZES: Record<EcdheGroup, { priv: number; pub: number }> = {
  x25519: { priv: 32, pub: 32 },
  'P-256': { priv: 32, pub: 65 },
  'P-384': { priv: 48, pub: 97 },
};

describe.each(Object.keys(SIZES) as EcdheGroup[])('noble ECDHE %s', (group) => {
  const size = SIZES[group];

  it('generates raw keys of the wire sizes and both sides agree', () => {
    const a = p.generateKeyPair(group);
    const b = p.generateKeyPair(group);
    expect([a.privateKey.length, a.publicKey.length]).toEqual([size.priv, size.pub]);
    if (group !== 'x25519') expect(a.publicKey[0]).toBe(0x04);
    const ab = p.deriveSharedSecret(group, a.privateKey, b.publicKey);
    expect(ab.length).toBe(size.priv);
    expect(ab).toEqual(p.deriveSharedSecret(group, b.privateKey, a.publicKey));
  });

  it('rejects wrong lengths of either key with CryptoError', () => {
    const { privateKey, publicKey } = p.generateKeyPair(group);
    expectCode(() => p.deriveSharedSecret(group, privateKey.subarray(1), publicKey), 'invalid_key');
    expectCode(
      () => p.deriveSharedSecret(group, privateKey, publicKey.subarray(1)),
      'invalid_public_key',
    );
    expectCode(
      () => p.deriveSharedSecret(group, privateKey, new Uint8Array(0)),
      'invalid_public_key',
    );
  });
});

describe('noble ECDHE rejections', () => {
  it('X25519: a low-order point (u = 0, 1) gives low_order_point', () => {
    const { privateKey } = p.generateKeyPair('x25519');
    const one = new Uint8Array(32);
    one[0] = 1;
    expectCode(
      () => p.deriveSharedSecret('x25519', privateKey, new Uint8Array(32)),
      'low_order_point',
    );
    expectCode(() => p.deriveSharedSecret('x25519', privateKey, one), 'low_order_point');
  });

  it('P-256: compressed, hybrid, identity and off-curve points are invalid_public_key', () => {
    const { privateKey } = p.generateKeyPair('P-256');
    const peer = p.generateKeyPair('P-256').publicKey;
    const compressed = p256.Point.fromBytes(peer).toBytes(true);
    expectCode(() => p.deriveSharedSecret('P-256', privateKey, compressed), 'invalid_public_key');
    const hybrid = Uint8Array.from(peer);
    hybrid[0] = 0x06 | (peer[64]! & 1);
    expectCode(() => p.deriveSharedSecret('P-256', privateKey, hybrid), 'invalid_public_key');
    expectCode(
      () => p.deriveSharedSecret('P-256', privateKey, Uint8Array.of(0)),
      'invalid_public_key',
    );
    expectCode(
      () => p.deriveSharedSecret('P-256', privateKey, new Uint8Array(65).fill(4, 0, 1)),
      'invalid_public_key',
    );
    const offCurve = Uint8Array.from(peer);
    offCurve[64]! ^= 1;
    expectCode(() => p.deriveSharedSecret('P-256', privateKey, offCurve), 'invalid_public_key');
  });

  it('P-384: a zero or too-large scalar is invalid_key', () => {
    const peer = p.generateKeyPair('P-384').publicKey;
    expectCode(() => p.deriveSharedSecret('P-384', new Uint8Array(48), peer), 'invalid_key');
    expectCode(
      () => p.deriveSharedSecret('P-384', new Uint8Array(48).fill(0xff), peer),
      'invalid_key',
    );
  });

  it('an unknown group is unsupported', () => {
    expectCode(() => p.generateKeyPair('P-521' as never), 'unsupported');
  });
});
