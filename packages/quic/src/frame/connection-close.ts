import type { Reader, Writer } from '@x/wire';
import { FrameType } from './common.js';

/**
 * RFC 9000 §19.19: type 0x1c carries a transport error code and the frame type
 * that caused it; 0x1d an application error code. The reason phrase is a view
 * (UTF-8 by convention, not checked: §19.19 says it SHOULD be UTF-8).
 */
export interface ConnectionCloseFrame {
  readonly type: 'connection_close';
  readonly application: boolean;
  readonly errorCode: number;
  /** 0x1c only: the frame type that triggered the error (0 when unknown). */
  readonly frameType: number;
  readonly reasonPhrase: Uint8Array;
}

export function decodeConnectionClose(r: Reader, frameType: number): ConnectionCloseFrame {
  const application = frameType === FrameType.CONNECTION_CLOSE_APP;
  const errorCode = r.varint('Error Code');
  const triggering = application ? 0 : r.varint('Frame Type');
  const reasonPhrase = r.varintVector('Reason Phrase');
  return { type: 'connection_close', application, errorCode, frameType: triggering, reasonPhrase };
}

export function encodeConnectionClose(w: Writer, f: ConnectionCloseFrame): void {
  w.varint(f.application ? FrameType.CONNECTION_CLOSE_APP : FrameType.CONNECTION_CLOSE);
  w.varint(f.errorCode);
  if (!f.application) w.varint(f.frameType);
  w.varintVector(f.reasonPhrase);
}
