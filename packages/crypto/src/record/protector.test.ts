import {
  hex,
  rfc8448Steps,
  rfcHexBlockAfter,
  rfcSlice,
  rfcText,
  rfcValue,
  toHex,
} from '@x/test-helpers';
import { concatBytes } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hkdfExpandLabel } from '../kdf/expand-label.js';
import { hkdfExtract } from '../kdf/hkdf.js';
import type { CryptoProvider } from '../provider.js';
import { testProviders } from '../providers/test-providers.js';
import { providerAead } from '../suites/aead-factory.js';
import { createRecordProtector } from './protector.js';

const rfc9001 = rfcText(9001);
const none = new Uint8Array(0);

function quicKeys(p: CryptoProvider, secret: Uint8Array, keyLength: number) {
  return {
    key: hkdfExpandLabel(p, 'SHA-256', secret, 'quic key', none, keyLength),
    iv: hkdfExpandLabel(p, 'SHA-256', secret, 'quic iv', none, 12),
    hp: hkdfExpandLabel(p, 'SHA-256', secret, 'quic hp', none, keyLength),
  };
}

function initialSecret(p: CryptoProvider, label: 'client in' | 'server in'): Uint8Array {
  const salt = rfcValue(rfcSlice(rfc9001, '5.2.  Initial Secrets', '5.3.'), 'initial_salt');
  const initial = hkdfExtract(p, 'SHA-256', salt, hex('8394c8f03e515708'));
  return hkdfExpandLabel(p, 'SHA-256', initial, label, none, 32);
}

/** RFC 9001 §5.4.1: mask the low bits of byte 0 and the packet number bytes. */
function applyHeaderProtection(
  header: Uint8Array,
  mask: Uint8Array,
  pnOffset: number,
  pnLength: number,
): Uint8Array {
  const out = header.slice();
  out[0]! ^= mask[0]! & ((out[0]! & 0x80) !== 0 ? 0x0f : 0x1f);
  for (let i = 0; i < pnLength; i++) out[pnOffset + i]! ^= mask[1 + i]!;
  return out;
}

