import type { Reader } from '@x/wire';
import { QuicError, TransportError } from '../errors.js';

/** RFC 9000 §19.8: the largest stream offset (and final size) is 2^62-1. */
export const MAX_STREAM_OFFSET = 2 ** 62 - 1;
/** RFC 9000 §19.11: MAX_STREAMS / STREAMS_BLOCKED cannot exceed 2^60. */
export const MAX_STREAMS_LIMIT = 2 ** 60;

/** RFC 9000 §12.4 Table 3 frame type code points. */
export const FrameType = {
  PADDING: 0x00,
  PING: 0x01,
  ACK: 0x02,
  ACK_ECN: 0x03,
  RESET_STREAM: 0x04,
  STOP_SENDING: 0x05,
  CRYPTO: 0x06,
  NEW_TOKEN: 0x07,
  STREAM: 0x08,
  MAX_DATA: 0x10,
  MAX_STREAM_DATA: 0x11,
  MAX_STREAMS_BIDI: 0x12,
  MAX_STREAMS_UNI: 0x13,
  DATA_BLOCKED: 0x14,
  STREAM_DATA_BLOCKED: 0x15,
  STREAMS_BLOCKED_BIDI: 0x16,
  STREAMS_BLOCKED_UNI: 0x17,
  NEW_CONNECTION_ID: 0x18,
  RETIRE_CONNECTION_ID: 0x19,
  PATH_CHALLENGE: 0x1a,
  PATH_RESPONSE: 0x1b,
  CONNECTION_CLOSE: 0x1c,
  CONNECTION_CLOSE_APP: 0x1d,
  HANDSHAKE_DONE: 0x1e,
  /** RFC 9221 §4: DATAGRAM without / with a Length field. */
  DATAGRAM: 0x30,
  DATAGRAM_LEN: 0x31,
} as const;

/** A malformed field inside a well-delimited frame: FRAME_ENCODING_ERROR. */
export function malformed(frameType: number, reason: string): QuicError {
  return new QuicError(TransportError.FRAME_ENCODING_ERROR, reason, frameType);
}

/**
 * Reads an offset-like varint and checks `value + extra <= limit` exactly: above
 * 2^53 a number rounds, so 8-byte encodings are checked as bigints.
 */
export function readVarintWithin(
  r: Reader,
  extra: number,
  limit: bigint,
  frameType: number,
  what: string,
): number {
  const first = r.bytes[r.offset];
  if (first === undefined || first < 0xc0) {
    // At most 2^30-1: exact.
    const value = r.varint(what);
    if (BigInt(value + extra) > limit) throw malformed(frameType, `${what} over the limit`);
    return value;
  }
  const value = r.varintBig(what);
  if (value + BigInt(extra) > limit) throw malformed(frameType, `${what} over the limit`);
  return Number(value);
}

export const MAX_STREAM_OFFSET_BIG = 2n ** 62n - 1n;
export const MAX_STREAMS_LIMIT_BIG = 2n ** 60n;
