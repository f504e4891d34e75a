/**
 * The general AES-CCM (ccm.ts) against OpenSSL for the parameter corners the
 * Wycheproof file does not reach: every nonce length 7..13 and tag length 4..16
 * with each key size, and AAD long enough (>= 2^16 - 2^8 bytes) to take the
 * 0xff 0xfe length prefix of RFC 3610 §2.2.
 */
import { createCipheriv } from 'node:crypto';
import { hex, toHex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../errors.js';
import { aesCcm } from './ccm.js';

const seq = (n: number, start = 0) =>
  Uint8Array.from({ length: n }, (_, i) => (start + i * 7) & 0xff);

function opensslCcm(
  key: Uint8Array,
  nonce: Uint8Array,
  tagLength: number,
  pt: Uint8Array,
  aad: Uint8Array,
) {
  const c = createCipheriv(`aes-${key.length * 8}-ccm` as 'aes-128-ccm', key, nonce, {
    authTagLength: tagLength,
  });
  c.setAAD(aad, { plaintextLength: pt.length });
  const ct = new Uint8Array(c.update(pt));
  c.final();
  return new Uint8Array([...ct, ...c.getAuthTag()]);
}

describe('noble general AES-CCM', () => {
  it('RFC 3610 §8 packet vector #1 (13-byte nonce, 8-byte tag, 8-byte header)', () => {
    const ccm = aesCcm(hex('c0c1c2c3c4c5c6c7c8c9cacbcccdcecf'), 8);
    const nonce = hex('00000003020100a0a1a2a3a4a5');
    const sealed = ccm.seal(
      nonce,
      hex('08090a0b0c0d0e0f101112131415161718191a1b1c1d1e'),
      hex('0001020304050607'),
    );
    expect(toHex(sealed)).toBe('588c979a61c663d2f066d0c2c0f989806d5f6b61dac38417e8d12cfdf926e0');
  });

  it('matches OpenSSL for every nonce and tag length and key size', () => {
    for (const keyLength of [16, 24, 32]) {
      const key = seq(keyLength, keyLength);
      for (let nonceLength = 7; nonceLength <= 13; nonceLength++) {
        for (let tagLength = 4; tagLength <= 16; tagLength += 2) {
          const nonce = seq(nonceLength, tagLength);
          const pt = seq(33 + nonceLength, 1);
          const aad = seq(tagLength * 3, 5);
          const expected = opensslCcm(key, nonce, tagLength, pt, aad);
          const ccm = aesCcm(key, tagLength);
          expect(toHex(ccm.seal(nonce, pt, aad))).toBe(toHex(expected));
          expect(toHex(ccm.open(nonce, expected, aad) ?? new Uint8Array(0))).toBe(toHex(pt));
        }
      }
    }
  });

  it('uses the six-byte AAD length prefix from 65280 bytes on', () => {
    const key = seq(16);
    const nonce = seq(12, 3);
    for (const aadLength of [0xfeff, 0xff00, 0x10001]) {
      const aad = seq(aadLength, 9);
      const pt = seq(20);
      expect(toHex(aesCcm(key, 16).seal(nonce, pt, aad))).toBe(
        toHex(opensslCcm(key, nonce, 16, pt, aad)),
      );
    }
  });

  it('bounds the message by the length field: 2^16 - 1 bytes with a 13-byte nonce (L = 2)', () => {
    const ccm = aesCcm(seq(16), 4);
    const nonce = seq(13);
    expect(ccm.seal(nonce, new Uint8Array(0xffff), seq(0)).length).toBe(0xffff + 4);
    expect(() => ccm.seal(nonce, new Uint8Array(0x10000), seq(0))).toThrow(CryptoError);
    expect(ccm.open(nonce, new Uint8Array(0x10000 + 4), seq(0))).toBeNull();
  });

  it('refuses illegal parameters with CryptoError', () => {
    for (const tag of [0, 2, 3, 5, 15, 17, 18])
      expect(() => aesCcm(seq(16), tag)).toThrow(CryptoError);
    expect(() => aesCcm(seq(20), 16)).toThrow(CryptoError);
    for (const n of [0, 6, 14, 16])
      expect(() => aesCcm(seq(16), 16).seal(seq(n), seq(1), seq(0))).toThrow(CryptoError);
  });
});
