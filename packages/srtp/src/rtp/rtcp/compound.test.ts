import { rfcHexBlockAfter, rfcSlice, rfcText } from '@x/test-helpers';
import { DecodeError, toHex } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRtcpCompound, serializeRtcpCompound } from './compound.js';
import { firFci, nackFci, nackLostSequences, rembFci } from './feedback.js';
import type { RtcpPacket } from './types.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const block = fc.record({
  ssrc: u32,
  fractionLost: fc.integer({ min: 0, max: 255 }),
  packetsLost: fc.integer({ min: -0x800000, max: 0x7fffff }),
  highestSequence: u32,
  jitter: u32,
  lastSenderReport: u32,
  delaySinceLastSenderReport: u32,
});
const words = fc
  .integer({ min: 0, max: 4 })
  .chain((n) => fc.uint8Array({ minLength: 4 * n, maxLength: 4 * n }));

const packetArb: fc.Arbitrary<RtcpPacket> = fc.oneof(
  fc.record({
    type: fc.constant('sr' as const),
    ssrc: u32,
    ntpTimestamp: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    rtpTimestamp: u32,
    packetCount: u32,
    octetCount: u32,
    reports: fc.array(block, { maxLength: 3 }),
    profileExtension: words,
  }),
  fc.record({
    type: fc.constant('rr' as const),
    ssrc: u32,
    reports: fc.array(block, { maxLength: 3 }),
    profileExtension: words,
  }),
  fc.record({
    type: fc.constant('sdes' as const),
    chunks: fc.array(
      fc.record({
        ssrc: u32,
        items: fc.array(
          fc.record({
            type: fc.integer({ min: 1, max: 8 }),
            value: fc.uint8Array({ maxLength: 30 }),
          }),
          {
            maxLength: 3,
          },
        ),
      }),
      { maxLength: 3 },
    ),
  }),
  fc.oneof(
    fc.record({ type: fc.constant('bye' as const), ssrcs: fc.array(u32, { maxLength: 4 }) }),
    fc.record({
      type: fc.constant('bye' as const),
      ssrcs: fc.array(u32, { maxLength: 4 }),
      reason: fc.uint8Array({ maxLength: 20 }),
    }),
  ),
  fc.record({
    type: fc.constant('psfb' as const),
    fmt: fc.constant(1),
    senderSsrc: u32,
    mediaSsrc: u32,
    fci: fc.constant(new Uint8Array(0)),
    pli: fc.constant(true as const),
  }),
  fc.record({
    type: fc.constant('other' as const),
    packetType: fc.constant(204),
    count: fc.integer({ min: 0, max: 31 }),
    body: words,
  }),
);

