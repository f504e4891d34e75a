import { nobleProvider, nodeProvider } from '@x/crypto';
import { hex, rfcSlice, rfcText, toHex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { deriveSessionKey, deriveSessionKeys, SRTP_LABEL } from './kdf.js';

const b3 = rfcSlice(rfcText(3711), 'B.3.  Key Derivation Test Vectors');

/** `name:  HEX` in RFC 3711 B.3 (first occurrence). */
function field(name: string): Uint8Array {
  const m = new RegExp(`${name}:\\s+([0-9A-F]+)`).exec(b3);
  if (!m) throw new Error(`RFC 3711 B.3: no ${name}`);
  return hex(m[1]!);
}

/** The auth key: the left column of the table under "auth key   AES input blocks". */
function authKey(): Uint8Array {
  const lines = b3.split('\n');
  const at = lines.findIndex((l) => /^\s+auth key\s+AES input blocks/.test(l));
  let h = '';
  for (const line of lines.slice(at + 1)) {
    const m = /^\s+([0-9A-F]+)\s+0EC675/.exec(line);
    if (!m) break;
    h += m[1];
  }
  return hex(h);
}

describe('RFC 3711 §4.3 key derivation (AES-CM PRF, kdr 0)', () => {
  for (const provider of [nodeProvider, nobleProvider]) {
    it(`derives the Appendix B.3 cipher key, salt and 94-byte auth key (${provider.name})`, () => {
      const mk = field('master key');
      const ms = field('master salt');
      expect(toHex(deriveSessionKey(provider, mk, ms, SRTP_LABEL.rtpEncryption, 16))).toBe(
        toHex(field('cipher key')),
      );
      expect(toHex(deriveSessionKey(provider, mk, ms, SRTP_LABEL.rtpSalt, 14))).toBe(
        toHex(field('cipher salt')),
      );
      const auth = authKey();
      expect(auth.length).toBe(94);
      expect(toHex(deriveSessionKey(provider, mk, ms, SRTP_LABEL.rtpAuthentication, 94))).toBe(
        toHex(auth),
      );
    });
  }

  it('derives SRTCP keys with labels 3..5, distinct from the SRTP ones', () => {
    const mk = field('master key');
    const ms = field('master salt');
    const lengths = { key: 16, salt: 14, auth: 20 };
    const rtp = deriveSessionKeys(nodeProvider, mk, ms, 'rtp', lengths);
    const rtcp = deriveSessionKeys(nodeProvider, mk, ms, 'rtcp', lengths);
    expect(toHex(rtp.encryptionKey)).toBe(toHex(field('cipher key')));
    expect(toHex(rtcp.encryptionKey)).not.toBe(toHex(rtp.encryptionKey));
    expect(toHex(rtcp.salt)).toBe(toHex(deriveSessionKey(nodeProvider, mk, ms, 5, 14)));
    expect(rtcp.authenticationKey.length).toBe(20);
  });
});
