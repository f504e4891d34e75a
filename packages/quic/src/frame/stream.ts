import { Reader, type Writer } from '@x/wire';
import { MAX_STREAM_OFFSET_BIG, readVarintWithin } from './common.js';

/** RFC 9000 §19.8: the three low bits of the STREAM frame type (0x08-0x0f). */
const OFF = 0x04;
const LEN = 0x02;
const FIN = 0x01;

/** RFC 9000 §19.8. `data` is a view into the packet payload (no copy). */
export interface StreamFrame {
  readonly type: 'stream';
  readonly streamId: number;
  readonly offset: number;
  readonly data: Uint8Array;
  readonly fin: boolean;
  /**
   * Whether the frame carries a Length field. Without one the data runs to the
   * end of the packet, so such a frame must be last. Default true when encoding.
   */
  readonly explicitLength?: boolean;
}

export function decodeStream(r: Reader, frameType: number): StreamFrame {
  const streamId = r.varint('Stream ID');
  // §19.8: "The largest offset delivered on a stream -- the sum of the offset and
  // data length -- cannot exceed 2^62-1." The offset is checked once the length is known.
  // Only an 8-byte offset can reach that, and only those are re-read exactly.
  const offsetAt = r.offset;
  const offset = (frameType & OFF) !== 0 ? r.varint('Offset') : 0;
  const explicitLength = (frameType & LEN) !== 0;
  const data = explicitLength ? r.varintVector('Stream Data') : r.rest();
  if (offset >= 2 ** 30) {
    const exact = new Reader(r.bytes, offsetAt, r.end);
    readVarintWithin(exact, data.length, MAX_STREAM_OFFSET_BIG, frameType, 'Offset');
  }
  return { type: 'stream', streamId, offset, data, fin: (frameType & FIN) !== 0, explicitLength };
}

/** The STREAM frame type byte for these fields (0x08-0x0f). */
export function streamFrameType(f: StreamFrame): number {
  return (
    0x08 | (f.offset > 0 ? OFF : 0) | (f.explicitLength !== false ? LEN : 0) | (f.fin ? FIN : 0)
  );
}

export function encodeStream(w: Writer, f: StreamFrame): void {
  const type = streamFrameType(f);
  w.u8(type).varint(f.streamId);
  if ((type & OFF) !== 0) w.varint(f.offset);
  if ((type & LEN) !== 0) w.varintVector(f.data);
  else w.bytes(f.data);
}