describe('RTCP compound packets (RFC 3550 §6)', () => {
  it('parses the RFC 7714 §17 sender report once its length field is corrected', () => {
    const rfc = rfcText(7714);
    const intro = rfcHexBlockAfter(rfc, 'based upon the same RTCP packet');
    const s171 = rfcHexBlockAfter(
      rfcSlice(rfc, '17.1.  SRTCP', '17.2.'),
      'Encrypting the following packet',
    );
    // Both copies are 52 bytes (13 words: SR with one report block) but their length
    // fields say 14 and 13 words-minus-one: RFC 3550 §6.4.1 makes that malformed.
    for (const p of [intro, s171]) {
      expect(p.length).toBe(52);
      expect(() => parseRtcpCompound(p)).toThrow(DecodeError);
    }
    const bytes = s171.slice();
    bytes[3] = 52 / 4 - 1;
    const ascii = (s: string) => new TextEncoder().encode(s);
    const be32 = (s: string) => new DataView(ascii(s).buffer).getUint32(0);
    const [sr] = parseRtcpCompound(bytes);
    if (sr?.type !== 'sr') throw new Error('not an SR');
    expect(sr).toMatchObject({
      ssrc: be32('Mars'),
      rtpTimestamp: be32('RTP '),
      packetCount: 0x42a,
      octetCount: 0xe930,
    });
    expect(sr.ntpTimestamp).toBe((BigInt(be32('NTP1')) << 32n) | BigInt(be32('NTP2')));
    expect(sr.reports).toHaveLength(1);
    expect(sr.reports[0]!.ssrc).toBe(be32('Luna'));
    expect(sr.reports[0]!.jitter).toBe(0xdeadbeef);
  });

  it('round-trips random compound packets', () => {
    fc.assert(
      fc.property(fc.array(packetArb, { minLength: 1, maxLength: 5 }), (packets) => {
        const bytes = serializeRtcpCompound(packets);
        const back = parseRtcpCompound(bytes);
        expect(back).toEqual(
          packets.map((p) =>
            p.type === 'bye' && p.reason === undefined ? { type: 'bye', ssrcs: p.ssrcs } : p,
          ),
        );
        expect(toHex(serializeRtcpCompound(back))).toBe(toHex(bytes));
        for (let n = 0; n < bytes.length; n += 3) {
          try {
            parseRtcpCompound(bytes.subarray(0, n));
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('raises only DecodeError on random bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 120 }),
        fc.integer({ min: 200, max: 206 }),
        (b, pt) => {
          for (const input of [
            b,
            Uint8Array.from([
              0x80 | ((b[0] ?? 0) & 0x3f),
              pt,
              0,
              (b.length >> 2) - 1,
              ...b.subarray(4),
            ]),
          ]) {
            try {
              parseRtcpCompound(input);
            } catch (e) {
              expect(e).toBeInstanceOf(DecodeError);
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('decodes the feedback a browser sends: NACK, PLI, FIR, REMB and transport-cc', () => {
    const lost = [100, 101, 105, 116, 117, 300];
    const fb: RtcpPacket[] = [
      { type: 'rtpfb', fmt: 1, senderSsrc: 1, mediaSsrc: 2, fci: nackFci(lost) },
      { type: 'psfb', fmt: 1, senderSsrc: 1, mediaSsrc: 2, fci: new Uint8Array(0) },
      {
        type: 'psfb',
        fmt: 4,
        senderSsrc: 1,
        mediaSsrc: 0,
        fci: firFci([{ ssrc: 2, sequence: 7 }]),
      },
      { type: 'psfb', fmt: 15, senderSsrc: 1, mediaSsrc: 0, fci: rembFci(2_500_000, [2, 3]) },
      {
        type: 'rtpfb',
        fmt: 15,
        senderSsrc: 1,
        mediaSsrc: 2,
        fci: Uint8Array.of(0x01, 0x00, 0x00, 0x03, 0xff, 0xff, 0xfe, 0x09, 0x20, 0x03, 0, 0),
      },
    ];
    const [nack, pli, fir, remb, twcc] = parseRtcpCompound(serializeRtcpCompound(fb));
    if (
      nack?.type !== 'rtpfb' ||
      pli?.type !== 'psfb' ||
      fir?.type !== 'psfb' ||
      remb?.type !== 'psfb' ||
      twcc?.type !== 'rtpfb'
    ) {
      throw new Error('wrong packet types');
    }
    // 100 with bits for 101, 105, 116 (d = 1, 5, 16); 117 is 17 away so starts a new entry.
    expect(nack.nack).toEqual([
      { packetId: 100, lostBitmask: 0b1000000000010001 },
      { packetId: 117, lostBitmask: 0 },
      { packetId: 300, lostBitmask: 0 },
    ]);
    expect(nackLostSequences(nack.nack!)).toEqual(lost);
    expect(pli.pli).toBe(true);
    expect(fir.fir).toEqual([{ ssrc: 2, sequence: 7 }]);
    // 2.5 Mbit/s does not fit 18 bits: mantissa 156250 * 2^4.
    expect(remb.remb).toEqual({ bitrate: 2_500_000, ssrcs: [2, 3] });
    expect(twcc.transportCc).toEqual({
      baseSequence: 256,
      packetStatusCount: 3,
      referenceTime: -2,
      feedbackPacketCount: 9,
    });
  });

  it('honours padding and rejects a bad padding count', () => {
    const rr = Uint8Array.of(0xa0, 201, 0, 2, 0, 0, 0, 5, 0, 0, 0, 4);
    expect(parseRtcpCompound(rr)).toEqual([
      { type: 'rr', ssrc: 5, reports: [], profileExtension: new Uint8Array(0) },
    ]);
    const bad = rr.slice();
    bad[11] = 0;
    expect(() => parseRtcpCompound(bad)).toThrow(DecodeError);
    bad[11] = 12;
    expect(() => parseRtcpCompound(bad)).toThrow(DecodeError);
  });
});
