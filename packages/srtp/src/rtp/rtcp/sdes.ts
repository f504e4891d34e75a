import { DecodeError, EncodeError } from '@x/wire';
import { need, type Out, u32 } from './bytes.js';
import type { SdesChunk, SdesItem, SourceDescription } from './types.js';

/** SDES body (RFC 3550 §6.5): `count` chunks of SSRC, items, a null octet, padding to 32 bits. */
export function parseSdes(body: Uint8Array, count: number, base: number): SourceDescription {
  const chunks: SdesChunk[] = [];
  let at = 0;
  for (let c = 0; c < count; c++) {
    need(body, at, 4, 'SDES chunk SSRC', base);
    const ssrc = u32(body, at);
    at += 4;
    const items: SdesItem[] = [];
    for (;;) {
      need(body, at, 1, 'SDES item type', base);
      const type = body[at]!;
      if (type === 0) {
        // The list ends with a null octet; the chunk is padded to a 32-bit boundary.
        at = (at + 4) & ~3;
        if (at > body.length) throw new DecodeError('SDES chunk padding', base + body.length);
        break;
      }
      need(body, at + 1, 1, 'SDES item length', base);
      const len = body[at + 1]!;
      need(body, at + 2, len, `${len}-byte SDES item`, base);
      items.push({ type, value: body.subarray(at + 2, at + 2 + len) });
      at += 2 + len;
    }
    chunks.push({ ssrc, items });
  }
  return { type: 'sdes', chunks };
}

export function sdesChunkSize(chunk: SdesChunk): number {
  let n = 4;
  for (const item of chunk.items) n += 2 + item.value.length;
  return (n + 4) & ~3; // at least one null octet, then pad to 32 bits
}

export function writeSdes(w: Out, chunks: readonly SdesChunk[]): void {
  for (const chunk of chunks) {
    if (chunk.items.some((i) => i.type < 1 || i.type > 255 || i.value.length > 255)) {
      throw new EncodeError('SDES items have type 1..255 and at most 255 bytes');
    }
    const end = w.at + sdesChunkSize(chunk);
    w.u32(chunk.ssrc);
    for (const item of chunk.items) w.u8(item.type).u8(item.value.length).raw(item.value);
    w.at = end; // null terminator and padding are the buffer's zeros
  }
}
