import { type CryptoProvider, getCipherSuite, nobleProvider, nodeProvider } from '@x/crypto';
import { rfcHexBlockAfter, rfcLabeled, rfcSlice, rfcText, toHex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { aesGcmTransform, gcmIv } from './aes-gcm.js';
import { readU32 } from './bytes.js';

const rfc = rfcText(7714);
const section = (from: string, to: string) => rfcSlice(rfc, from, to);
const rtpIntro = section('16.  Some RTP Test Vectors', '16.1.  SRTP');
const rtpPacket = rfcHexBlockAfter(rtpIntro, 'based upon the same RTP packet');

function cipher(provider: CryptoProvider, text: string, profileId: number, encrypt: boolean) {
  const profile = getCipherSuite('srtp', profileId)!;
  const keys = {
    encryptionKey: rfcLabeled(text, 'Key:'),
    salt: rfcLabeled(text, 'salt:'),
    authenticationKey: new Uint8Array(0),
  };
  expect(keys.encryptionKey.length).toBe(profile.masterKeyLength);
  return aesGcmTransform.create(provider, profile, keys, { mki: new Uint8Array(0), encrypt });
}

const rtpFields = (p: Uint8Array) => ({ ssrc: readU32(p, 8), seq: (p[2]! << 8) | p[3]! });

describe('RFC 7714 §16 SRTP AES-GCM vectors', () => {
  it('forms the §16 IV from salt, SSRC, ROC and SEQ', () => {
    const text = section('16.1.1.  SRTP', '16.1.2.');
    const iv = new Uint8Array(12);
    const { ssrc, seq } = rtpFields(rtpPacket);
    gcmIv(rfcLabeled(text, 'salt:'), ssrc, 0, seq, iv);
    expect(toHex(iv)).toBe(toHex(rfcLabeled(text, 'IV:')));
  });

  const cases = [
    { name: 'AES_128', id: 7, sub: '16.1', next: '16.2.  SRTP' },
    { name: 'AES_256', id: 8, sub: '16.2', next: '17.  RTCP' },
  ];
  for (const provider of [nodeProvider, nobleProvider]) {
    for (const c of cases) {
      const part = (n: number, to: string) =>
        section(`${c.sub}.${n}.  SRTP AEAD_${c.name}_GCM`, to);
      const enc = part(1, `${c.sub}.2.`);
      const dec = part(2, `${c.sub}.3.`);
      const tag = part(3, `${c.sub}.4.`);
      const ver = part(4, c.next);

      it(`${c.sub}.1 encrypts byte for byte (${c.name}, ${provider.name})`, () => {
        const packet = rfcHexBlockAfter(enc, 'Encrypting the following packet');
        const out = new Uint8Array(packet.length + 16);
        const { ssrc, seq } = rtpFields(packet);
        const n = cipher(provider, enc, c.id, true).protectRtp(packet, 12, out, ssrc, 0, seq);
        expect(toHex(out.subarray(0, n))).toBe(
          toHex(rfcHexBlockAfter(enc, 'Encrypted and tagged packet')),
        );
      });

      it(`${c.sub}.2 verifies and decrypts, and rejects a flipped bit (${c.name}, ${provider.name})`, () => {
        const packet = rfcHexBlockAfter(dec, 'Decrypting the following packet');
        const out = new Uint8Array(packet.length);
        const { ssrc, seq } = rtpFields(packet);
        const gcm = cipher(provider, dec, c.id, true);
        const n = gcm.unprotectRtp(packet, 12, out, ssrc, 0, seq);
        expect(toHex(out.subarray(12, n))).toBe(
          toHex(rfcHexBlockAfter(dec, 'Verified and tagged packet')),
        );
        expect(toHex(out.subarray(0, n))).toBe(toHex(rtpPacket));
        for (const at of [1, 20, packet.length - 1]) {
          const bad = packet.slice();
          bad[at]! ^= 0x04;
          expect(gcm.unprotectRtp(bad, 12, out, ssrc, 0, seq)).toBe(-1);
        }
        // The wrong ROC means the wrong IV: it must not authenticate either.
        expect(gcm.unprotectRtp(packet, 12, out, ssrc, 1, seq)).toBe(-1);
      });

      it(`${c.sub}.3 tags without encrypting (${c.name}, ${provider.name})`, () => {
        const packet = rfcHexBlockAfter(tag, 'Tagging the following packet');
        const out = new Uint8Array(packet.length + 16);
        const { ssrc, seq } = rtpFields(packet);
        const n = cipher(provider, tag, c.id, false).protectRtp(packet, 12, out, ssrc, 0, seq);
        expect(toHex(out.subarray(0, n))).toBe(toHex(rfcHexBlockAfter(tag, 'Tagged packet')));
      });

      it(`${c.sub}.4 verifies a tag-only packet (${c.name}, ${provider.name})`, () => {
        const packet = rfcHexBlockAfter(ver, 'Verifying the following packet');
        const out = new Uint8Array(packet.length);
        const { ssrc, seq } = rtpFields(packet);
        const gcm = cipher(provider, ver, c.id, false);
        const n = gcm.unprotectRtp(packet, 12, out, ssrc, 0, seq);
        expect(toHex(out.subarray(0, n))).toBe(toHex(rtpPacket));
        const bad = packet.slice();
        bad[30]! ^= 1;
        expect(gcm.unprotectRtp(bad, 12, out, ssrc, 0, seq)).toBe(-1);
      });
    }
  }
});

describe('RFC 7714 §17 SRTCP AES-GCM vectors', () => {
  const intro = section('17.  RTCP Test Vectors', '17.1.  SRTCP');
  const index = Number.parseInt(/SRTCP index ([0-9a-f]{8})/.exec(intro)![1]!, 16);
  const s171 = section('17.1.  SRTCP', '17.2.  SRTCP');
  const s172 = section('17.2.  SRTCP', '17.3.  SRTCP');
  const s173 = section('17.3.  SRTCP', '17.4.  SRTCP');
  const s174 = section('17.4.  SRTCP', '18.  References');
  const ssrcOf = (p: Uint8Array) => readU32(p, 4);

  for (const provider of [nodeProvider, nobleProvider]) {
    it(`17.1 encrypts and tags with E = 1 and index ${index} (${provider.name})`, () => {
      const packet = rfcHexBlockAfter(s171, 'Encrypting the following packet');
      const out = new Uint8Array(packet.length + 20);
      const gcm = cipher(provider, s171, 7, true);
      const n = gcm.protectRtcp(packet, out, ssrcOf(packet), index);
      expect(toHex(out.subarray(0, n))).toBe(
        toHex(rfcHexBlockAfter(s171, 'Encrypted and tagged packet')),
      );
    });

    it(`17.2 verifies and decrypts AES-256 (${provider.name})`, () => {
      const packet = rfcHexBlockAfter(s172, 'Decrypting the following packet');
      const out = new Uint8Array(packet.length);
      const gcm = cipher(provider, s172, 8, true);
      const at = packet.length - 4;
      expect(readU32(packet, at)).toBe((0x80000000 | index) >>> 0);
      const n = gcm.unprotectRtcp(packet, out, ssrcOf(packet), index, true, at);
      expect(toHex(out.subarray(0, n))).toBe(
        toHex(rfcHexBlockAfter(s172, 'Verified and decrypted packet')),
      );
      const bad = packet.slice();
      bad[10]! ^= 0x80;
      expect(gcm.unprotectRtcp(bad, out, ssrcOf(packet), index, true, at)).toBe(-1);
    });

    it(`17.3 tags only, with E = 0 (${provider.name})`, () => {
      const packet = rfcHexBlockAfter(s173, 'Tagging the following packet');
      const out = new Uint8Array(packet.length + 20);
      const gcm = cipher(provider, s173, 7, false);
      const n = gcm.protectRtcp(packet, out, ssrcOf(packet), index);
      expect(toHex(out.subarray(0, n))).toBe(toHex(rfcHexBlockAfter(s173, 'Tagged packet')));
    });

    it(`17.4 verifies an AES-256 tag-only packet (${provider.name})`, () => {
      const packet = rfcHexBlockAfter(s174, 'Verifying the following packet');
      const out = new Uint8Array(packet.length);
      const gcm = cipher(provider, s174, 8, true);
      const at = packet.length - 4;
      const n = gcm.unprotectRtcp(packet, out, ssrcOf(packet), index, false, at);
      expect(toHex(out.subarray(0, n))).toBe(
        toHex(rfcHexBlockAfter(s173, 'Tagging the following packet')),
      );
      expect(gcm.unprotectRtcp(packet, out, ssrcOf(packet), index + 1, false, at)).toBe(-1);
    });
  }
});