describe.each(testProviders())('RecordProtector with the $name provider', (p) => {
  it('protects the RFC 9001 A.2 client Initial byte for byte (AES-128-GCM + AES header protection)', () => {
    const a2 = rfcSlice(rfc9001, 'A.2.  Client Initial', 'A.3.  Server Initial');
    const k = quicKeys(p, initialSecret(p, 'client in'), 16);
    const frames = rfcHexBlockAfter(a2, '1162-byte payload:');
    const payload = new Uint8Array(1162);
    payload.set(frames);
    const header = rfcHexBlockAfter(a2, 'packet number of 2:');
    const sealed = createRecordProtector(p, providerAead('AES-128-GCM'), k.key, k.iv).seal(
      2,
      header,
      payload,
    );
    const sample = sealed.subarray(0, 16);
    expect(toHex(sample)).toBe(toHex(rfcValue(a2, 'sample')));
    const mask = p.aesBlock(k.hp).encryptBlock(sample);
    const packet = concatBytes(applyHeaderProtection(header, mask, 18, 4), sealed);
    expect(toHex(packet)).toBe(toHex(rfcHexBlockAfter(a2, 'The resulting protected packet is:')));
  });

  it('protects the RFC 9001 A.3 server Initial and opens it again', () => {
    const a3 = rfcSlice(rfc9001, 'A.3.  Server Initial', 'A.4.  Retry');
    const k = quicKeys(p, initialSecret(p, 'server in'), 16);
    const payload = rfcHexBlockAfter(a3, 'and no PADDING frames:');
    const header = rfcHexBlockAfter(a3, 'packet number of 1:');
    const protector = createRecordProtector(p, providerAead('AES-128-GCM'), k.key, k.iv);
    const sealed = protector.seal(1, header, payload);
    // Two-byte packet number: the sample starts 4 - 2 = 2 bytes into the payload.
    const mask = p.aesBlock(k.hp).encryptBlock(sealed.subarray(2, 18));
    const packet = concatBytes(applyHeaderProtection(header, mask, 18, 2), sealed);
    expect(toHex(packet)).toBe(toHex(rfcHexBlockAfter(a3, 'The final protected packet is then:')));
    expect(toHex(protector.open(1, header, sealed)!)).toBe(toHex(payload));
    expect(protector.open(2, header, sealed)).toBeNull();
  });

  it('protects the RFC 9001 A.5 short-header packet (ChaCha20-Poly1305 + ChaCha20 header protection)', () => {
    const a5 = rfcSlice(rfc9001, 'A.5.  ChaCha20-Poly1305', 'Appendix B.');
    const k = quicKeys(p, rfcValue(a5, 'secret'), 32);
    const pn = Number(/pn\s+= (\d+)/.exec(a5)![1]);
    const header = rfcValue(a5, 'unprotected header');
    const protector = createRecordProtector(p, providerAead('CHACHA20-POLY1305'), k.key, k.iv);
    const sealed = protector.seal(pn, header, rfcValue(a5, 'payload plaintext'));
    expect(toHex(sealed)).toBe(toHex(rfcValue(a5, 'payload ciphertext')));
    const sample = sealed.subarray(1, 17);
    const counter = new DataView(sample.buffer, sample.byteOffset).getUint32(0, true);
    const mask = p.chacha20(k.hp, counter, sample.subarray(4, 16), new Uint8Array(5));
    expect(toHex(mask)).toBe(toHex(rfcValue(a5, 'mask')));
    const packet = concatBytes(applyHeaderProtection(header, mask, 1, 3), sealed);
    expect(toHex(packet)).toBe(toHex(rfcValue(a5, 'packet')));
  });

  it('seals and opens every encrypted record of the RFC 8448 §3 trace', () => {
    const steps = rfc8448Steps(
      rfcSlice(rfcText(8448), '3.  Simple 1-RTT Handshake', '4.  Resumed 0-RTT Handshake'),
    );
    const write = new Map<string, { key: Uint8Array; iv: Uint8Array; seq: number }>();
    const innerType: Record<string, number> = {
      handshake: 0x16,
      application_data: 0x17,
      alert: 0x15,
    };
    let records = 0;
    for (const s of steps) {
      const keys = /^derive (read|write) traffic keys for \w+ data$/.exec(s.title);
      if (keys && s.fields.has('key expanded')) {
        const owner = keys[1] === 'write' ? s.actor : s.actor === 'client' ? 'server' : 'client';
        write.set(owner, {
          key: s.fields.get('key expanded')!,
          iv: s.fields.get('iv expanded')!,
          seq: 0,
        });
        continue;
      }
      const send = /^send (\w+) record$/.exec(s.title);
      const record = s.fields.get('complete record');
      if (!send || !record || record[0] !== 0x17) continue;
      const k = write.get(s.actor)!;
      const protector = createRecordProtector(p, providerAead('AES-128-GCM'), k.key, k.iv);
      const inner = concatBytes(s.fields.get('payload')!, Uint8Array.of(innerType[send[1]!]!));
      const header = record.subarray(0, 5);
      expect(toHex(protector.seal(k.seq, header, inner)), `${s.actor} ${s.title}`).toBe(
        toHex(record.subarray(5)),
      );
      expect(toHex(protector.open(k.seq, header, record.subarray(5))!)).toBe(toHex(inner));
      // sealInto builds the same record in place: header, then the inner plaintext sealed over itself.
      const built = new Uint8Array(record.length);
      built.set(header, 0);
      built.set(inner, 5);
      const n = protector.sealInto(k.seq, header, built.subarray(5, 5 + inner.length), built, 5);
      expect(n).toBe(record.length - 5);
      expect(toHex(built)).toBe(toHex(record));
      k.seq++;
      records++;
    }
    expect(records).toBe(7);
  });

  it("carries the RFC 5288 explicit nonce for TLS 1.2 GCM and reads the peer's", () => {
    const key = p.randomBytes(16);
    const salt = p.randomBytes(4);
    const protector = createRecordProtector(p, providerAead('AES-128-GCM'), key, salt, {
      explicitNonceLength: 8,
    });
    const aad = hex('0000000000000001170303');
    const body = protector.seal(0x0001000000000005, aad, hex('68656c6c6f'));
    expect(toHex(body.subarray(0, 8))).toBe('0001000000000005');
    expect(body.length).toBe(8 + 5 + 16);
    // The nonce is salt || explicit: check against a direct AEAD call.
    const direct = p
      .aead('AES-128-GCM', key)
      .seal(concatBytes(salt, body.subarray(0, 8)), hex('68656c6c6f'), aad);
    expect(toHex(body.subarray(8))).toBe(toHex(direct));
    // A receiver uses the explicit nonce in the record, whatever sequence it tracks.
    expect(toHex(protector.open(7, aad, body)!)).toBe('68656c6c6f');
    expect(protector.open(7, aad, body.subarray(0, 20))).toBeNull();
    // sealInto: same body, written after the plaintext that sat at the body offset.
    const into = new Uint8Array(3 + body.length);
    into.set(hex('68656c6c6f'), 3 + 8);
    const n = protector.sealInto(0x0001000000000005, aad, into.subarray(11, 16), into, 3);
    expect(n).toBe(body.length);
    expect(toHex(into.subarray(3))).toBe(toHex(body));
  });

  it('sealInto falls back to seal for a user AEAD without sealInto', () => {
    const inner = p.aead('AES-128-GCM', p.randomBytes(16));
    const factory = {
      ...providerAead('AES-128-GCM'),
      create: () => ({
        algorithm: inner.algorithm,
        keyLength: inner.keyLength,
        nonceLength: inner.nonceLength,
        tagLength: inner.tagLength,
        seal: inner.seal.bind(inner),
        open: inner.open.bind(inner),
      }),
    };
    const iv = p.randomBytes(12);
    const user = createRecordProtector(p, factory, new Uint8Array(16), iv);
    const aad = hex('1703030015');
    const expected = user.seal(9, aad, hex('0102030417'));
    const out = new Uint8Array(2 + expected.length);
    expect(user.sealInto(9, aad, hex('0102030417'), out, 2)).toBe(expected.length);
    expect(toHex(out.subarray(2))).toBe(toHex(expected));
  });

  it('round-trips and rejects any flipped bit (property)', () => {
    const protector = createRecordProtector(
      p,
      providerAead('AES-256-GCM'),
      p.randomBytes(32),
      p.randomBytes(12),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(),
        (seq, aad, plaintext, flip) => {
          const body = protector.seal(seq, aad, plaintext);
          expect(toHex(protector.open(seq, aad, body)!)).toBe(toHex(plaintext));
          const bad = body.slice();
          const bit = flip % (bad.length * 8);
          bad[bit >> 3]! ^= 1 << (bit & 7);
          expect(protector.open(seq, aad, bad)).toBeNull();
          expect(protector.open(seq + 1, aad, body)).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });
});
