import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Deadlines } from './deadlines.js';

type Op =
  | { kind: 'set'; item: number; at: number | undefined }
  | { kind: 'delete'; item: number }
  | { kind: 'takeDue'; now: number }
  | { kind: 'peek' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    item: fc.integer({ min: 0, max: 9 }),
    at: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('delete' as const), item: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant('takeDue' as const), now: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ kind: fc.constant('peek' as const) }),
);

describe('Deadlines', () => {
  it('agrees with a plain map scanned in full, whatever the order of operations', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const d = new Deadlines<number>();
        const model = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === 'set') {
            d.set(o.item, o.at);
            if (o.at === undefined) model.delete(o.item);
            else model.set(o.item, o.at);
          } else if (o.kind === 'delete') {
            d.delete(o.item);
            model.delete(o.item);
          } else if (o.kind === 'takeDue') {
            const due = [...model].filter(([, at]) => at <= o.now);
            for (const [item] of due) model.delete(item);
            const got = d.takeDue(o.now);
            // Earliest first; equal deadlines in any order.
            expect(got.map((i) => due.find(([j]) => j === i)?.[1])).toEqual(
              due.map(([, at]) => at).sort((a, b) => a - b),
            );
            expect(new Set(got)).toEqual(new Set(due.map(([i]) => i)));
          }
          const min = model.size === 0 ? undefined : Math.min(...model.values());
          expect(d.peek()).toBe(min);
          expect(d.size).toBe(model.size);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does not let stale entries pile up when one deadline keeps moving', () => {
    const d = new Deadlines<string>();
    d.set('far', 1e9);
    for (let i = 0; i < 100_000; i++) d.set('idle', 1000 + i);
    expect(d.entries).toBeLessThanOrEqual(64);
    expect(d.peek()).toBe(100_999);
    expect(d.takeDue(100_999)).toEqual(['idle']);
    expect(d.peek()).toBe(1e9);
    expect(d.takeDue(1e9)).toEqual(['far']);
    expect(d.peek()).toBeUndefined();
  });
});
