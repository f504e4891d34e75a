/**
 * RFC 6347 §4.1.2.6 anti-replay: a sliding window of the last 64 record
 * sequence numbers of one epoch. A record is checked before it is
 * authenticated, and the window only moves once it has authenticated, so a
 * forged record cannot push the window forward.
 */
export const REPLAY_WINDOW_SIZE = 64;

export class ReplayWindow {
  /** Highest sequence number accepted so far; -1 before the first. */
  #right = -1;
  /** Bit i set = (right - i) was received; bits 0..31 in lo, 32..63 in hi. */
  #lo = 0;
  #hi = 0;

  get highest(): number {
    return this.#right;
  }

  /** False when `seq` is a duplicate or older than the window (RFC 6347 §4.1.2.6). */
  check(seq: number): boolean {
    if (seq > this.#right) return true;
    const diff = this.#right - seq;
    if (diff >= REPLAY_WINDOW_SIZE) return false;
    return diff < 32 ? ((this.#lo >>> diff) & 1) === 0 : ((this.#hi >>> (diff - 32)) & 1) === 0;
  }

  /** Marks `seq` received; call only after the record authenticated. */
  accept(seq: number): void {
    if (seq > this.#right) {
      const shift = this.#right < 0 ? REPLAY_WINDOW_SIZE : seq - this.#right;
      this.#shift(shift);
      this.#right = seq;
      this.#lo |= 1;
      return;
    }
    const diff = this.#right - seq;
    if (diff >= REPLAY_WINDOW_SIZE) return;
    if (diff < 32) this.#lo |= 1 << diff;
    else this.#hi |= 1 << (diff - 32);
  }

  #shift(n: number): void {
    if (n >= REPLAY_WINDOW_SIZE) {
      this.#lo = 0;
      this.#hi = 0;
    } else if (n >= 32) {
      this.#hi = n === 32 ? this.#lo : this.#lo << (n - 32);
      this.#lo = 0;
    } else if (n > 0) {
      this.#hi = ((this.#hi << n) | (this.#lo >>> (32 - n))) >>> 0;
      this.#lo = (this.#lo << n) >>> 0;
    }
    this.#lo >>>= 0;
    this.#hi >>>= 0;
  }
}
