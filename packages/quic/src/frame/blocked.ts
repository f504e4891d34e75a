import type { Reader, Writer } from '@x/wire';
import { FrameType, MAX_STREAMS_LIMIT, MAX_STREAMS_LIMIT_BIG, readVarintWithin } from './common.js';

/** RFC 9000 §19.12. */
export interface DataBlockedFrame {
  readonly type: 'data_blocked';
  readonly maximumData: number;
}

/** RFC 9000 §19.13. */
export interface StreamDataBlockedFrame {
  readonly type: 'stream_data_blocked';
  readonly streamId: number;
  readonly maximumStreamData: number;
}

/** RFC 9000 §19.14: 0x16 bidirectional, 0x17 unidirectional. */
export interface StreamsBlockedFrame {
  readonly type: 'streams_blocked';
  readonly bidirectional: boolean;
  readonly maximumStreams: number;
}

export function decodeDataBlocked(r: Reader): DataBlockedFrame {
  return { type: 'data_blocked', maximumData: r.varint('Maximum Data') };
}

export function decodeStreamDataBlocked(r: Reader): StreamDataBlockedFrame {
  const streamId = r.varint('Stream ID');
  return {
    type: 'stream_data_blocked',
    streamId,
    maximumStreamData: r.varint('Maximum Stream Data'),
  };
}

export function decodeStreamsBlocked(r: Reader, frameType: number): StreamsBlockedFrame {
  // §19.14: a value over 2^60 MUST be treated as FRAME_ENCODING_ERROR.
  const maximumStreams = readVarintWithin(
    r,
    0,
    MAX_STREAMS_LIMIT_BIG,
    frameType,
    'Maximum Streams',
  );
  return {
    type: 'streams_blocked',
    bidirectional: frameType === FrameType.STREAMS_BLOCKED_BIDI,
    maximumStreams,
  };
}

export function encodeDataBlocked(w: Writer, f: DataBlockedFrame): void {
  w.varint(FrameType.DATA_BLOCKED).varint(f.maximumData);
}

export function encodeStreamDataBlocked(w: Writer, f: StreamDataBlockedFrame): void {
  w.varint(FrameType.STREAM_DATA_BLOCKED).varint(f.streamId).varint(f.maximumStreamData);
}

export function encodeStreamsBlocked(w: Writer, f: StreamsBlockedFrame): void {
  if (f.maximumStreams > MAX_STREAMS_LIMIT) throw new RangeError('Maximum Streams over 2^60');
  w.varint(f.bidirectional ? FrameType.STREAMS_BLOCKED_BIDI : FrameType.STREAMS_BLOCKED_UNI);
  w.varint(f.maximumStreams);
}
