import { getCipherSuite, nobleProvider, nodeProvider } from '@x/crypto';
import { toHex } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SrtpError } from '../errors.js';
import { serializeHeaderExtensions } from '../rtp/extensions.js';
import { serializeRtpPacket } from '../rtp/header.js';
import { rtp } from '../test-support/packets.js';
import { SrtpContext } from './srtp-context.js';

const PROFILES = [1, 2, 7, 8];

function keys(id: number, seed = 1) {
  const p = getCipherSuite('srtp', id)!;
  return {
    profile: id,
    masterKey: new Uint8Array(p.masterKeyLength).map((_, i) => (i * 7 + seed) & 0xff),
    masterSalt: new Uint8Array(p.masterSaltLength).map((_, i) => (i * 13 + seed) & 0xff),
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

const rtpArb = fc.record({
  marker: fc.boolean(),
  payloadType: fc.integer({ min: 0, max: 127 }),
  sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
  timestamp: fc.integer({ min: 0, max: 0xffffffff }),
  ssrc: fc.integer({ min: 0, max: 0xffffffff }),
  csrcs: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 15 }),
  ext: fc.option(
    fc.array(
      fc.record({
        id: fc.integer({ min: 1, max: 14 }),
        data: fc.uint8Array({ minLength: 1, maxLength: 16 }),
      }),
      {
        maxLength: 4,
      },
    ),
  ),
  payload: fc.uint8Array({ maxLength: 1400 }),
  padding: fc.integer({ min: 0, max: 8 }),
});

type RtpCase = typeof rtpArb extends fc.Arbitrary<infer T> ? T : never;

function build(r: RtpCase): Uint8Array {
  return serializeRtpPacket(
    {
      padding: r.padding > 0,
      marker: r.marker,
      payloadType: r.payloadType,
      sequenceNumber: r.sequenceNumber,
      timestamp: r.timestamp,
      ssrc: r.ssrc,
      csrcs: r.csrcs,
      ...(r.ext ? { extension: serializeHeaderExtensions(r.ext) } : {}),
    },
    r.payload,
    r.padding,
  );
}

describe.each(PROFILES)('SrtpContext, profile %i', (id) => {
  it('unprotect(protect(p)) is p for random RTP packets, on both providers', () => {
    for (const provider of [nodeProvider, nobleProvider]) {
      const other = provider === nodeProvider ? nobleProvider : nodeProvider;
      fc.assert(
        fc.property(rtpArb, (r) => {
          // Fresh contexts per packet: random sequence numbers are not a session.
          const tx = new SrtpContext({ ...keys(id), provider });
          const p = build(r);
          const s = tx.protect(p);
          expect(s.length).toBe(p.length + tx.overhead);
          expect(toHex(new SrtpContext({ ...keys(id), provider: other }).unprotect(s))).toBe(
            toHex(p),
          );
        }),
        { numRuns: 40 },
      );
    }
  });

  it('a flipped bit anywhere fails authentication and leaves the state as it was', () => {
    const tx = new SrtpContext(keys(id));
    const packet = tx.protect(rtp(7));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: packet.length * 8 - 1 }), (bit) => {
        const rx = new SrtpContext(keys(id));
        const bad = packet.slice();
        bad[bit >>> 3]! ^= 1 << (bit & 7);
        const r = reason(() => rx.unprotect(bad));
        // A flip in the first byte (version, X, CC) can make the header unparseable,
        // which is refused as malformed before any crypto; everything else is auth.
        expect(r === 'auth' || (bit < 8 && r === 'malformed')).toBe(true);
        expect(rx.roc(0x11223344)).toBeUndefined();
        expect(toHex(rx.unprotect(packet))).toBe(toHex(rtp(7)));
      }),
      { numRuns: 60 },
    );
  });

  it('random bytes only ever raise SrtpError', () => {
    const rx = new SrtpContext(keys(id));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const r = reason(() => rx.unprotect(bytes));
        expect(['malformed', 'auth', 'replay', 'too_old']).toContain(r);
      }),
      { numRuns: 300 },
    );
  });
});

