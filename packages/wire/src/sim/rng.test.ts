import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

const take = (r: Rng, n: number) => Array.from({ length: n }, () => r.u32());

describe('Rng', () => {
  it('is xoshiro128**: matches the reference C implementation from state (1, 2, 3, 4)', () => {
    // Printed by Blackman and Vigna's xoshiro128starstar.c next(), built with gcc.
    expect(take(Rng.fromState(1, 2, 3, 4), 8)).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849,
    ]);
  });

  it('replays the same sequence from the same seed, and pinned values guard against drift', () => {
    expect(take(new Rng(42), 100)).toEqual(take(new Rng(42), 100));
    // A change to seeding would silently change every recorded simulation.
    expect(take(new Rng(1), 4)).toMatchInlineSnapshot(`
      [
        3418314571,
        285456276,
        1303712619,
        1713281541,
      ]
    `);
  });

  it('gives different sequences for different seeds, high seed bits and streams', () => {
    const a = take(new Rng(1), 16);
    expect(take(new Rng(2), 16)).not.toEqual(a);
    expect(take(new Rng(1 + 2 ** 32), 16)).not.toEqual(a);
    expect(take(new Rng(-1), 16)).not.toEqual(take(new Rng(2 ** 32 - 1), 16));
    expect(take(new Rng(1, 'a>b'), 16)).not.toEqual(take(new Rng(1, 'b>a'), 16));
  });

  it('refuses a seed that is not a safe integer', () => {
    expect(() => new Rng(0.5)).toThrow(RangeError);
    expect(() => new Rng(2 ** 53)).toThrow(RangeError);
    expect(() => new Rng(Number.NaN)).toThrow(RangeError);
  });

  it('float() is in [0, 1) and below(n) is uniform over 0..n-1', () => {
    const r = new Rng(7);
    const counts = new Array<number>(10).fill(0);
    const n = 100_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const f = r.float();
      if (!(f >= 0 && f < 1)) outside++;
      const k = r.below(10);
      counts[k] = counts[k]! + 1;
    }
    expect(outside).toBe(0);
    // Chi-square with 9 degrees of freedom; 27.9 is the 0.001 critical value,
    // and the seed is fixed, so this cannot flake.
    const expected = n / 10;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(27.9);
  });

  it('chance(0) is never and chance(1) is always', () => {
    const r = new Rng(3);
    let wrong = 0;
    for (let i = 0; i < 10_000; i++) if (r.chance(0) || !r.chance(1)) wrong++;
    expect(wrong).toBe(0);
  });
});
