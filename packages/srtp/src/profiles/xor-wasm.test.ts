import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KS_AT, PACKET_AT, wasmXor } from './xor-wasm.js';

describe('wasmXor', () => {
  it('is available on this Node (so the AES-CM hot path uses it) and XORs like the byte loop', () => {
    const w = wasmXor();
    expect(w).not.toBeNull();
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 40 }),
        (data, shift) => {
          const m = w!.memory;
          const n = data.length;
          m.set(data, KS_AT + shift);
          for (let i = 0; i < n; i++) m[PACKET_AT + 3 + i] = (i * 31 + shift) & 0xff;
          const expected = Array.from(data, (v, i) => v ^ ((i * 31 + shift) & 0xff));
          w!.xor(PACKET_AT + 3, PACKET_AT + 3, KS_AT + shift, n);
          expect(Array.from(m.subarray(PACKET_AT + 3, PACKET_AT + 3 + n))).toEqual(expected);
          w!.owner = null;
        },
      ),
      { numRuns: 100 },
    );
  });
});
