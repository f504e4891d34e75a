import type { Reader, Writer } from '@x/wire';
import { FrameType, malformed } from './common.js';

/** RFC 9000 §19.7. */
export interface NewTokenFrame {
  readonly type: 'new_token';
  readonly token: Uint8Array;
}

export function decodeNewToken(r: Reader): NewTokenFrame {
  const token = r.varintVector('Token');
  // §19.7: "A client MUST treat receipt of a NEW_TOKEN frame with an empty
  // Token field as a connection error of type FRAME_ENCODING_ERROR."
  if (token.length === 0) throw malformed(FrameType.NEW_TOKEN, 'empty NEW_TOKEN token');
  return { type: 'new_token', token };
}

export function encodeNewToken(w: Writer, f: NewTokenFrame): void {
  if (f.token.length === 0) throw new RangeError('NEW_TOKEN token must not be empty');
  w.varint(FrameType.NEW_TOKEN).varintVector(f.token);
}
