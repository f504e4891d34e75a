import { EncodeError } from '@x/wire';
import { need, type Out, u32 } from './bytes.js';
import type { Goodbye } from './types.js';

/** BYE body (RFC 3550 §6.6): `count` SSRC/CSRCs and an optional length-prefixed reason. */
export function parseBye(body: Uint8Array, count: number, base: number): Goodbye {
  need(body, 0, 4 * count, `${count} BYE SSRCs`, base);
  const ssrcs: number[] = [];
  for (let i = 0; i < count; i++) ssrcs.push(u32(body, 4 * i));
  const at = 4 * count;
  if (at < body.length) {
    const len = body[at]!;
    need(body, at + 1, len, 'BYE reason', base);
    return { type: 'bye', ssrcs, reason: body.subarray(at + 1, at + 1 + len) };
  }
  return { type: 'bye', ssrcs };
}

export function byeBodySize(p: Goodbye): number {
  return 4 * p.ssrcs.length + (p.reason ? (1 + p.reason.length + 3) & ~3 : 0);
}

export function writeBye(w: Out, p: Goodbye): void {
  if (p.reason && p.reason.length > 255) throw new EncodeError('BYE reason is at most 255 bytes');
  const end = w.at + byeBodySize(p);
  for (const s of p.ssrcs) w.u32(s);
  if (p.reason) w.u8(p.reason.length).raw(p.reason);
  w.at = end;
}
