import type { Reader, Writer } from '@x/wire';

/** RFC 9000 §19.1: a run of PADDING bytes, decoded as one frame. */
export interface PaddingFrame {
  readonly type: 'padding';
  readonly length: number;
}

/** RFC 9000 §19.2. */
export interface PingFrame {
  readonly type: 'ping';
}

export const PING: PingFrame = Object.freeze({ type: 'ping' });

/** Called after the first 0x00: swallows the rest of the run. */
export function decodePadding(r: Reader): PaddingFrame {
  const bytes = r.bytes;
  let i = r.offset;
  const end = r.end;
  while (i < end && bytes[i] === 0) i++;
  const run = i - r.offset;
  r.skip(run);
  return { type: 'padding', length: run + 1 };
}

export function encodePadding(w: Writer, f: PaddingFrame): void {
  w.zeros(f.length);
}