describe('SrtpContext replay list and rollover (RFC 3711 §3.3.1, §3.3.2)', () => {
  const k = keys(1);

  it('rejects a duplicate as replay and a packet behind the window as too old', () => {
    const tx = new SrtpContext(k);
    const rx = new SrtpContext(k);
    const sent = Array.from({ length: 200 }, (_, i) => tx.protect(rtp(1000 + i)));
    for (const s of sent.slice(0, 150)) rx.unprotect(s);
    expect(reason(() => rx.unprotect(sent[149]!))).toBe('replay');
    expect(reason(() => rx.unprotect(sent[120]!))).toBe('replay');
    // Highest is 1149; the default window holds 64 indices, so 1149 - 64 = 1085 is out.
    expect(reason(() => rx.unprotect(sent[85]!))).toBe('too_old');
    // A late packet inside the window that never arrived is accepted once.
    const rx2 = new SrtpContext(k);
    for (const [i, s] of sent.entries()) if (i !== 100) rx2.unprotect(s);
    expect(reason(() => rx2.unprotect(sent[100]!))).toBe('too_old');
    const rx3 = new SrtpContext(k);
    for (const [i, s] of sent.slice(0, 120).entries()) if (i !== 100) rx3.unprotect(s);
    expect(reason(() => rx3.unprotect(sent[100]!))).toBe('ok');
    expect(reason(() => rx3.unprotect(sent[100]!))).toBe('replay');
  });

  it('takes a configurable window size', () => {
    const tx = new SrtpContext(k);
    const sent = Array.from({ length: 300 }, (_, i) => tx.protect(rtp(i)));
    const wide = new SrtpContext({ ...k, replayWindow: 256 });
    const narrow = new SrtpContext({ ...k, replayWindow: 16 });
    for (const [i, s] of sent.entries()) {
      if (i === 50) continue;
      wide.unprotect(s);
      narrow.unprotect(s);
    }
    expect(reason(() => wide.unprotect(sent[50]!))).toBe('ok');
    expect(reason(() => narrow.unprotect(sent[50]!))).toBe('too_old');
    expect(reason(() => narrow.unprotect(sent[290]!))).toBe('replay');
    expect(() => new SrtpContext({ ...k, replayWindow: 0 })).toThrow(RangeError);
  });

  it('follows the ROC across a wrap with reordering around it', () => {
    const tx = new SrtpContext(k);
    const order = [65533, 65534, 0, 65535, 1, 2, 65532];
    const sent = order.map((s) => tx.protect(rtp(s)));
    expect(tx.roc(0x11223344)).toBe(1);
    const rx = new SrtpContext(k);
    sent.forEach((s, i) => {
      expect(toHex(rx.unprotect(s))).toBe(toHex(rtp(order[i]!)));
    });
    expect(rx.roc(0x11223344)).toBe(1);
    // The same bytes under the other ROC guess would not authenticate: 65535 was ROC 0.
    const again = new SrtpContext(k);
    again.setRoc(0x11223344, 1);
    expect(reason(() => again.unprotect(sent[3]!))).toBe('auth');
  });

  it('starts from a ROC learned out of band', () => {
    const tx = new SrtpContext(k);
    tx.setRoc(0x11223344, 5);
    const s = tx.protect(rtp(10));
    expect(reason(() => new SrtpContext(k).unprotect(s))).toBe('auth');
    const rx = new SrtpContext(k);
    rx.setRoc(0x11223344, 5);
    expect(toHex(rx.unprotect(s))).toBe(toHex(rtp(10)));
    expect(rx.roc(0x11223344)).toBe(5);
  });

  it('keeps SSRCs apart', () => {
    const tx = new SrtpContext(k);
    const rx = new SrtpContext(k);
    const a = tx.protect(rtp(5, 1));
    const b = tx.protect(rtp(5, 2));
    rx.unprotect(a);
    expect(reason(() => rx.unprotect(b))).toBe('ok');
    expect(reason(() => rx.unprotect(a))).toBe('replay');
  });
});

describe('SrtpContext buffers, MKI and configuration', () => {
  it('protects and unprotects in place, into caller buffers', () => {
    for (const id of PROFILES) {
      const tx = new SrtpContext(keys(id));
      const rx = new SrtpContext(keys(id));
      const p = rtp(9, 0x55, new Uint8Array(1200).fill(3));
      const buf = new Uint8Array(p.length + tx.overhead);
      buf.set(p);
      const n = tx.protectInto(buf.subarray(0, p.length), buf);
      expect(n).toBe(buf.length);
      expect(toHex(buf)).toBe(toHex(new SrtpContext(keys(id)).protect(p)));
      const m = rx.unprotectInto(buf, buf);
      expect(toHex(buf.subarray(0, m))).toBe(toHex(p));
      expect(reason(() => tx.protectInto(p, new Uint8Array(p.length)))).toBe('buffer_too_small');
    }
  });

  it('sends and requires the configured MKI', () => {
    for (const id of PROFILES) {
      const mki = Uint8Array.of(0xde, 0xad, 0xbe, 0xef);
      const tx = new SrtpContext({ ...keys(id), mki });
      const s = tx.protect(rtp(1));
      const tag = getCipherSuite('srtp', id)!.srtpTagLength;
      expect(s.length).toBe(rtp(1).length + tag + 4);
      const at = id >= 7 ? s.length - 4 : s.length - tag - 4;
      expect(toHex(s.subarray(at, at + 4))).toBe('deadbeef');
      expect(toHex(new SrtpContext({ ...keys(id), mki }).unprotect(s))).toBe(toHex(rtp(1)));
      const other = new SrtpContext({ ...keys(id), mki: Uint8Array.of(1, 2, 3, 4) });
      expect(reason(() => other.unprotect(s))).toBe('unknown_mki');
    }
  });

  it('authenticates without encrypting when asked (payload in the clear)', () => {
    for (const id of PROFILES) {
      const tx = new SrtpContext({ ...keys(id), encrypt: false });
      const p = rtp(3);
      const s = tx.protect(p);
      expect(toHex(s.subarray(0, p.length))).toBe(toHex(p));
      expect(toHex(new SrtpContext({ ...keys(id), encrypt: false }).unprotect(s))).toBe(toHex(p));
      const bad = s.slice();
      bad[20]! ^= 1;
      expect(reason(() => new SrtpContext({ ...keys(id), encrypt: false }).unprotect(bad))).toBe(
        'auth',
      );
    }
  });

  it('refuses wrong key and salt lengths and unknown profiles', () => {
    expect(reason(() => new SrtpContext({ ...keys(1), masterKey: new Uint8Array(15) }))).toBe(
      'bad_key',
    );
    expect(reason(() => new SrtpContext({ ...keys(7), masterSalt: new Uint8Array(14) }))).toBe(
      'bad_key',
    );
    expect(reason(() => new SrtpContext({ ...keys(1), profile: 0x99 }))).toBe('unknown_profile');
    expect(new SrtpContext({ ...keys(8), profile: 'SRTP_AEAD_AES_256_GCM' }).profile.id).toBe(8);
  });

  it('refuses a non-RTP packet to protect', () => {
    const tx = new SrtpContext(keys(1));
    expect(reason(() => tx.protect(new Uint8Array(11)))).toBe('malformed');
    const v1 = rtp(1);
    v1[0] = 0x40;
    expect(reason(() => tx.protect(v1))).toBe('malformed');
  });
});
