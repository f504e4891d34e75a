/** A piece of stream data to put in a STREAM (or CRYPTO) frame. */
export interface SendChunk {
  readonly offset: number;
  readonly data: Uint8Array;
  readonly fin: boolean;
}

/**
 * One stream's outgoing bytes (or one level's CRYPTO bytes): what the
 * application wrote, what is still to send, what must be sent again because a
 * packet carrying it was lost, and what the peer acknowledged (RFC 9000 §2.2,
 * §13.3: lost data is retransmitted in new frames, never by resending packets).
 *
 * Written buffers are kept by reference; the writer must not change them.
 */
export class SendBuffer {
  /** Written data not yet acknowledged, as [offset, bytes] in order. */
  readonly #chunks: { offset: number; data: Uint8Array }[] = [];
  #writeOffset = 0;
  /** Next never-sent offset. */
  #sendOffset = 0;
  #fin = false;
  #finSent = false;
  #finAcked = false;
  /** Lost ranges to send again, as [start, end) sorted by start. */
  readonly #retransmit: [number, number][] = [];
  #retransmitFin = false;
  /** Every byte below this offset is acknowledged. */
  #ackedPrefix = 0;
  /** Acknowledged [start, end) byte ranges above ackedPrefix, sorted. */
  #ackedRanges: [number, number][] = [];

  get writeOffset(): number {
    return this.#writeOffset;
  }

  /** Bytes below this offset are acknowledged and freed. */
  get ackedOffset(): number {
    return this.#ackedPrefix;
  }

  get finished(): boolean {
    return this.#fin;
  }

  /** Every byte and the FIN were acknowledged (the "Data Recvd" state, §3.1). */
  get allAcked(): boolean {
    return this.#fin && this.#finAcked && this.#ackedPrefix === this.#writeOffset;
  }

