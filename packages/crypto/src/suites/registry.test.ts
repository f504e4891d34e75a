import { describe, expect, it } from 'vitest';
import type { Aead } from '../provider.js';
import { nobleProvider } from '../providers/noble/index.js';
import { createRecordProtector } from '../record/protector.js';
import type { AeadFactory } from './aead-factory.js';
import {
  findCipherSuite,
  getCipherSuite,
  listCipherSuites,
  registerCipherSuite,
  unregisterCipherSuite,
} from './registry.js';

describe('cipher-suite registry', () => {
  it('registers the RFC 8446 TLS 1.3 suites with their code points and hashes', () => {
    expect(listCipherSuites('tls13').map((s) => [s.id, s.name, s.hash])).toEqual([
      [0x1301, 'TLS_AES_128_GCM_SHA256', 'SHA-256'],
      [0x1302, 'TLS_AES_256_GCM_SHA384', 'SHA-384'],
      [0x1303, 'TLS_CHACHA20_POLY1305_SHA256', 'SHA-256'],
      [0x1304, 'TLS_AES_128_CCM_SHA256', 'SHA-256'],
    ]);
  });

  it('registers the DTLS 1.2 suites the WebRTC path needs, with RFC 5288 / RFC 7905 nonce layouts', () => {
    const gcm = getCipherSuite('tls12', 0xc02b)!;
    expect(gcm.name).toBe('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
    expect([gcm.fixedIvLength, gcm.recordIvLength]).toEqual([4, 8]);
    const chacha = findCipherSuite('tls12', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256')!;
    expect([chacha.id, chacha.fixedIvLength, chacha.recordIvLength]).toEqual([0xcca9, 12, 0]);
    expect(getCipherSuite('tls12', 0xc030)!.hash).toBe('SHA-384');
  });

  it('registers the SRTP profiles with RFC 5764 / RFC 7714 key, salt and tag lengths', () => {
    const p = (id: number) => getCipherSuite('srtp', id)!;
    expect([p(1).name, p(1).masterKeyLength, p(1).masterSaltLength, p(1).srtpTagLength]).toEqual([
      'SRTP_AES128_CM_HMAC_SHA1_80',
      16,
      14,
      10,
    ]);
    expect([p(2).srtpTagLength, p(2).srtcpTagLength]).toEqual([4, 10]);
    expect([p(7).name, p(7).masterKeyLength, p(7).masterSaltLength]).toEqual([
      'SRTP_AEAD_AES_128_GCM',
      16,
      12,
    ]);
    expect([p(8).masterKeyLength, p(8).masterSaltLength]).toEqual([32, 12]);
  });

  it('returns nothing for an unknown code point, so it is never offered or accepted', () => {
    expect(getCipherSuite('tls13', 0x13ff)).toBeUndefined();
    expect(getCipherSuite('tls12', 0x0a0a)).toBeUndefined();
  });

  it('lets a user register their own suite with its own AEAD and use it through a RecordProtector', () => {
    // A toy AEAD made of the provider's AES-128-GCM with a reversed nonce: it only
    // has to differ observably from the built-in to prove the user factory is used.
    const calls: string[] = [];
    const reversedNonceGcm: AeadFactory = {
      name: 'X-REVERSED-GCM',
      keyLength: 16,
      nonceLength: 12,
      tagLength: 16,
      create(provider, key): Aead {
        const inner = provider.aead('AES-128-GCM', key);
        return {
          ...inner,
          algorithm: 'X-REVERSED-GCM',
          seal: (n, pt, aad) => {
            calls.push('seal');
            return inner.seal(n.slice().reverse(), pt, aad);
          },
          open: (n, ct, aad) => {
            calls.push('open');
            return inner.open(n.slice().reverse(), ct, aad);
          },
        };
      },
    };
    registerCipherSuite({
      family: 'tls13',
      id: 0xfe01,
      name: 'TLS_X_REVERSED_GCM_SHA256',
      hash: 'SHA-256',
      aead: reversedNonceGcm,
      headerProtection: 'aes',
    });
    try {
      const suite = getCipherSuite('tls13', 0xfe01)!;
      expect(listCipherSuites('tls13').at(-1)!.name).toBe('TLS_X_REVERSED_GCM_SHA256');
      const key = new Uint8Array(16).fill(7);
      const iv = new Uint8Array(12).fill(1);
      const ours = createRecordProtector(nobleProvider, suite.aead, key, iv);
      const body = ours.seal(3, new Uint8Array(0), new TextEncoder().encode('custom'));
      expect(new TextDecoder().decode(ours.open(3, new Uint8Array(0), body)!)).toBe('custom');
      const builtin = createRecordProtector(
        nobleProvider,
        getCipherSuite('tls13', 0x1301)!.aead,
        key,
        iv,
      );
      expect(builtin.open(3, new Uint8Array(0), body)).toBeNull();
      expect(calls).toEqual(['seal', 'open']);
    } finally {
      unregisterCipherSuite('tls13', 0xfe01);
    }
    expect(getCipherSuite('tls13', 0xfe01)).toBeUndefined();
  });

  it('rejects a code point outside 16 bits', () => {
    expect(() => registerCipherSuite({ ...getCipherSuite('tls13', 0x1301)!, id: 0x10000 })).toThrow(
      RangeError,
    );
  });
});
