import { DecodeError, Reader, type Writer } from '@x/wire';
import { frameEncodingError, QuicError, TransportError } from '../errors.js';
import { type AckFrame, decodeAck, encodeAck } from './ack.js';
import {
  type DataBlockedFrame,
  decodeDataBlocked,
  decodeStreamDataBlocked,
  decodeStreamsBlocked,
  encodeDataBlocked,
  encodeStreamDataBlocked,
  encodeStreamsBlocked,
  type StreamDataBlockedFrame,
  type StreamsBlockedFrame,
} from './blocked.js';
import { FrameType } from './common.js';
import {
  type ConnectionCloseFrame,
  decodeConnectionClose,
  encodeConnectionClose,
} from './connection-close.js';
import { type CryptoFrame, decodeCrypto, encodeCrypto } from './crypto.js';
import { type DatagramFrame, decodeDatagram, encodeDatagram } from './datagram.js';
import { HANDSHAKE_DONE, type HandshakeDoneFrame } from './handshake-done.js';
import {
  decodeMaxData,
  decodeMaxStreamData,
  decodeMaxStreams,
  encodeMaxData,
  encodeMaxStreamData,
  encodeMaxStreams,
  type MaxDataFrame,
  type MaxStreamDataFrame,
  type MaxStreamsFrame,
} from './max-data.js';
import {
  decodeNewConnectionId,
  encodeNewConnectionId,
  type NewConnectionIdFrame,
} from './new-connection-id.js';
import { decodeNewToken, encodeNewToken, type NewTokenFrame } from './new-token.js';
import {
  decodePadding,
  encodePadding,
  type PaddingFrame,
  PING,
  type PingFrame,
} from './padding-ping.js';
import {
  decodePathChallenge,
  decodePathResponse,
  encodePath,
  type PathChallengeFrame,
  type PathResponseFrame,
} from './path.js';
import { decodeResetStream, encodeResetStream, type ResetStreamFrame } from './reset-stream.js';
import {
  decodeRetireConnectionId,
  encodeRetireConnectionId,
  type RetireConnectionIdFrame,
} from './retire-connection-id.js';
import { decodeStopSending, encodeStopSending, type StopSendingFrame } from './stop-sending.js';
import { decodeStream, encodeStream, type StreamFrame, streamFrameType } from './stream.js';

/** Every RFC 9000 §19 frame, plus RFC 9221 DATAGRAM. */
export type Frame =
  | PaddingFrame
  | PingFrame
  | AckFrame
  | ResetStreamFrame
  | StopSendingFrame
  | CryptoFrame
  | NewTokenFrame
  | StreamFrame
  | MaxDataFrame
  | MaxStreamDataFrame
  | MaxStreamsFrame
  | DataBlockedFrame
  | StreamDataBlockedFrame
  | StreamsBlockedFrame
  | NewConnectionIdFrame
  | RetireConnectionIdFrame
  | PathChallengeFrame
  | PathResponseFrame
  | ConnectionCloseFrame
  | HandshakeDoneFrame
  | DatagramFrame;

/**
 * Decodes one frame at the reader's position. Frame data (STREAM, CRYPTO,
 * DATAGRAM, tokens, reason phrases) are views into the payload: nothing is
 * copied. Raises only QuicError: FRAME_ENCODING_ERROR for an unknown type or a
 * malformed or truncated frame (RFC 9000 §12.4), PROTOCOL_VIOLATION for a frame
 * type not in its shortest encoding (§12.4 allows that).
 */
export function decodeFrame(r: Reader): Frame {
  const at = r.offset;
  let frameType = 0;
  try {
    frameType = r.varint('Frame Type');
    // §12.4: the Frame Type is the one varint that must be minimally encoded.
    const minimal = frameType < 64 ? 1 : frameType < 16384 ? 2 : frameType < 1073741824 ? 4 : 8;
    if (r.offset - at !== minimal) {
      throw new QuicError(
        TransportError.PROTOCOL_VIOLATION,
        `frame type 0x${frameType.toString(16)} not minimally encoded`,
        frameType,
      );
    }
    return decodeBody(r, frameType);
  } catch (e) {
    throw frameEncodingError(e, frameType);
  }
}

