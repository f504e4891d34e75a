import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplayWindow } from './replay.js';
import { estimateRoc } from './roc.js';

describe('ReplayWindow (RFC 3711 §3.3.2)', () => {
  it('agrees with a plain set-based model on random index sequences', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.integer({ min: 0, max: 600 }), { maxLength: 300 }),
        (size, indices) => {
          const w = new ReplayWindow(size);
          const seen = new Set<number>();
          let top = -1;
          for (const i of indices) {
            const expected =
              i > top ? 'new' : top - i >= size ? 'too_old' : seen.has(i) ? 'replay' : 'new';
            expect(w.check(i)).toBe(expected);
            if (expected === 'new') {
              w.accept(i);
              seen.add(i);
              top = Math.max(top, i);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('handles 48-bit indices and large jumps', () => {
    const w = new ReplayWindow(64);
    const base = 2 ** 47 + 5;
    w.accept(base);
    w.accept(base + 1000);
    expect(w.check(base + 1000)).toBe('replay');
    expect(w.check(base + 999)).toBe('new');
    expect(w.check(base)).toBe('too_old');
  });
});

describe('estimateRoc (RFC 3711 §3.3.1)', () => {
  it('guesses the ROC around the wrap as the RFC pseudo-code does', () => {
    expect(estimateRoc(0, 65535, 0)).toBe(1); // the wrap
    expect(estimateRoc(1, 2, 65534)).toBe(0); // late packet from before it
    expect(estimateRoc(0, 10, 65000)).toBe(-1); // before the first ROC: invalid
    expect(estimateRoc(3, 40000, 40100)).toBe(3);
    expect(estimateRoc(3, 40000, 7000)).toBe(4);
    expect(estimateRoc(3, 100, 32000)).toBe(3);
  });
});
