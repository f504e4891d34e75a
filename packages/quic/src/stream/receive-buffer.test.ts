import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuicError, TransportError } from '../errors.js';
import { ReceiveBuffer } from './receive-buffer.js';

function code(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    if (e instanceof QuicError) return e.code;
    throw e;
  }
  return -1;
}

function readAll(b: ReceiveBuffer): number[] {
  const out: number[] = [];
  for (let chunk = b.read(); chunk !== undefined; chunk = b.read()) out.push(...chunk);
  return out;
}

describe('stream reassembly (RFC 9000 §2.2)', () => {
  it('delivers out-of-order, duplicated and overlapping pieces once, in order', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 10 }),
        (data, pieces, readSizes) => {
          const b = new ReceiveBuffer();
          const frames = pieces.map(([a, l]) => {
            const start = a % data.length;
            return [start, Math.min(data.length, start + (l % 60))] as const;
          });
          frames.push([0, data.length]); // eventually everything arrives
          const out: number[] = [];
          let sizes = [...readSizes];
          for (const [s, e] of frames) {
            b.insert(s, data.subarray(s, e), e === data.length);
            const chunk = b.read(sizes.shift() ?? Number.POSITIVE_INFINITY);
            if (chunk) out.push(...chunk);
            sizes = sizes.length ? sizes : [];
          }
          out.push(...readAll(b));
          expect(out).toEqual(Array.from(data));
          expect(b.finished).toBe(true);
          expect(b.buffered).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reports how far the highest offset advanced, for flow control', () => {
    const b = new ReceiveBuffer();
    expect(b.insert(10, new Uint8Array(5), false)).toBe(15);
    expect(b.insert(0, new Uint8Array(10), false)).toBe(0);
    expect(b.insert(12, new Uint8Array(8), false)).toBe(5);
    expect(b.readable).toBe(20);
    expect(b.read()!.length).toBe(20); // spans chunks: copied into one array
  });

  it('hands out views of the packet payload when a read fits in one piece', () => {
    const b = new ReceiveBuffer();
    const payload = new Uint8Array([1, 2, 3, 4]);
    b.insert(0, payload.subarray(1, 3), false);
    expect(b.read()!.buffer).toBe(payload.buffer);
  });
});

describe('final size (RFC 9000 §4.5)', () => {
  it('rejects a changed final size, data beyond it, and a final size below data received', () => {
    const F = TransportError.FINAL_SIZE_ERROR;
    const b = new ReceiveBuffer();
    b.insert(0, new Uint8Array(10), true);
    expect(code(() => b.insert(0, new Uint8Array(11), true))).toBe(F);
    expect(code(() => b.insert(10, new Uint8Array(1), false))).toBe(F);
    expect(code(() => b.reset(9))).toBe(F);
    expect(b.insert(5, new Uint8Array(5), true)).toBe(0); // the same final size again is fine
    const c = new ReceiveBuffer();
    c.insert(0, new Uint8Array(20), false);
    expect(code(() => c.insert(0, new Uint8Array(10), true))).toBe(F);
  });

  it('RESET_STREAM sets the final size and drops buffered data', () => {
    const b = new ReceiveBuffer();
    b.insert(5, new Uint8Array(5), false);
    expect(b.reset(100)).toBe(90);
    expect(b.buffered).toBe(0);
    expect(b.finalSize).toBe(100);
  });
});
