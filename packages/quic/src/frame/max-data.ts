import type { Reader, Writer } from '@x/wire';
import { FrameType, MAX_STREAMS_LIMIT, MAX_STREAMS_LIMIT_BIG, readVarintWithin } from './common.js';

/** RFC 9000 §19.9. */
export interface MaxDataFrame {
  readonly type: 'max_data';
  readonly maximumData: number;
}

/** RFC 9000 §19.10. */
export interface MaxStreamDataFrame {
  readonly type: 'max_stream_data';
  readonly streamId: number;
  readonly maximumStreamData: number;
}

/** RFC 9000 §19.11: 0x12 bidirectional, 0x13 unidirectional. */
export interface MaxStreamsFrame {
  readonly type: 'max_streams';
  readonly bidirectional: boolean;
  readonly maximumStreams: number;
}

export function decodeMaxData(r: Reader): MaxDataFrame {
  return { type: 'max_data', maximumData: r.varint('Maximum Data') };
}

export function decodeMaxStreamData(r: Reader): MaxStreamDataFrame {
  const streamId = r.varint('Stream ID');
  return { type: 'max_stream_data', streamId, maximumStreamData: r.varint('Maximum Stream Data') };
}

export function decodeMaxStreams(r: Reader, frameType: number): MaxStreamsFrame {
  // §19.11: a value over 2^60 "MUST be treated as a connection error of type FRAME_ENCODING_ERROR".
  const maximumStreams = readVarintWithin(
    r,
    0,
    MAX_STREAMS_LIMIT_BIG,
    frameType,
    'Maximum Streams',
  );
  return {
    type: 'max_streams',
    bidirectional: frameType === FrameType.MAX_STREAMS_BIDI,
    maximumStreams,
  };
}

export function encodeMaxData(w: Writer, f: MaxDataFrame): void {
  w.varint(FrameType.MAX_DATA).varint(f.maximumData);
}

export function encodeMaxStreamData(w: Writer, f: MaxStreamDataFrame): void {
  w.varint(FrameType.MAX_STREAM_DATA).varint(f.streamId).varint(f.maximumStreamData);
}

export function encodeMaxStreams(w: Writer, f: MaxStreamsFrame): void {
  if (f.maximumStreams > MAX_STREAMS_LIMIT) throw new RangeError('Maximum Streams over 2^60');
  w.varint(f.bidirectional ? FrameType.MAX_STREAMS_BIDI : FrameType.MAX_STREAMS_UNI);
  w.varint(f.maximumStreams);
}
