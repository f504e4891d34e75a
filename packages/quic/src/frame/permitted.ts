import { QuicError, TransportError } from '../errors.js';
import { type Frame, forEachFrame } from './codec.js';
import { FrameType } from './common.js';

/** The packet types that carry frames (RFC 9000 §12.4). */
export type FramePacketType = 'initial' | '0rtt' | 'handshake' | '1rtt';

const I = 1;
const Z = 2; // 0-RTT
const H = 4;
const O = 8; // 1-RTT

/**
 * RFC 9000 §12.4 Table 3, "Pkts" column: I = Initial, H = Handshake, 0 = 0-RTT,
 * 1 = 1-RTT. RFC 9221 §4: DATAGRAM is allowed in 0-RTT and 1-RTT.
 */
const PERMITTED = new Map<number, number>([
  [FrameType.PADDING, I | H | Z | O],
  [FrameType.PING, I | H | Z | O],
  [FrameType.ACK, I | H | O],
  [FrameType.ACK_ECN, I | H | O],
  [FrameType.RESET_STREAM, Z | O],
  [FrameType.STOP_SENDING, Z | O],
  [FrameType.CRYPTO, I | H | O],
  [FrameType.NEW_TOKEN, O],
  ...[8, 9, 10, 11, 12, 13, 14, 15].map((t): [number, number] => [t, Z | O]),
  [FrameType.MAX_DATA, Z | O],
  [FrameType.MAX_STREAM_DATA, Z | O],
  [FrameType.MAX_STREAMS_BIDI, Z | O],
  [FrameType.MAX_STREAMS_UNI, Z | O],
  [FrameType.DATA_BLOCKED, Z | O],
  [FrameType.STREAM_DATA_BLOCKED, Z | O],
  [FrameType.STREAMS_BLOCKED_BIDI, Z | O],
  [FrameType.STREAMS_BLOCKED_UNI, Z | O],
  [FrameType.NEW_CONNECTION_ID, Z | O],
  [FrameType.RETIRE_CONNECTION_ID, Z | O],
  [FrameType.PATH_CHALLENGE, Z | O],
  [FrameType.PATH_RESPONSE, O],
  [FrameType.CONNECTION_CLOSE, I | H | Z | O],
  [FrameType.CONNECTION_CLOSE_APP, Z | O],
  [FrameType.HANDSHAKE_DONE, O],
  [FrameType.DATAGRAM, Z | O],
  [FrameType.DATAGRAM_LEN, Z | O],
]);

const BIT: Readonly<Record<FramePacketType, number>> = {
  initial: I,
  '0rtt': Z,
  handshake: H,
  '1rtt': O,
};

/** Whether Table 3 allows this frame type in this packet type. */
export function isFramePermitted(frameType: number, packetType: FramePacketType): boolean {
  return ((PERMITTED.get(frameType) ?? 0) & BIT[packetType]) !== 0;
}

/**
 * Frames only a server sends: NEW_TOKEN (§19.7: "A server MUST treat receipt of
 * a NEW_TOKEN frame as a connection error of type PROTOCOL_VIOLATION") and
 * HANDSHAKE_DONE (§19.20, same rule).
 */
function serverOnly(frameType: number): boolean {
  return frameType === FrameType.NEW_TOKEN || frameType === FrameType.HANDSHAKE_DONE;
}

/**
 * Raises PROTOCOL_VIOLATION (RFC 9000 §12.4) when a frame is not allowed in the
 * packet type it arrived in, or was sent by the wrong role.
 */
export function checkFramePermitted(
  frameType: number,
  packetType: FramePacketType,
  receiver: 'client' | 'server',
): void {
  if (!isFramePermitted(frameType, packetType)) {
    throw new QuicError(
      TransportError.PROTOCOL_VIOLATION,
      `frame type 0x${frameType.toString(16)} is not permitted in ${packetType} packets`,
      frameType,
    );
  }
  if (receiver === 'server' && serverOnly(frameType)) {
    throw new QuicError(
      TransportError.PROTOCOL_VIOLATION,
      `a client sent frame type 0x${frameType.toString(16)}`,
      frameType,
    );
  }
}

/**
 * Decodes a decrypted packet payload, checking each frame against Table 3.
 * RFC 9000 §12.4: a payload with no frames is a PROTOCOL_VIOLATION.
 */
export function decodePacketPayload(
  payload: Uint8Array,
  packetType: FramePacketType,
  receiver: 'client' | 'server',
  onFrame: (frame: Frame, frameType: number) => void,
): void {
  if (payload.length === 0) {
    throw new QuicError(TransportError.PROTOCOL_VIOLATION, 'packet payload contains no frames');
  }
  forEachFrame(payload, (frame, frameType) => {
    checkFramePermitted(frameType, packetType, receiver);
    onFrame(frame, frameType);
  });
}