function decodeBody(r: Reader, t: number): Frame {
  if (t >= 0x08 && t <= 0x0f) return decodeStream(r, t);
  switch (t) {
    case FrameType.PADDING:
      return decodePadding(r);
    case FrameType.PING:
      return PING;
    case FrameType.ACK:
    case FrameType.ACK_ECN:
      return decodeAck(r, t);
    case FrameType.RESET_STREAM:
      return decodeResetStream(r);
    case FrameType.STOP_SENDING:
      return decodeStopSending(r);
    case FrameType.CRYPTO:
      return decodeCrypto(r);
    case FrameType.NEW_TOKEN:
      return decodeNewToken(r);
    case FrameType.MAX_DATA:
      return decodeMaxData(r);
    case FrameType.MAX_STREAM_DATA:
      return decodeMaxStreamData(r);
    case FrameType.MAX_STREAMS_BIDI:
    case FrameType.MAX_STREAMS_UNI:
      return decodeMaxStreams(r, t);
    case FrameType.DATA_BLOCKED:
      return decodeDataBlocked(r);
    case FrameType.STREAM_DATA_BLOCKED:
      return decodeStreamDataBlocked(r);
    case FrameType.STREAMS_BLOCKED_BIDI:
    case FrameType.STREAMS_BLOCKED_UNI:
      return decodeStreamsBlocked(r, t);
    case FrameType.NEW_CONNECTION_ID:
      return decodeNewConnectionId(r);
    case FrameType.RETIRE_CONNECTION_ID:
      return decodeRetireConnectionId(r);
    case FrameType.PATH_CHALLENGE:
      return decodePathChallenge(r);
    case FrameType.PATH_RESPONSE:
      return decodePathResponse(r);
    case FrameType.CONNECTION_CLOSE:
    case FrameType.CONNECTION_CLOSE_APP:
      return decodeConnectionClose(r, t);
    case FrameType.HANDSHAKE_DONE:
      return HANDSHAKE_DONE;
    case FrameType.DATAGRAM:
    case FrameType.DATAGRAM_LEN:
      return decodeDatagram(r, t);
    default:
      // §12.4: "An endpoint MUST treat the receipt of a frame of unknown type as a
      // connection error of type FRAME_ENCODING_ERROR."
      throw new QuicError(
        TransportError.FRAME_ENCODING_ERROR,
        `unknown frame type 0x${t.toString(16)}`,
        t,
      );
  }
}

/**
 * Calls `onFrame` with each frame of a decrypted packet payload, in order, with
 * the frame's type code (the array-free path for the connection).
 */
export function forEachFrame(
  payload: Uint8Array,
  onFrame: (frame: Frame, frameType: number) => void,
): void {
  const r = new Reader(payload);
  while (!r.done) {
    const type = payload[r.offset]! < 0x40 ? payload[r.offset]! : peekType(r);
    onFrame(decodeFrame(r), type);
  }
}

function peekType(r: Reader): number {
  try {
    return new Reader(r.bytes, r.offset, r.end).varint();
  } catch (e) {
    if (e instanceof DecodeError) return 0;
    throw e;
  }
}

/** All frames of a payload. */
export function decodeFrames(payload: Uint8Array): Frame[] {
  const frames: Frame[] = [];
  forEachFrame(payload, (f) => frames.push(f));
  return frames;
}