  /** Whether there is anything to (re)send. */
  get hasPending(): boolean {
    return (
      this.#retransmit.length > 0 ||
      this.#retransmitFin ||
      this.#sendOffset < this.#writeOffset ||
      (this.#fin && !this.#finSent)
    );
  }

  write(data: Uint8Array): void {
    if (this.#fin) throw new Error('stream already finished');
    if (data.length === 0) return;
    this.#chunks.push({ offset: this.#writeOffset, data });
    this.#writeOffset += data.length;
  }

  /**
   * Nothing sent so far reached the peer (it refused our 0-RTT, RFC 9001
   * §4.6.2): everything goes again as new data, under the peer's new limits.
   */
  rewind(): void {
    this.#sendOffset = this.#ackedPrefix;
    this.#retransmit.length = 0;
    this.#retransmitFin = false;
    this.#finSent = this.#finAcked;
  }

  /** Marks the end of the stream (a FIN will be sent after the last byte). */
  finish(): void {
    this.#fin = true;
  }

  /**
   * The next chunk to send, at most `maxBytes` of data, lost data first. `limit`
   * is the flow-control limit on offsets for new data (§4.1; retransmissions were
   * already within it). Undefined when nothing may be sent.
   */
  next(maxBytes: number, limit = Number.POSITIVE_INFINITY): SendChunk | undefined {
    const lost = this.#retransmit[0];
    if (lost !== undefined) {
      const [start, end] = lost;
      const stop = Math.min(end, start + maxBytes);
      if (stop === end) this.#retransmit.shift();
      else lost[0] = stop;
      const fin =
        this.#fin && stop === this.#writeOffset && (this.#retransmitFin || !this.#finSent);
      if (fin) {
        this.#retransmitFin = false;
        this.#finSent = true;
      }
      return { offset: start, data: this.#slice(start, stop), fin };
    }
    const start = this.#sendOffset;
    const stop = Math.min(this.#writeOffset, start + maxBytes, Math.max(limit, start));
    const fin = this.#fin && stop === this.#writeOffset && (!this.#finSent || this.#retransmitFin);
    if (stop === start && !fin) return undefined;
    this.#sendOffset = stop;
    if (fin) {
      this.#finSent = true;
      this.#retransmitFin = false;
    }
    return { offset: start, data: this.#slice(start, stop), fin };
  }

  #slice(start: number, stop: number): Uint8Array {
    if (stop <= start) return new Uint8Array(0);
    const chunks = this.#chunks;
    // Find the chunk holding `start` (chunks are few: acknowledged ones are freed).
    let i = 0;
    while (i < chunks.length && chunks[i]!.offset + chunks[i]!.data.length <= start) i++;
    const c = chunks[i]!;
    if (stop <= c.offset + c.data.length) {
      return c.data.subarray(start - c.offset, stop - c.offset);
    }
    const out = new Uint8Array(stop - start);
    let at = start;
    while (at < stop) {
      const k = chunks[i++]!;
      const from = at - k.offset;
      const take = Math.min(k.data.length - from, stop - at);
      out.set(k.data.subarray(from, from + take), at - start);
      at += take;
    }
    return out;
  }

  /** A packet carrying [offset, offset + length) (and maybe the FIN) was acknowledged. */
  onAcked(offset: number, length: number, fin: boolean): void {
    if (fin) {
      this.#finAcked = true;
      this.#retransmitFin = false;
    }
    if (length > 0) this.#markAcked(offset, offset + length);
    // Free acknowledged chunks at the front.
    const chunks = this.#chunks;
    while (chunks.length > 0) {
      const c = chunks[0]!;
      const cEnd = c.offset + c.data.length;
      if (cEnd <= this.#ackedPrefix) chunks.shift();
      else {
        if (c.offset < this.#ackedPrefix) {
          c.data = c.data.subarray(this.#ackedPrefix - c.offset);
          c.offset = this.#ackedPrefix;
        }
        break;
      }
    }
    // Acknowledged bytes need no retransmission.
    this.#trimRetransmit();
  }

  #markAcked(start: number, end: number): void {
    // Merge [start, end) into the sorted list of acknowledged byte ranges.
    const out: [number, number][] = [];
    let s = start;
    let e = end;
    for (const [a, b] of this.#ackedRanges) {
      if (b < s || a > e) out.push([a, b]);
      else {
        s = Math.min(s, a);
        e = Math.max(e, b);
      }
    }
    out.push([s, e]);
    out.sort((x, y) => x[0] - y[0]);
    this.#ackedRanges = out;
    const first = out[0]!;
    if (first[0] <= this.#ackedPrefix) {
      this.#ackedPrefix = Math.max(this.#ackedPrefix, first[1]);
      out.shift();
    }
  }

  #isAcked(start: number, end: number): boolean {
    if (end <= this.#ackedPrefix) return true;
    for (const [a, b] of this.#ackedRanges) if (a <= start && b >= end) return true;
    return false;
  }

  /** Cuts acknowledged bytes out of the retransmission queue. */
  #trimRetransmit(): void {
    // The usual case on every ACK: nothing was lost, nothing to trim.
    if (this.#retransmit.length === 0) return;
    const kept: [number, number][] = [];
    for (const [start, end] of this.#retransmit) {
      let s = Math.max(start, this.#ackedPrefix);
      for (const [a, b] of this.#ackedRanges) {
        if (s >= end) break;
        if (b <= s) continue;
        if (a >= end) break;
        if (a > s) kept.push([s, a]);
        s = Math.max(s, b);
      }
      if (s < end) kept.push([s, end]);
    }
    this.#retransmit.length = 0;
    this.#retransmit.push(...kept);
  }

  /** A packet carrying [offset, offset + length) (and maybe the FIN) was lost. */
  onLost(offset: number, length: number, fin: boolean): void {
    if (fin && !this.#finAcked) this.#retransmitFin = true;
    const start = Math.max(offset, this.#ackedPrefix);
    const end = offset + length;
    if (start >= end || this.#isAcked(start, end)) return;
    const r = this.#retransmit;
    r.push([start, end]);
    r.sort((x, y) => x[0] - y[0]);
    // Merge overlaps so the same bytes are not queued twice.
    for (let i = r.length - 1; i > 0; i--) {
      const prev = r[i - 1]!;
      const cur = r[i]!;
      if (cur[0] <= prev[1]) {
        prev[1] = Math.max(prev[1], cur[1]);
        r.splice(i, 1);
      }
    }
    // Parts of it may already be acknowledged (a later packet carried them too).
    this.#trimRetransmit();
  }
}
