import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SendBuffer, type SendChunk } from './send-buffer.js';

describe('SendBuffer', () => {
  it('sends in order, respecting frame size and the flow-control limit', () => {
    const b = new SendBuffer();
    b.write(new Uint8Array([1, 2, 3]));
    b.write(new Uint8Array([4, 5, 6, 7]));
    b.finish();
    const a = b.next(2)!;
    expect([a.offset, Array.from(a.data), a.fin]).toEqual([0, [1, 2], false]);
    const c = b.next(10, 5)!; // limit: offset 5
    expect([c.offset, Array.from(c.data), c.fin]).toEqual([2, [3, 4, 5], false]);
    expect(b.next(10, 5)).toBeUndefined();
    const d = b.next(10, 100)!;
    expect([d.offset, Array.from(d.data), d.fin]).toEqual([5, [6, 7], true]);
    expect(b.hasPending).toBe(false);
  });

  it('retransmits lost ranges first and stops once they are acknowledged', () => {
    const b = new SendBuffer();
    b.write(new Uint8Array(100).map((_, i) => i));
    b.finish();
    const sent = [b.next(40)!, b.next(40)!, b.next(40)!];
    expect(sent[2]!.fin).toBe(true);
    b.onLost(40, 40, false);
    b.onLost(80, 20, true);
    b.onAcked(80, 20, true); // the FIN packet arrived after all (spurious loss)
    const r = b.next(100)!;
    expect([r.offset, r.data.length, r.fin]).toEqual([40, 40, false]);
    expect(b.hasPending).toBe(false);
    b.onAcked(0, 40, false);
    expect(b.allAcked).toBe(false);
    b.onAcked(40, 40, false);
    expect(b.allAcked).toBe(true);
  });

  it('eventually delivers every byte and the FIN under arbitrary loss (model check)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 64 }),
        (data, lossPattern, frameSize) => {
          const b = new SendBuffer();
          b.write(data);
          b.finish();
          const received = new Uint8Array(data.length);
          let finSeen = false;
          let k = 0;
          for (let guard = 0; guard < 10_000 && !b.allAcked; guard++) {
            const chunk: SendChunk | undefined = b.next(frameSize);
            if (!chunk) break;
            if (lossPattern[k++ % lossPattern.length] && guard < 500) {
              b.onLost(chunk.offset, chunk.data.length, chunk.fin);
            } else {
              received.set(chunk.data, chunk.offset);
              finSeen ||= chunk.fin;
              b.onAcked(chunk.offset, chunk.data.length, chunk.fin);
            }
          }
          expect(b.allAcked).toBe(true);
          expect(finSeen).toBe(true);
          expect(received).toEqual(data);
        },
      ),
      { numRuns: 300 },
    );
  });
});