/** The wire type code of a frame. */
export function frameTypeOf(f: Frame): number {
  switch (f.type) {
    case 'padding':
      return FrameType.PADDING;
    case 'ping':
      return FrameType.PING;
    case 'ack':
      return f.ecn ? FrameType.ACK_ECN : FrameType.ACK;
    case 'reset_stream':
      return FrameType.RESET_STREAM;
    case 'stop_sending':
      return FrameType.STOP_SENDING;
    case 'crypto':
      return FrameType.CRYPTO;
    case 'new_token':
      return FrameType.NEW_TOKEN;
    case 'stream':
      return streamFrameType(f);
    case 'max_data':
      return FrameType.MAX_DATA;
    case 'max_stream_data':
      return FrameType.MAX_STREAM_DATA;
    case 'max_streams':
      return f.bidirectional ? FrameType.MAX_STREAMS_BIDI : FrameType.MAX_STREAMS_UNI;
    case 'data_blocked':
      return FrameType.DATA_BLOCKED;
    case 'stream_data_blocked':
      return FrameType.STREAM_DATA_BLOCKED;
    case 'streams_blocked':
      return f.bidirectional ? FrameType.STREAMS_BLOCKED_BIDI : FrameType.STREAMS_BLOCKED_UNI;
    case 'new_connection_id':
      return FrameType.NEW_CONNECTION_ID;
    case 'retire_connection_id':
      return FrameType.RETIRE_CONNECTION_ID;
    case 'path_challenge':
      return FrameType.PATH_CHALLENGE;
    case 'path_response':
      return FrameType.PATH_RESPONSE;
    case 'connection_close':
      return f.application ? FrameType.CONNECTION_CLOSE_APP : FrameType.CONNECTION_CLOSE;
    case 'handshake_done':
      return FrameType.HANDSHAKE_DONE;
    case 'datagram':
      return f.explicitLength === false ? FrameType.DATAGRAM : FrameType.DATAGRAM_LEN;
  }
}

/** Appends a frame's encoding. A Writer over fixed memory throws EncodeError when full. */
export function encodeFrame(w: Writer, f: Frame): void {
  switch (f.type) {
    case 'padding':
      encodePadding(w, f);
      return;
    case 'ping':
      w.u8(FrameType.PING);
      return;
    case 'ack':
      encodeAck(w, f);
      return;
    case 'reset_stream':
      encodeResetStream(w, f);
      return;
    case 'stop_sending':
      encodeStopSending(w, f);
      return;
    case 'crypto':
      encodeCrypto(w, f);
      return;
    case 'new_token':
      encodeNewToken(w, f);
      return;
    case 'stream':
      encodeStream(w, f);
      return;
    case 'max_data':
      encodeMaxData(w, f);
      return;
    case 'max_stream_data':
      encodeMaxStreamData(w, f);
      return;
    case 'max_streams':
      encodeMaxStreams(w, f);
      return;
    case 'data_blocked':
      encodeDataBlocked(w, f);
      return;
    case 'stream_data_blocked':
      encodeStreamDataBlocked(w, f);
      return;
    case 'streams_blocked':
      encodeStreamsBlocked(w, f);
      return;
    case 'new_connection_id':
      encodeNewConnectionId(w, f);
      return;
    case 'retire_connection_id':
      encodeRetireConnectionId(w, f);
      return;
    case 'path_challenge':
    case 'path_response':
      encodePath(w, f);
      return;
    case 'connection_close':
      encodeConnectionClose(w, f);
      return;
    case 'handshake_done':
      w.u8(FrameType.HANDSHAKE_DONE);
      return;
    case 'datagram':
      encodeDatagram(w, f);
      return;
  }
}

/**
 * RFC 9002 §2: ack-eliciting frames are all but ACK, PADDING and CONNECTION_CLOSE.
 */
export function isAckEliciting(f: Frame): boolean {
  return f.type !== 'ack' && f.type !== 'padding' && f.type !== 'connection_close';
}

/**
 * RFC 9002 §2: in-flight packets are ack-eliciting or contain PADDING.
 */
export function countsInFlight(f: Frame): boolean {
  return f.type !== 'ack' && f.type !== 'connection_close';
}
