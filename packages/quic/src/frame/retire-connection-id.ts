import type { Reader, Writer } from '@x/wire';
import { FrameType } from './common.js';

/** RFC 9000 §19.16. */
export interface RetireConnectionIdFrame {
  readonly type: 'retire_connection_id';
  readonly sequenceNumber: number;
}

export function decodeRetireConnectionId(r: Reader): RetireConnectionIdFrame {
  return { type: 'retire_connection_id', sequenceNumber: r.varint('Sequence Number') };
}

export function encodeRetireConnectionId(w: Writer, f: RetireConnectionIdFrame): void {
  w.varint(FrameType.RETIRE_CONNECTION_ID).varint(f.sequenceNumber);
}
