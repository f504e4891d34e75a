import { rfcLabeled, rfcSlice, rfcText, toHex } from '@x/test-helpers';
import { concatBytes } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { testProviders } from '../test-providers.js';

const rfc8439 = rfcText(8439);
const rfc7714 = rfcText(7714);

describe.each(testProviders())('RFC AEAD and cipher vectors with the $name provider', (p) => {
  it('RFC 8439 §2.8.2: AEAD_CHACHA20_POLY1305 seals the sunscreen text to the published ciphertext and tag', () => {
    const s = rfcSlice(rfc8439, '2.8.2.', '3.  Implementation Advice');
    const nonce = concatBytes(rfcLabeled(s, '32-bit fixed-common part:'), rfcLabeled(s, 'IV:'));
    const sealed = p
      .aead('CHACHA20-POLY1305', rfcLabeled(s, 'Key:'))
      .seal(nonce, rfcLabeled(s, 'Plaintext:'), rfcLabeled(s, 'AAD:'));
    expect(toHex(sealed)).toBe(
      toHex(concatBytes(rfcLabeled(s, 'Ciphertext:'), rfcLabeled(s, 'Tag:'))),
    );
  });

  it('RFC 8439 A.5: decrypts the published message and rejects it with a changed tag', () => {
    const s = rfcSlice(rfc8439, 'A.5.  ChaCha20-Poly1305 AEAD Decryption');
    const aead = p.aead('CHACHA20-POLY1305', rfcLabeled(s, 'The ChaCha20 Key'));
    const body = concatBytes(rfcLabeled(s, 'Ciphertext:'), rfcLabeled(s, 'Received Tag:'));
    const opened = aead.open(rfcLabeled(s, 'The nonce:'), body, rfcLabeled(s, 'The AAD:'));
    expect(new TextDecoder().decode(opened!)).toMatch(/^Internet-Drafts are draft documents/);
    body[body.length - 1]! ^= 1;
    expect(aead.open(rfcLabeled(s, 'The nonce:'), body, rfcLabeled(s, 'The AAD:'))).toBeNull();
  });

  it('RFC 8439 §2.4.2: raw ChaCha20 with counter 1 produces the published ciphertext', () => {
    const s = rfcSlice(rfc8439, '2.4.2.', '2.5.');
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    expect(s).toContain('Key = 00:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:11:12:13:');
    expect(s).toContain('Nonce = (00:00:00:00:00:00:00:4a:00:00:00:00)');
    const nonce = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0x4a, 0, 0, 0, 0);
    const out = p.chacha20(key, 1, nonce, rfcLabeled(s, 'Plaintext Sunscreen:'));
    expect(toHex(out)).toBe(toHex(rfcLabeled(s, 'Ciphertext Sunscreen:')));
  });

  for (const [section, next, alg] of [
    ['16.1.1.', '16.1.2.', 'AES-128-GCM'],
    ['16.2.1.', '16.2.2.', 'AES-256-GCM'],
  ] as const) {
    it(`RFC 7714 §${section} ${alg}: seals the packet to the published ciphertext and tag, and opens it`, () => {
      const s = rfcSlice(rfc7714, section, next);
      const aead = p.aead(alg, rfcLabeled(s, 'Key:'));
      const iv = rfcLabeled(s, 'IV:');
      const sealed = aead.seal(iv, rfcLabeled(s, 'PT:'), rfcLabeled(s, 'AAD:'));
      expect(toHex(sealed)).toBe(toHex(rfcLabeled(s, 'Cipher with tag')));
      expect(toHex(aead.open(iv, sealed, rfcLabeled(s, 'AAD:'))!)).toBe(
        toHex(rfcLabeled(s, 'PT:')),
      );
    });
  }
});
