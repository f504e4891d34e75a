import type { Reader, Writer } from '@x/wire';
import { FrameType, malformed } from './common.js';

/** RFC 9000 §10.3: a stateless reset token is 16 bytes. */
export const STATELESS_RESET_TOKEN_LENGTH = 16;

/** RFC 9000 §19.15. */
export interface NewConnectionIdFrame {
  readonly type: 'new_connection_id';
  readonly sequenceNumber: number;
  readonly retirePriorTo: number;
  readonly connectionId: Uint8Array;
  readonly statelessResetToken: Uint8Array;
}

export function decodeNewConnectionId(r: Reader): NewConnectionIdFrame {
  const t = FrameType.NEW_CONNECTION_ID;
  const sequenceNumber = r.varint('Sequence Number');
  const retirePriorTo = r.varint('Retire Prior To');
  // §19.15: "Receipt of a frame in which Retire Prior To is greater than Sequence
  // Number MUST be treated as a connection error of type FRAME_ENCODING_ERROR."
  if (retirePriorTo > sequenceNumber) throw malformed(t, 'Retire Prior To exceeds Sequence Number');
  const length = r.u8('Length');
  // §19.15: "Values less than 1 and greater than 20 are invalid and MUST be
  // treated as a connection error of type FRAME_ENCODING_ERROR."
  if (length < 1 || length > 20) throw malformed(t, `connection ID length ${length}`);
  const connectionId = r.bytesView(length, 'Connection ID');
  const statelessResetToken = r.bytesView(STATELESS_RESET_TOKEN_LENGTH, 'Stateless Reset Token');
  return {
    type: 'new_connection_id',
    sequenceNumber,
    retirePriorTo,
    connectionId,
    statelessResetToken,
  };
}

export function encodeNewConnectionId(w: Writer, f: NewConnectionIdFrame): void {
  if (f.connectionId.length < 1 || f.connectionId.length > 20) {
    throw new RangeError('NEW_CONNECTION_ID needs a 1-20 byte connection ID');
  }
  if (f.statelessResetToken.length !== STATELESS_RESET_TOKEN_LENGTH) {
    throw new RangeError('stateless reset token must be 16 bytes');
  }
  if (f.retirePriorTo > f.sequenceNumber)
    throw new RangeError('Retire Prior To exceeds Sequence Number');
  w.varint(FrameType.NEW_CONNECTION_ID).varint(f.sequenceNumber).varint(f.retirePriorTo);
  w.vector8(f.connectionId).bytes(f.statelessResetToken);
}
