import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPLAY_WINDOW_SIZE, ReplayWindow } from './replay-window.js';

describe('anti-replay window (RFC 6347 §4.1.2.6)', () => {
  it('accepts new numbers, rejects duplicates and anything 64 or more behind the highest', () => {
    const w = new ReplayWindow();
    expect(w.check(0)).toBe(true);
    w.accept(0);
    expect(w.check(0)).toBe(false);
    w.accept(100);
    expect(w.check(100)).toBe(false);
    expect(w.check(100 - REPLAY_WINDOW_SIZE)).toBe(false); // left of the window
    expect(w.check(100 - REPLAY_WINDOW_SIZE + 1)).toBe(true); // inside, never seen
    w.accept(37);
    expect(w.check(37)).toBe(false);
    expect(w.check(38)).toBe(true);
  });

  it('works with 48-bit sequence numbers', () => {
    const w = new ReplayWindow();
    const big = 2 ** 48 - 10;
    w.accept(big);
    expect(w.check(big)).toBe(false);
    expect(w.check(big - 1)).toBe(true);
    w.accept(big - 1);
    expect(w.check(big - 1)).toBe(false);
  });

  it('matches a set-based model on random sequences (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 300 }), (seqs) => {
        const w = new ReplayWindow();
        const seen = new Set<number>();
        let max = -1;
        for (const s of seqs) {
          const model = !seen.has(s) && (s > max || max - s < REPLAY_WINDOW_SIZE);
          expect(w.check(s)).toBe(model);
          if (model) {
            w.accept(s);
            seen.add(s);
            max = Math.max(max, s);
          }
        }
      }),
    );
  });
});
