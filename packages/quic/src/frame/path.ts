import type { Reader, Writer } from '@x/wire';
import { FrameType } from './common.js';

/** RFC 9000 §19.17 / §19.18: 8 bytes of arbitrary data, echoed in the response. */
export interface PathChallengeFrame {
  readonly type: 'path_challenge';
  readonly data: Uint8Array;
}

export interface PathResponseFrame {
  readonly type: 'path_response';
  readonly data: Uint8Array;
}

export function decodePathChallenge(r: Reader): PathChallengeFrame {
  return { type: 'path_challenge', data: r.bytesView(8, 'Data') };
}

export function decodePathResponse(r: Reader): PathResponseFrame {
  return { type: 'path_response', data: r.bytesView(8, 'Data') };
}

export function encodePath(w: Writer, f: PathChallengeFrame | PathResponseFrame): void {
  if (f.data.length !== 8) throw new RangeError('PATH_CHALLENGE/PATH_RESPONSE data is 8 bytes');
  w.varint(f.type === 'path_challenge' ? FrameType.PATH_CHALLENGE : FrameType.PATH_RESPONSE);
  w.bytes(f.data);
}
