import { QuicError, TransportError } from '../errors.js';
import { MAX_STREAM_OFFSET } from '../frame/common.js';

interface Chunk {
  offset: number;
  data: Uint8Array;
}

/**
 * Ordered reassembly of one stream's (or one encryption level's CRYPTO) bytes,
 * RFC 9000 §2.2: data may arrive out of order, duplicated or overlapping; it is
 * delivered once, in order. Chunks are kept as views of the packet payloads
 * they arrived in (no copy on insert); already-delivered bytes are dropped.
 *
 * Final size rules (RFC 9000 §4.5) raise FINAL_SIZE_ERROR.
 */
export class ReceiveBuffer {
  /** Sorted, non-overlapping chunks at or above readOffset. */
  readonly #chunks: Chunk[] = [];
  #readOffset = 0;
  #highestOffset = 0;
  #finalSize: number | undefined = undefined;
  #buffered = 0;

  /** Bytes delivered to the application so far. */
  get readOffset(): number {
    return this.#readOffset;
  }

  /** One past the highest byte received (what flow control counts, §4.1). */
  get highestOffset(): number {
    return this.#highestOffset;
  }

  get finalSize(): number | undefined {
    return this.#finalSize;
  }

  /** Bytes held, not yet read. */
  get buffered(): number {
    return this.#buffered;
  }

  /** Every byte up to the final size was read. */
  get finished(): boolean {
    return this.#finalSize !== undefined && this.#readOffset === this.#finalSize;
  }

  /** Bytes readable now, contiguous from readOffset. */
  get readable(): number {
    let n = 0;
    let at = this.#readOffset;
    for (const c of this.#chunks) {
      if (c.offset !== at) break;
      n += c.data.length;
      at += c.data.length;
    }
    return n;
  }

  #setFinalSize(size: number): void {
    // §4.5: "Once a final size for a stream is known, it cannot change. If a
    // RESET_STREAM or STREAM frame is received indicating a change in the final
    // size for the stream, an endpoint SHOULD respond with FINAL_SIZE_ERROR";
    // a final size below data already received is also a FINAL_SIZE_ERROR.
    if (this.#finalSize !== undefined && this.#finalSize !== size) {
      throw new QuicError(
        TransportError.FINAL_SIZE_ERROR,
        `final size changed from ${this.#finalSize} to ${size}`,
      );
    }
    if (size < this.#highestOffset) {
      throw new QuicError(
        TransportError.FINAL_SIZE_ERROR,
        `final size ${size} is below data already received (${this.#highestOffset})`,
      );
    }
    this.#finalSize = size;
  }

  /**
   * Adds the data of a STREAM (or CRYPTO) frame. Returns how far the highest
   * received offset advanced (the new bytes flow control must count, §4.1).
   */
  insert(offset: number, data: Uint8Array, fin: boolean): number {
    const end = offset + data.length;
    if (end > MAX_STREAM_OFFSET) {
      throw new QuicError(TransportError.FRAME_ENCODING_ERROR, 'data beyond offset 2^62-1');
    }
    if (fin) this.#setFinalSize(end);
    else if (this.#finalSize !== undefined && end > this.#finalSize) {
      throw new QuicError(
        TransportError.FINAL_SIZE_ERROR,
        `data up to ${end} beyond the final size ${this.#finalSize}`,
      );
    }
    const advanced = Math.max(0, end - this.#highestOffset);
    this.#highestOffset = Math.max(this.#highestOffset, end);
    // Drop what was already delivered.
    let start = Math.max(offset, this.#readOffset);
    if (start >= end) return advanced;
    const chunks = this.#chunks;
    let i = 0;
    while (i < chunks.length && start < end) {
      const c = chunks[i]!;
      const cEnd = c.offset + c.data.length;
      if (cEnd <= start) {
        i++;
        continue;
      }
      if (c.offset > start) {
        // A gap before chunk c: fill [start, min(end, c.offset)).
        const pieceEnd = Math.min(end, c.offset);
        chunks.splice(i, 0, {
          offset: start,
          data: data.subarray(start - offset, pieceEnd - offset),
        });
        this.#buffered += pieceEnd - start;
        i++;
        start = pieceEnd;
        continue;
      }
      // c covers start: skip past it (the bytes it holds were received first).
      start = cEnd;
      i++;
    }
    if (start < end) {
      chunks.push({ offset: start, data: data.subarray(start - offset) });
      this.#buffered += end - start;
    }
    return advanced;
  }

  /**
   * Takes up to `max` contiguous bytes from readOffset: a view when they sit in
   * one chunk, a copy when they span several. Undefined when nothing is readable.
   */
  read(max = Number.POSITIVE_INFINITY): Uint8Array | undefined {
    const chunks = this.#chunks;
    const first = chunks[0];
    if (first === undefined || first.offset !== this.#readOffset || max <= 0) return undefined;
    if (first.data.length >= max || chunks[1]?.offset !== first.offset + first.data.length) {
      const n = Math.min(max, first.data.length);
      const out = first.data.subarray(0, n);
      this.#consume(n);
      return out;
    }
    const n = Math.min(max, this.readable);
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const c = chunks[0]!;
      const take = Math.min(n - filled, c.data.length);
      out.set(c.data.subarray(0, take), filled);
      filled += take;
      this.#consume(take);
    }
    return out;
  }

  #consume(n: number): void {
    const c = this.#chunks[0]!;
    if (n === c.data.length) this.#chunks.shift();
    else {
      c.data = c.data.subarray(n);
      c.offset += n;
    }
    this.#readOffset += n;
    this.#buffered -= n;
  }

  /**
   * RESET_STREAM (§19.4): the peer abandoned the stream at `finalSize`. Returns
   * how far the highest offset advanced, for flow control; drops buffered data.
   */
  reset(finalSize: number): number {
    const before = this.#highestOffset;
    this.#setFinalSize(finalSize);
    this.#highestOffset = finalSize;
    this.#chunks.length = 0;
    this.#buffered = 0;
    return finalSize - before;
  }
}
