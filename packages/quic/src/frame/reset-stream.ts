import type { Reader, Writer } from '@x/wire';
import { FrameType } from './common.js';

/** RFC 9000 §19.4. */
export interface ResetStreamFrame {
  readonly type: 'reset_stream';
  readonly streamId: number;
  readonly applicationErrorCode: number;
  readonly finalSize: number;
}

export function decodeResetStream(r: Reader): ResetStreamFrame {
  const streamId = r.varint('Stream ID');
  const applicationErrorCode = r.varint('Application Protocol Error Code');
  // Any varint is at most 2^62-1, so the Final Size needs no further bound here.
  const finalSize = r.varint('Final Size');
  return { type: 'reset_stream', streamId, applicationErrorCode, finalSize };
}

export function encodeResetStream(w: Writer, f: ResetStreamFrame): void {
  w.varint(FrameType.RESET_STREAM)
    .varint(f.streamId)
    .varint(f.applicationErrorCode)
    .varint(f.finalSize);
}
