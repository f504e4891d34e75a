import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';

describe('EventQueue', () => {
  it('pops in time order and, at equal times, in push order', () => {
    const q = new EventQueue<string>();
    q.push(5, 'c');
    q.push(1, 'a');
    q.push(5, 'd');
    q.push(1, 'b');
    q.push(0, 'first');
    const out: string[] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push(e.value);
    expect(out).toEqual(['first', 'a', 'b', 'c', 'd']);
    expect(q.size).toBe(0);
    expect(q.peek()).toBeUndefined();
  });

  it('equals a stable sort by time for any pushes and pops interleaved', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant('pop' as const)), {
          maxLength: 200,
        }),
        (ops) => {
          const q = new EventQueue<number>();
          let model: { time: number; n: number }[] = [];
          let n = 0;
          for (const op of ops) {
            if (op === 'pop') {
              const got = q.pop();
              const want = model.shift();
              expect(got && { time: got.time, n: got.value }).toEqual(want);
            } else {
              q.push(op, n);
              model.push({ time: op, n: n++ });
              model = model.sort((a, b) => a.time - b.time || a.n - b.n);
            }
            expect(q.size).toBe(model.length);
          }
        },
      ),
    );
  });
});
