/**
 * xoshiro128** (Blackman and Vigna), seeded through splitmix32: a small, fast
 * PRNG whose output depends only on the seed, so a simulated run replays
 * exactly from its seed on any machine. Not for cryptography.
 */
export class Rng {
  #a = 0;
  #b = 0;
  #c = 0;
  #d = 0;

  /**
   * `stream` names an independent sequence under the same seed, so each link
   * of a network draws its own numbers and traffic on one link does not
   * change what happens on another.
   */
  constructor(seed: number, stream = '') {
    if (!Number.isSafeInteger(seed))
      throw new RangeError(`Rng: seed must be a safe integer, not ${seed}`);
    let sm =
      (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) | 0, 0x85ebca6b) ^ fnv1a(stream);
    const splitmix32 = (): number => {
      sm = (sm + 0x9e3779b9) | 0;
      let t = sm ^ (sm >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    this.#a = splitmix32();
    this.#b = splitmix32();
    this.#c = splitmix32();
    this.#d = splitmix32();
    // The all-zero state is the one xoshiro cannot leave.
    if ((this.#a | this.#b | this.#c | this.#d) === 0) this.#a = 1;
  }

  /** A generator started from a raw state, to check against the reference implementation. */
  static fromState(a: number, b: number, c: number, d: number): Rng {
    const r = new Rng(0);
    r.#a = a >>> 0;
    r.#b = b >>> 0;
    r.#c = c >>> 0;
    r.#d = d >>> 0;
    return r;
  }

  /** The next 32-bit unsigned output. */
  u32(): number {
    const b = this.#b;
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    this.#c ^= this.#a;
    this.#d ^= b;
    this.#b ^= this.#c;
    this.#a ^= this.#d;
    this.#c ^= t;
    this.#d = rotl(this.#d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** An integer uniform in [0, n), for n up to 2^32. */
  below(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** True with probability p: never for p = 0, always for p = 1. */
  chance(p: number): boolean {
    return this.float() < p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
