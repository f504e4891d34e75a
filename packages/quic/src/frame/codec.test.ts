import { rfcHexBlockAfter, rfcSlice, rfcText } from '@x/test-helpers';
import { Reader, Writer } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuicError, TransportError } from '../errors.js';
import {
  decodeFrame,
  decodeFrames,
  encodeFrame,
  type Frame,
  frameTypeOf,
  isAckEliciting,
} from './codec.js';
import { frameArbitraries, selfDelimiting } from './test-support/arbitraries.js';

function encode(...frames: Frame[]): Uint8Array {
  const w = new Writer(64);
  for (const f of frames) encodeFrame(w, f);
  return w.finish().slice();
}

function quicError(f: () => unknown): QuicError {
  try {
    f();
  } catch (e) {
    if (e instanceof QuicError) return e;
    throw e;
  }
  throw new Error('expected a QuicError');
}

/** Decoded frames have explicitLength filled in; compare what the wire can say. */
function normalize(f: Frame): unknown {
  if (f.type === 'stream' || f.type === 'datagram') {
    return { ...f, data: Array.from(f.data), explicitLength: f.explicitLength !== false };
  }
  return JSON.parse(JSON.stringify(f, (_, x) => (x instanceof Uint8Array ? Array.from(x) : x)));
}

describe('frame round trips (fast-check)', () => {
  for (const [name, arb] of Object.entries(frameArbitraries)) {
    it(`${name}: decode(encode(f)) = f and the type code matches`, () => {
      fc.assert(
        fc.property(arb, (f) => {
          const bytes = encode(f);
          const r = new Reader(bytes);
          const back = decodeFrame(r);
          expect(r.done).toBe(true);
          expect(normalize(back)).toEqual(normalize(f));
          expect(new Reader(bytes).varint()).toBe(frameTypeOf(f));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('sequences of frames decode back in order', () => {
    const any = fc.oneof(...Object.values(frameArbitraries));
    fc.assert(
      fc.property(fc.array(any, { maxLength: 8 }), any, (head, last) => {
        const frames = [...head.filter(selfDelimiting), last];
        expect(decodeFrames(encode(...frames)).map(normalize)).toEqual(frames.map(normalize));
      }),
      { numRuns: 300 },
    );
  });

  it('STREAM frames use all 8 type codes 0x08-0x0f', () => {
    const seen = new Set<number>();
    for (const offset of [0, 5])
      for (const fin of [false, true])
        for (const explicitLength of [false, true]) {
          const f: Frame = {
            type: 'stream',
            streamId: 4,
            offset,
            data: new Uint8Array([1, 2]),
            fin,
            explicitLength,
          };
          const bytes = encode(f);
          seen.add(bytes[0]!);
          expect(normalize(decodeFrames(bytes)[0]!)).toEqual(normalize(f));
        }
    expect([...seen].sort((a, b) => a - b)).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('STREAM and CRYPTO data are views into the payload, not copies', () => {
    const payload = encode({ type: 'crypto', offset: 3, data: new Uint8Array([9, 8, 7]) });
    const f = decodeFrames(payload)[0] as Extract<Frame, { type: 'crypto' }>;
    expect(f.data.buffer).toBe(payload.buffer);
  });
});

describe('malformed frames raise FRAME_ENCODING_ERROR (RFC 9000 §12.4, §19)', () => {
  const cases: [string, number[]][] = [
    ['unknown frame type 0x1f', [0x1f]],
    ['unknown frame type 0x21', [0x21, 0]],
    ['ACK first range below zero', [0x02, 5, 0, 0, 6]],
    ['ACK later range below zero', [0x02, 10, 0, 1, 0, 8, 1]],
    ['NEW_TOKEN with an empty token', [0x07, 0]],
    ['NEW_CONNECTION_ID with a zero-length ID', [0x18, 1, 0, 0, ...new Array(16).fill(0)]],
    ['NEW_CONNECTION_ID with a 21-byte ID', [0x18, 1, 0, 21, ...new Array(37).fill(0)]],
    [
      'NEW_CONNECTION_ID retiring beyond its own sequence',
      [0x18, 1, 2, 1, 0, ...new Array(16).fill(0)],
    ],
    ['MAX_STREAMS over 2^60', [0x12, 0xd0, 0, 0, 0, 0, 0, 0, 1]],
    ['STREAMS_BLOCKED over 2^60', [0x17, 0xd0, 0, 0, 0, 0, 0, 0, 1]],
    [
      'STREAM beyond offset 2^62-1',
      [0x0e, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 0],
    ],
    ['truncated PATH_CHALLENGE', [0x1a, 1, 2, 3]],
    ['STREAM length past the payload', [0x0a, 0, 5, 1]],
  ];
  for (const [name, bytes] of cases) {
    it(name, () => {
      const e = quicError(() => decodeFrames(new Uint8Array(bytes)));
      expect(e.code).toBe(TransportError.FRAME_ENCODING_ERROR);
      expect(e.frameType).toBe(bytes[0]);
    });
  }

  it('a frame type not minimally encoded is a PROTOCOL_VIOLATION', () => {
    const e = quicError(() => decodeFrames(new Uint8Array([0x40, 0x01])));
    expect(e.code).toBe(TransportError.PROTOCOL_VIOLATION);
    // 0x30 (DATAGRAM) in 4 bytes, and an unknown 2-byte type minimally encoded.
    expect(quicError(() => decodeFrames(new Uint8Array([0x80, 0, 0, 0x30]))).code).toBe(
      TransportError.PROTOCOL_VIOLATION,
    );
    expect(quicError(() => decodeFrames(new Uint8Array([0x40, 0x40]))).code).toBe(
      TransportError.FRAME_ENCODING_ERROR,
    );
  });

  it('random bytes only ever raise QuicError (FRAME_ENCODING_ERROR, or PROTOCOL_VIOLATION for a long type)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeFrames(bytes);
        } catch (e) {
          if (!(e instanceof QuicError)) throw e;
          if (e.code === TransportError.PROTOCOL_VIOLATION)
            expect(bytes.some((b) => b >= 0x40)).toBe(true);
          else expect(e.code).toBe(TransportError.FRAME_ENCODING_ERROR);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('truncations of valid frames decode or raise FRAME_ENCODING_ERROR, never anything else', () => {
    const any = fc.oneof(...Object.values(frameArbitraries));
    fc.assert(
      fc.property(any, fc.nat(), (f, cut) => {
        const bytes = encode(f);
        const n = cut % bytes.length;
        try {
          decodeFrames(bytes.subarray(0, n));
        } catch (e) {
          expect(e).toBeInstanceOf(QuicError);
          expect((e as QuicError).code).toBe(TransportError.FRAME_ENCODING_ERROR);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the RFC 9001 A.3 server Initial payload', () => {
  it('decodes to ACK + CRYPTO, and only the CRYPTO frame is ack-eliciting', () => {
    const a3 = rfcSlice(rfcText(9001), 'A.3.  Server Initial', 'A.4.  Retry');
    const frames = decodeFrames(rfcHexBlockAfter(a3, 'and no PADDING frames:'));
    expect(frames.map((f) => f.type)).toEqual(['ack', 'crypto']);
    const ack = frames[0] as Extract<Frame, { type: 'ack' }>;
    expect(ack.ranges).toEqual([{ smallest: 0, largest: 0 }]);
    const crypto = frames[1] as Extract<Frame, { type: 'crypto' }>;
    expect(crypto.offset).toBe(0);
    expect(crypto.data[0]).toBe(0x02); // ServerHello
    expect(frames.map(isAckEliciting)).toEqual([false, true]);
  });
});
