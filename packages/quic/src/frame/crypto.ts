import { Reader, varintLength, type Writer } from '@x/wire';
import { FrameType, MAX_STREAM_OFFSET_BIG, readVarintWithin } from './common.js';

/** RFC 9000 §19.6. `data` is a view into the packet payload (no copy). */
export interface CryptoFrame {
  readonly type: 'crypto';
  readonly offset: number;
  readonly data: Uint8Array;
}

export function decodeCrypto(r: Reader): CryptoFrame {
  const offsetAt = r.offset;
  const offset = r.varint('Offset');
  const data = r.varintVector('Crypto Data');
  // §19.6: offset + length over 2^62-1 is FRAME_ENCODING_ERROR or CRYPTO_BUFFER_EXCEEDED.
  // Only an 8-byte offset can reach that, and only those are re-read exactly.
  if (offset >= 2 ** 30) {
    const exact = new Reader(r.bytes, offsetAt, r.end);
    readVarintWithin(exact, data.length, MAX_STREAM_OFFSET_BIG, FrameType.CRYPTO, 'Offset');
  }
  return { type: 'crypto', offset, data };
}

export function encodeCrypto(w: Writer, f: CryptoFrame): void {
  w.varint(FrameType.CRYPTO).varint(f.offset).varintVector(f.data);
}

/** Bytes of a CRYPTO frame header before `dataLength` bytes of data at `offset`. */
export function cryptoFrameOverhead(offset: number, dataLength: number): number {
  return 1 + varintLength(offset) + varintLength(dataLength);
}
