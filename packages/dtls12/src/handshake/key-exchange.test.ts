import { nodeProvider } from '@x/crypto';
import { describe, expect, it } from 'vitest';
import { DtlsError } from '../errors.js';
import { checkPeerShare, preMasterSecret } from './key-exchange.js';

describe('ECDHE shares (RFC 8422 §5.1.2, §5.4)', () => {
  it('refuses compressed and malformed points with illegal_parameter', () => {
    const kp = nodeProvider.generateKeyPair('P-256');
    const compressed = Uint8Array.of(2 + (kp.publicKey[64]! & 1), ...kp.publicKey.subarray(1, 33));
    expect(() => checkPeerShare('P-256', compressed)).toThrow(DtlsError);
    expect(() => checkPeerShare('P-384', nodeProvider.generateKeyPair('P-256').publicKey)).toThrow(
      DtlsError,
    );
    expect(() => checkPeerShare('x25519', new Uint8Array(31))).toThrow(DtlsError);
    const err = (() => {
      try {
        checkPeerShare('P-256', compressed);
      } catch (e) {
        return e as DtlsError;
      }
    })();
    expect(err?.alert).toBe(47);
  });

  it('maps an off-curve point or a low-order x25519 key to illegal_parameter', () => {
    const me = nodeProvider.generateKeyPair('P-256');
    const bad = me.publicKey.slice();
    bad[64]! ^= 1; // off the curve
    expect(() => preMasterSecret(nodeProvider, 'P-256', me.privateKey, bad)).toThrow(
      expect.objectContaining({ alert: 47 }),
    );
    const x = nodeProvider.generateKeyPair('x25519');
    expect(() => preMasterSecret(nodeProvider, 'x25519', x.privateKey, new Uint8Array(32))).toThrow(
      expect.objectContaining({ alert: 47 }),
    );
  });

  it('agrees on the secret for a valid share', () => {
    const a = nodeProvider.generateKeyPair('P-384');
    const b = nodeProvider.generateKeyPair('P-384');
    expect(preMasterSecret(nodeProvider, 'P-384', a.privateKey, b.publicKey)).toEqual(
      preMasterSecret(nodeProvider, 'P-384', b.privateKey, a.publicKey),
    );
  });
});
