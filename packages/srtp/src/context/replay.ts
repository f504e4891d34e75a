/**
 * RFC 3711 §3.3.2 replay list: a sliding window of `size` indices below the
 * highest index received. An index above the window's top is new; one that
 * falls behind it is too old; one inside it is a replay when its bit is set.
 * The bitmap is circular (bit = index mod capacity), so advancing the window
 * clears only the bits it passes and never shifts the whole map.
 */
export type ReplayVerdict = 'new' | 'replay' | 'too_old';

export const DEFAULT_REPLAY_WINDOW = 64;

export class ReplayWindow {
  readonly size: number;
  readonly #bits: Uint32Array;
  readonly #capacity: number;
  #top = -1;

  constructor(size = DEFAULT_REPLAY_WINDOW) {
    if (!Number.isInteger(size) || size < 1 || size > 1 << 20) {
      throw new RangeError(`replay window must be 1..2^20 packets, got ${size}`);
    }
    this.size = size;
    this.#bits = new Uint32Array(Math.ceil(size / 32));
    this.#capacity = this.#bits.length * 32;
  }

  /** Highest index accepted so far, -1 before the first. */
  get top(): number {
    return this.#top;
  }

  check(index: number): ReplayVerdict {
    if (index > this.#top) return 'new';
    if (this.#top - index >= this.size) return 'too_old';
    const bit = index % this.#capacity;
    return (this.#bits[bit >>> 5]! & (1 << (bit & 31))) !== 0 ? 'replay' : 'new';
  }

  /** Records `index` as received; call only after it authenticated and check() said 'new'. */
  accept(index: number): void {
    if (index > this.#top) {
      const advance = this.#top < 0 ? this.#capacity : index - this.#top;
      if (advance >= this.#capacity) this.#bits.fill(0);
      else for (let i = this.#top + 1; i < index; i++) this.#clear(i % this.#capacity);
      this.#top = index;
    }
    const bit = index % this.#capacity;
    this.#bits[bit >>> 5]! |= 1 << (bit & 31);
  }

  #clear(bit: number): void {
    this.#bits[bit >>> 5]! &= ~(1 << (bit & 31));
  }
}
