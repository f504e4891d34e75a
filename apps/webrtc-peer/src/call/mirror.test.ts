import {
  firFci,
  nackFci,
  parseRtcpCompound,
  serializeRtcpCompound,
  serializeRtpPacket,
} from '@x/srtp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SsrcMirror } from './mirror.js';

// The browser sends on X (media) and its receiver reports with sender SSRC R; we echo on A.
const X = 0x11111111;
const A = 0xaaaaaaaa;
const R = 0x00000001;

function mirror() {
  const m = new SsrcMirror();
  m.pair(X, A);
  return m;
}

describe('SsrcMirror', () => {
  it('moves an RTP packet from the peer SSRC to ours, leaving seq, timestamp and payload alone', () => {
    const p = serializeRtpPacket(
      {
        padding: false,
        marker: true,
        payloadType: 96,
        sequenceNumber: 7,
        timestamp: 90000,
        ssrc: X,
        csrcs: [],
      },
      new Uint8Array([1, 2, 3]),
    );
    const before = p.slice();
    expect(mirror().rewriteRtp(p)).toBe(true);
    expect([...p.subarray(8, 12)]).toEqual([0xaa, 0xaa, 0xaa, 0xaa]);
    expect([...p.subarray(0, 8)]).toEqual([...before.subarray(0, 8)]);
    expect([...p.subarray(12)]).toEqual([1, 2, 3]);
    expect(new SsrcMirror().rewriteRtp(before)).toBe(false); // unpaired stream
  });

  it('turns feedback about the echo into feedback about the sender and drops what it must not reflect', () => {
    const compound = serializeRtcpCompound([
      {
        type: 'rr',
        ssrc: R,
        profileExtension: new Uint8Array(0),
        reports: [
          {
            ssrc: A,
            fractionLost: 1,
            packetsLost: 2,
            highestSequence: 3,
            jitter: 4,
            lastSenderReport: 5,
            delaySinceLastSenderReport: 6,
          },
        ],
      },
      { type: 'sdes', chunks: [{ ssrc: R, items: [{ type: 1, value: new Uint8Array([99]) }] }] },
      { type: 'rtpfb', fmt: 1, senderSsrc: R, mediaSsrc: A, fci: nackFci([10]) },
      { type: 'psfb', fmt: 1, senderSsrc: R, mediaSsrc: A, fci: new Uint8Array(0) },
      {
        type: 'psfb',
        fmt: 4,
        senderSsrc: R,
        mediaSsrc: 0,
        fci: firFci([{ ssrc: A, sequence: 9 }]),
      },
    ]);
    const m = mirror();
    const n = m.rewriteRtcp(compound, compound.length);
    const out = parseRtcpCompound(compound.subarray(0, n)) as unknown as Record<string, unknown>[];
    expect(out.map((p) => p.type)).toEqual(['rr', 'rtpfb', 'psfb', 'psfb']);
    expect((out[0]!.reports as { ssrc: number }[])[0]!.ssrc).toBe(X);
    expect(out[1]!.mediaSsrc).toBe(X);
    expect(out[2]!.mediaSsrc).toBe(X);
    const fir = out[3]!.fci as Uint8Array;
    expect(new DataView(fir.buffer, fir.byteOffset).getUint32(0)).toBe(X);
    expect(m.feedback).toBe(3);
  });

  it('never throws and never grows a packet on arbitrary RTCP bytes (fast-check)', () => {
    const m = mirror();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(220), (bytes, len) => {
        const n = m.rewriteRtcp(bytes, Math.min(len, bytes.length));
        expect(n).toBeLessThanOrEqual(Math.min(len, bytes.length));
        expect(n % 4).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });
});
