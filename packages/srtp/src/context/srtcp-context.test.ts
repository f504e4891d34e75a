import { getCipherSuite, nobleProvider } from '@x/crypto';
import { toHex } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SrtpError } from '../errors.js';
import { rtcpRr } from '../test-support/packets.js';
import { SrtcpContext } from './srtcp-context.js';

function keys(id: number) {
  const p = getCipherSuite('srtp', id)!;
  return {
    profile: id,
    masterKey: new Uint8Array(p.masterKeyLength).fill(0x42),
    masterSalt: new Uint8Array(p.masterSaltLength).fill(0x24),
  };
}

function reason(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof SrtpError) return e.reason;
    throw e;
  }
}

describe.each([1, 2, 7, 8])('SrtcpContext, profile %i', (id) => {
  it('numbers packets per SSRC from 0 with E = 1, and round-trips them', () => {
    const tx = new SrtcpContext(keys(id));
    const rx = new SrtcpContext({ ...keys(id), provider: nobleProvider });
    const tag = getCipherSuite('srtp', id)!.srtcpTagLength;
    for (let i = 0; i < 3; i++) {
      const s = tx.protect(rtcpRr(0xabc));
      // 10-byte SRTCP tag even for the _32 profile (RFC 5764 §4.1.2).
      expect(s.length).toBe(8 + 4 + tag);
      const word = new DataView(s.buffer).getUint32(id >= 7 ? 8 + tag : 8);
      expect(word).toBe((0x80000000 | i) >>> 0);
      expect(toHex(rx.unprotect(s))).toBe(toHex(rtcpRr(0xabc)));
    }
    expect(tx.nextIndex(0xabc)).toBe(3);
    expect(tx.nextIndex(0xdef)).toBe(0);
  });

  it('refuses replays, and tampering anywhere, without touching the replay list', () => {
    const tx = new SrtcpContext(keys(id));
    const packet = tx.protect(rtcpRr(7));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: packet.length * 8 - 1 }), (bit) => {
        const rx = new SrtcpContext(keys(id));
        const bad = packet.slice();
        bad[bit >>> 3]! ^= 1 << (bit & 7);
        const r = reason(() => rx.unprotect(bad));
        // Only a flip of the version bits (first byte) is refused as malformed.
        expect(r === 'auth' || (bit < 8 && r === 'malformed')).toBe(true);
        expect(reason(() => rx.unprotect(packet))).toBe('ok');
        expect(reason(() => rx.unprotect(packet))).toBe('replay');
      }),
      { numRuns: 40 },
    );
  });

  it('authenticates without encrypting (E = 0) and the receiver follows the flag', () => {
    const tx = new SrtcpContext({ ...keys(id), encrypt: false });
    const s = tx.protect(rtcpRr(9));
    const tag = getCipherSuite('srtp', id)!.srtcpTagLength;
    expect(new DataView(s.buffer).getUint32(id >= 7 ? 8 + tag : 8)).toBe(0);
    expect(toHex(new SrtcpContext(keys(id)).unprotect(s))).toBe(toHex(rtcpRr(9)));
  });

  it('random bytes only ever raise SrtpError', () => {
    const rx = new SrtcpContext(keys(id));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        expect(['malformed', 'auth', 'replay', 'too_old']).toContain(reason(() => rx.unprotect(b)));
      }),
      { numRuns: 300 },
    );
  });
});
