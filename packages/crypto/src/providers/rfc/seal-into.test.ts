import { rfcLabeled, rfcSlice, rfcText, toHex } from '@x/test-helpers';
import { concatBytes } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../errors.js';
import { AEAD_SPECS, type AeadAlgorithm } from '../../provider.js';
import { testProviders } from '../test-providers.js';

const rfc7714 = rfcText(7714);
const rfc8439 = rfcText(8439);

describe.each(testProviders())('Aead.sealInto with the $name provider', (p) => {
  it('RFC 7714 §16.1.1: writes the published ciphertext and tag at an offset, leaving the rest alone', () => {
    const s = rfcSlice(rfc7714, '16.1.1.', '16.1.2.');
    const aead = p.aead('AES-128-GCM', rfcLabeled(s, 'Key:'));
    const pt = rfcLabeled(s, 'PT:');
    const out = new Uint8Array(7 + pt.length + 16 + 3).fill(0xee);
    const n = aead.sealInto!(rfcLabeled(s, 'IV:'), pt, rfcLabeled(s, 'AAD:'), out, 7);
    expect(n).toBe(pt.length + 16);
    expect(toHex(out.subarray(7, 7 + n))).toBe(toHex(rfcLabeled(s, 'Cipher with tag')));
    expect([...out.subarray(0, 7), ...out.subarray(7 + n)].every((b) => b === 0xee)).toBe(true);
  });

  it('RFC 8439 §2.8.2: seals in place (plaintext already at the output offset) to the published bytes', () => {
    const s = rfcSlice(rfc8439, '2.8.2.', '3.  Implementation Advice');
    const nonce = concatBytes(rfcLabeled(s, '32-bit fixed-common part:'), rfcLabeled(s, 'IV:'));
    const pt = rfcLabeled(s, 'Plaintext:');
    const buf = new Uint8Array(5 + pt.length + 16);
    buf.set(pt, 5);
    const aead = p.aead('CHACHA20-POLY1305', rfcLabeled(s, 'Key:'));
    aead.sealInto!(nonce, buf.subarray(5, 5 + pt.length), rfcLabeled(s, 'AAD:'), buf, 5);
    expect(toHex(buf.subarray(5))).toBe(
      toHex(concatBytes(rfcLabeled(s, 'Ciphertext:'), rfcLabeled(s, 'Tag:'))),
    );
  });

  for (const alg of Object.keys(AEAD_SPECS) as AeadAlgorithm[]) {
    it(`${alg}: sealInto equals seal (odd lengths, in place) and refuses an output that is too short`, () => {
      const spec = AEAD_SPECS[alg];
      const aead = p.aead(
        alg,
        Uint8Array.from({ length: spec.keyLength }, (_, i) => i * 7),
      );
      const nonce = Uint8Array.from({ length: spec.nonceLength }, (_, i) => 100 + i);
      const aad = Uint8Array.of(23, 3, 3, 0x40, 0x11);
      for (const len of [0, 1, 15, 17, 1000]) {
        const pt = Uint8Array.from({ length: len }, (_, i) => i ^ 0x5a);
        const expected = toHex(aead.seal(nonce, pt, aad));
        const buf = new Uint8Array(3 + len + spec.tagLength);
        buf.set(pt, 3);
        aead.sealInto!(nonce, buf.subarray(3, 3 + len), aad, buf, 3);
        expect(toHex(buf.subarray(3))).toBe(expected);
        expect(toHex(aead.open(nonce, buf.subarray(3), aad)!)).toBe(toHex(pt));
      }
      const short = new Uint8Array(10 + spec.tagLength - 1);
      expect(() => aead.sealInto!(nonce, new Uint8Array(10), aad, short, 0)).toThrow(CryptoError);
    });
  }
});
