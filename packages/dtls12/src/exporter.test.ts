import { nobleProvider, nodeProvider, tls12Prf } from '@x/crypto';
import { concatBytes, utf8 } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { DtlsError } from './errors.js';
import { exportKeyingMaterial } from './exporter.js';

describe('keying material exporter (RFC 5705 §4)', () => {
  const ms = new Uint8Array(48).fill(3);
  const cr = new Uint8Array(32).fill(1);
  const sr = new Uint8Array(32).fill(2);
  for (const provider of [nodeProvider, nobleProvider]) {
    it(`${provider.name}: seed is client_random + server_random, plus a length-prefixed context only when given`, () => {
      const exporter = (context: Uint8Array | undefined) =>
        exportKeyingMaterial(provider, 'SHA-256', ms, cr, sr, 'EXPORTER-test', context, 40);
      const prf = (seed: Uint8Array) =>
        tls12Prf(provider, 'SHA-256', ms, 'EXPORTER-test', seed, 40);
      const plain = exporter(undefined);
      expect(plain).toEqual(prf(concatBytes(cr, sr)));
      const empty = exporter(new Uint8Array(0));
      expect(empty).toEqual(prf(concatBytes(cr, sr, Uint8Array.of(0, 0))));
      expect(empty).not.toEqual(plain); // no context ≠ empty context (RFC 5705 §4)
      const ctx = utf8('abc');
      expect(
        exportKeyingMaterial(provider, 'SHA-384', ms, cr, sr, 'EXPORTER-test', ctx, 20),
      ).toEqual(
        tls12Prf(
          provider,
          'SHA-384',
          ms,
          'EXPORTER-test',
          concatBytes(cr, sr, Uint8Array.of(0, 3), ctx),
          20,
        ),
      );
    });
  }

  it('refuses the labels the handshake itself uses', () => {
    for (const label of ['client finished', 'server finished', 'master secret', 'key expansion']) {
      expect(() =>
        exportKeyingMaterial(nodeProvider, 'SHA-256', ms, cr, sr, label, undefined, 12),
      ).toThrow(DtlsError);
    }
  });
});
