import { getCipherSuite, listCipherSuites, nobleProvider, nodeProvider, tls12Prf } from '@x/crypto';
import { concatBytes, utf8 } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { DtlsError } from './errors.js';
import { exportKeyingMaterial } from './exporter.js';
import {
  DTLS_SRTP_EXPORTER_LABEL,
  deriveSrtpKeyingMaterial,
  srtpKeyingMaterialLength,
} from './srtp-keying.js';

describe('DTLS-SRTP keying (RFC 5764 §4.2)', () => {
  it('asks the exporter for 2*(key+salt) bytes per profile: 60 AES-CM, 56 AES-128-GCM, 88 AES-256-GCM', () => {
    const lengths = Object.fromEntries(
      listCipherSuites('srtp').map((p) => [p.name, srtpKeyingMaterialLength(p)]),
    );
    expect(lengths).toEqual({
      SRTP_AEAD_AES_128_GCM: 56,
      SRTP_AEAD_AES_256_GCM: 88,
      SRTP_AES128_CM_HMAC_SHA1_80: 60,
      SRTP_AES128_CM_HMAC_SHA1_32: 60,
    });
  });

  it('splits client key | server key | client salt | server salt, with the EXTRACTOR-dtls_srtp label and no context', () => {
    const calls: unknown[] = [];
    const exporter = {
      exportKeyingMaterial(label: string, context: Uint8Array | undefined, length: number) {
        calls.push([label, context, length]);
        return Uint8Array.from({ length }, (_, i) => i);
      },
    };
    const m = deriveSrtpKeyingMaterial(exporter, 0x0007);
    expect(calls).toEqual([[DTLS_SRTP_EXPORTER_LABEL, undefined, 56]]);
    expect(m.profile).toBe(getCipherSuite('srtp', 7));
    expect(m.clientWriteKey[0]).toBe(0);
    expect(m.serverWriteKey[0]).toBe(16);
    expect(m.clientWriteSalt[0]).toBe(32);
    expect(m.serverWriteSalt[0]).toBe(44);
    expect(m.serverWriteSalt.length).toBe(12);
  });
});

describe('keying material exporter (RFC 5705 §4)', () => {
  const ms = new Uint8Array(48).fill(3);
  const cr = new Uint8Array(32).fill(1);
  const sr = new Uint8Array(32).fill(2);
  for (const provider of [nodeProvider, nobleProvider]) {
    it(`${provider.name}: seed is client_random + server_random, plus a length-prefixed context only when given`, () => {
      const plain = exportKeyingMaterial(
        provider,
        'SHA-256',
        ms,
        cr,
        sr,
        'EXPORTER-test',
        undefined,
        40,
      );
      expect(plain).toEqual(
        tls12Prf(provider, 'SHA-256', ms, 'EXPORTER-test', concatBytes(cr, sr), 40),
      );
      const empty = exportKeyingMaterial(
        provider,
        'SHA-256',
        ms,
        cr,
        sr,
        'EXPORTER-test',
        new Uint8Array(0),
        40,
      );
      expect(empty).toEqual(
        tls12Prf(
          provider,
          'SHA-256',
          ms,
          'EXPORTER-test',
          concatBytes(cr, sr, Uint8Array.of(0, 0)),
          40,
        ),
      );
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
