import { DecodeError } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeIvfFrameHeader, encodeIvfHeader, parseIvf } from './ivf.js';
import { oggCrc, oggPage, opusPacketSamples } from './ogg.js';
import { isVp8Keyframe, parseVp8Payload, Vp8FrameAssembler, vp8Dimensions } from './vp8.js';

describe('VP8 payload descriptor (RFC 7741 §4.2)', () => {
  it('skips X, I (15-bit picture ID), L and T/K bytes and finds the frame start', () => {
    // X=1 S=1 PID=0 | I L T K | M + PictureID(15) | TL0PICIDX | TID/KEYIDX | payload
    const p = parseVp8Payload(new Uint8Array([0x90, 0xf0, 0x80, 0x01, 0x05, 0x20, 0xaa, 0xbb]))!;
    expect(p.frameStart).toBe(true);
    expect([...p.data]).toEqual([0xaa, 0xbb]);
    expect(parseVp8Payload(new Uint8Array([0x00, 0xcc]))).toEqual({
      frameStart: false,
      data: new Uint8Array([0xcc]),
    });
    expect(parseVp8Payload(new Uint8Array([0x80]))).toBeUndefined();
  });

  it('assembles one frame from the packets of one timestamp, up to the marker', () => {
    const a = new Vp8FrameAssembler();
    // RFC 6386 §9.1 key frame: P=0, start code 9d 01 2a, width 320, height 240.
    const key = [0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00];
    expect(a.push(3000, false, new Uint8Array([0x10, ...key.slice(0, 5)]))).toBeUndefined();
    const f = a.push(3000, true, new Uint8Array([0x00, ...key.slice(5)]))!;
    expect([...f.frame]).toEqual(key);
    expect(isVp8Keyframe(f.frame)).toBe(true);
    expect(vp8Dimensions(f.frame)).toEqual({ width: 320, height: 240 });
    // A frame whose first packet was lost is never emitted.
    expect(a.push(6000, true, new Uint8Array([0x00, 1, 2, 3]))).toBeUndefined();
  });
});

describe('IVF', () => {
  it('round-trips a header and frames', () => {
    const bytes = new Uint8Array([
      ...encodeIvfHeader({
        fourcc: 'VP80',
        width: 320,
        height: 240,
        timebaseDenominator: 90000,
        timebaseNumerator: 1,
        frameCount: 2,
      }),
      ...encodeIvfFrameHeader(3, 0),
      1,
      2,
      3,
      ...encodeIvfFrameHeader(1, 3000),
      4,
    ]);
    const f = parseIvf(bytes);
    expect(f.header).toEqual({
      fourcc: 'VP80',
      width: 320,
      height: 240,
      timebaseDenominator: 90000,
      timebaseNumerator: 1,
      frameCount: 2,
    });
    expect(f.frames.map((x) => [x.timestamp, [...x.data]])).toEqual([
      [0n, [1, 2, 3]],
      [3000n, [4]],
    ]);
  });

  it('raises only DecodeError on random bytes and truncations (fast-check)', () => {
    const valid = new Uint8Array([
      ...encodeIvfHeader({
        fourcc: 'VP80',
        width: 1,
        height: 1,
        timebaseDenominator: 1,
        timebaseNumerator: 1,
        frameCount: 1,
      }),
      ...encodeIvfFrameHeader(2, 0),
      9,
      9,
    ]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(valid.length - 1), (bytes, cut) => {
        for (const input of [bytes, valid.subarray(0, cut)]) {
          try {
            parseIvf(input);
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
          }
        }
      }),
    );
  });
});

describe('Ogg Opus', () => {
  it('uses the RFC 3533 CRC (CRC-32/CKSUM without the final XOR: check value of "123456789" is 0x765E7680 after it)', () => {
    expect((oggCrc(new TextEncoder().encode('123456789')) ^ 0xffffffff) >>> 0).toBe(0x765e7680);
  });

  it('writes a page whose CRC covers the page with the CRC field zeroed', () => {
    const page = oggPage(new Uint8Array(300).fill(7), 960n, 42, 3, 0);
    expect(String.fromCharCode(...page.subarray(0, 4))).toBe('OggS');
    expect([...page.subarray(26, 29)]).toEqual([2, 255, 45]); // lacing for 300 bytes
    const stored = new DataView(page.buffer).getUint32(22, true);
    const zeroed = page.slice();
    zeroed.fill(0, 22, 26);
    expect(oggCrc(zeroed)).toBe(stored);
  });

  it('counts samples from the TOC byte (RFC 6716 §3.1)', () => {
    // config 31 = CELT-only 20 ms (960 samples at 48 kHz); code 0: one frame, code 1: two.
    expect(opusPacketSamples(new Uint8Array([0xf8]))).toBe(960);
    expect(opusPacketSamples(new Uint8Array([0xf9]))).toBe(1920);
    // config 1 = SILK 20 ms; code 3 with frame count 3 in the next byte.
    expect(opusPacketSamples(new Uint8Array([0x0b, 0x03]))).toBe(2880);
  });
});
