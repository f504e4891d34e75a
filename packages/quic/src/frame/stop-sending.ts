import type { Reader, Writer } from '@x/wire';
import { FrameType } from './common.js';

/** RFC 9000 §19.5. */
export interface StopSendingFrame {
  readonly type: 'stop_sending';
  readonly streamId: number;
  readonly applicationErrorCode: number;
}

export function decodeStopSending(r: Reader): StopSendingFrame {
  const streamId = r.varint('Stream ID');
  const applicationErrorCode = r.varint('Application Protocol Error Code');
  return { type: 'stop_sending', streamId, applicationErrorCode };
}

export function encodeStopSending(w: Writer, f: StopSendingFrame): void {
  w.varint(FrameType.STOP_SENDING).varint(f.streamId).varint(f.applicationErrorCode);
}
