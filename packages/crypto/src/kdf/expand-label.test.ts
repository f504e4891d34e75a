import { rfc8448Steps, rfcSlice, rfcText, rfcValue, toHex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { testProviders } from '../providers/test-providers.js';
import { deriveSecret, hkdfExpandLabel } from './expand-label.js';
import { hkdfExtract } from './hkdf.js';

const rfc9001 = rfcText(9001);
const a1 = rfcSlice(rfc9001, 'A.1.  Keys', 'A.2.  Client Initial');
const a5 = rfcSlice(rfc9001, 'A.5.  ChaCha20-Poly1305', 'Appendix B.');
const simple = rfc8448Steps(
  rfcSlice(rfcText(8448), '3.  Simple 1-RTT Handshake', '4.  Resumed 0-RTT Handshake'),
);
const none = new Uint8Array(0);

describe.each(testProviders())('TLS 1.3 key schedule with the $name provider', (p) => {
  it('derives the RFC 9001 A.1 Initial secrets, keys, IVs and HP keys', () => {
    // RFC 9001 §5.2: salt and the client's Destination Connection ID of Appendix A.
    const salt = rfcValue(rfcSlice(rfc9001, '5.2.  Initial Secrets', '5.3.'), 'initial_salt');
    const cid = Uint8Array.from([0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08]);
    expect(rfcSlice(rfc9001, 'Appendix A.', 'A.1.')).toContain('0x8394c8f03e515708');
    const initial = hkdfExtract(p, 'SHA-256', salt, cid);
    expect(toHex(initial)).toBe(toHex(rfcValue(a1, 'initial_secret')));
    for (const [side, label] of [
      ['client', 'client in'],
      ['server', 'server in'],
    ] as const) {
      const part = rfcSlice(
        a1,
        `   The secrets for protecting ${side} packets`,
        side === 'client' ? '   The secrets for protecting server' : undefined,
      );
      const secret = hkdfExpandLabel(p, 'SHA-256', initial, label, none, 32);
      expect(toHex(secret)).toBe(toHex(rfcValue(part, `${side}_initial_secret`)));
      expect(toHex(hkdfExpandLabel(p, 'SHA-256', secret, 'quic key', none, 16))).toBe(
        toHex(rfcValue(part, 'key')),
      );
      expect(toHex(hkdfExpandLabel(p, 'SHA-256', secret, 'quic iv', none, 12))).toBe(
        toHex(rfcValue(part, 'iv')),
      );
      expect(toHex(hkdfExpandLabel(p, 'SHA-256', secret, 'quic hp', none, 16))).toBe(
        toHex(rfcValue(part, 'hp')),
      );
    }
  });

  it('derives the RFC 9001 A.5 ChaCha20 key, IV, HP key and key-update secret', () => {
    const secret = rfcValue(a5, 'secret');
    expect(toHex(hkdfExpandLabel(p, 'SHA-256', secret, 'quic key', none, 32))).toBe(
      toHex(rfcValue(a5, 'key')),
    );
    expect(toHex(hkdfExpandLabel(p, 'SHA-256', secret, 'quic iv', none, 12))).toBe(
      toHex(rfcValue(a5, 'iv')),
    );
    expect(toHex(hkdfExpandLabel(p, 'SHA-256', secret, 'quic hp', none, 32))).toBe(
      toHex(rfcValue(a5, 'hp')),
    );
    expect(toHex(hkdfExpandLabel(p, 'SHA-256', secret, 'quic ku', none, 32))).toBe(
      toHex(rfcValue(a5, 'ku')),
    );
  });

  it('reproduces every extract and derive step of the RFC 8448 §3 trace', () => {
    let checked = 0;
    for (const step of simple) {
      const f = step.fields;
      if (f.size === 0) continue; // "(same as server)" steps repeat values without fields
      const extract = /^extract secret "(\w+)"/.exec(step.title);
      if (extract) {
        expect(toHex(hkdfExtract(p, 'SHA-256', f.get('salt')!, f.get('IKM')!)), step.title).toBe(
          toHex(f.get('secret')!),
        );
        checked++;
        continue;
      }
      const derive = /^derive secret(?: for \w+)? "tls13 ([^"]+)"/.exec(step.title);
      if (derive) {
        const out = deriveSecret(p, 'SHA-256', f.get('PRK')!, derive[1]!, f.get('hash')!);
        expect(toHex(out), step.title).toBe(toHex(f.get('expanded')!));
        checked++;
        continue;
      }
      if (/^derive (read|write) traffic keys/.test(step.title)) {
        const prk = f.get('PRK')!;
        expect(toHex(hkdfExpandLabel(p, 'SHA-256', prk, 'key', none, 16)), step.title).toBe(
          toHex(f.get('key expanded')!),
        );
        expect(toHex(hkdfExpandLabel(p, 'SHA-256', prk, 'iv', none, 12)), step.title).toBe(
          toHex(f.get('iv expanded')!),
        );
        checked++;
      }
    }
    // 3 extracts, 9 derives, 4 key derivations with fields: guards against a parser that skips steps.
    expect(checked).toBe(16);
  });

  it('computes the RFC 8448 §3 finished keys ("tls13 finished", empty context)', () => {
    const finished = simple.filter((s) => /^calculate finished "tls13 finished"$/.test(s.title));
    expect(finished.length).toBe(2);
    for (const s of finished) {
      const key = hkdfExpandLabel(p, 'SHA-256', s.fields.get('PRK')!, 'finished', none, 32);
      expect(toHex(key)).toBe(toHex(s.fields.get('expanded')!));
    }
  });
});
