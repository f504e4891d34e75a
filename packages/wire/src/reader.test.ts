import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from './errors.js';
import { fromHex } from './hex.js';
import { Reader } from './reader.js';
import { encodeFields, fields, readFields } from './test-support/fields.js';

function decodeError(f: () => unknown): DecodeError {
  try {
    f();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected a DecodeError, nothing was thrown');
}

describe('Reader fixed-width integers', () => {
  it('reads big-endian, unsigned, at every width', () => {
    const r = new Reader(fromHex('ff 0102 030405 fffffffe 010203040506 ffffffffffffffff'));
    expect(r.u8()).toBe(0xff);
    expect(r.u16()).toBe(0x0102);
    expect(r.u24()).toBe(0x030405);
    expect(r.u32()).toBe(0xfffffffe);
    expect(r.u48()).toBe(0x010203040506);
    expect(r.u64()).toBe(2n ** 64n - 1n);
    expect(r.done).toBe(true);
    r.expectEnd();
  });

  it('keeps the top bit of a uint32 and uint48 positive', () => {
    expect(new Reader(fromHex('80000000')).u32()).toBe(2 ** 31);
    expect(new Reader(fromHex('ffffffffffff')).u48()).toBe(2 ** 48 - 1);
  });

  it('reports the offset where the missing bytes begin and what was expected', () => {
    const r = new Reader(fromHex('01 02 03'));
    r.u8();
    const e = decodeError(() => r.u32('cipher suite'));
    expect(e.offset).toBe(1);
    expect(e.expected).toBe('cipher suite');
    expect(e.message).toContain('cipher suite');
    expect(e.message).toContain('offset 1');
    expect(r.offset).toBe(1);
  });

  it('fails a truncated uint48 or uint64 at its first byte, without moving the cursor', () => {
    for (const [read, n] of [
      [(r: Reader) => r.u48(), 5],
      [(r: Reader) => r.u64(), 7],
    ] as const) {
      const r = new Reader(new Uint8Array(n + 1));
      r.u8();
      expect(decodeError(() => read(r)).offset).toBe(1);
      expect(r.offset).toBe(1);
    }
  });

  it('uses the default labels', () => {
    expect(decodeError(() => new Reader(new Uint8Array(1)).u16()).expected).toBe('uint16');
    expect(decodeError(() => new Reader(new Uint8Array(0)).u8()).expected).toBe('uint8');
    expect(decodeError(() => new Reader(new Uint8Array(7)).u64()).expected).toBe('uint64');
  });
});

describe('Reader byte strings', () => {
  it('returns zero-copy views, also when the input is itself a view', () => {
    const backing = fromHex('eeee 03 aabbcc dd');
    const input = backing.subarray(2);
    const r = new Reader(input);
    const v = r.vector8();
    expect([...v]).toEqual([0xaa, 0xbb, 0xcc]);
    expect(v.buffer).toBe(backing.buffer);
    expect(v.byteOffset).toBe(3);
    backing[3] = 0x11;
    expect(v[0]).toBe(0x11);
    expect([...r.rest()]).toEqual([0xdd]);
    expect(r.done).toBe(true);
  });

  it('reads 1-, 2- and 3-byte length vectors and varint vectors', () => {
    const r = new Reader(fromHex('01aa 0002bbcc 000001dd 4001ee'));
    expect([...r.vector(1)]).toEqual([0xaa]);
    expect([...r.vector16()]).toEqual([0xbb, 0xcc]);
    expect([...r.vector24()]).toEqual([0xdd]);
    expect([...r.varintVector()]).toEqual([0xee]);
    r.expectEnd();
  });

  it('fails a vector whose length runs past the end, at the start of the body', () => {
    const e = decodeError(() => new Reader(fromHex('0005 aabb')).vector16());
    expect(e.offset).toBe(2);
    expect(e.expected).toBe('vector<0..2^16-1>');
  });

  it('subReader and take keep offsets relative to the whole input', () => {
    const backing = fromHex('ffff 02 0a0b 0c');
    const r = new Reader(backing.subarray(2));
    const sub = r.subReader(1, 'extensions');
    expect(sub.offset).toBe(1);
    expect(sub.end).toBe(3);
    expect(sub.u8()).toBe(0x0a);
    const e = decodeError(() => sub.u16());
    expect(e.offset).toBe(2);
    expect(sub.u8()).toBe(0x0b);
    sub.expectEnd();
    const t = r.take(1);
    expect(t.u8()).toBe(0x0c);
    expect(r.done).toBe(true);
  });

  it('a sub-reader cannot read past its window into the parent', () => {
    const r = new Reader(fromHex('01 aa bb'));
    const sub = r.subReader(1);
    sub.u8();
    expect(() => sub.u8()).toThrow(DecodeError);
    expect(() => new Reader(fromHex('aabbcc'), 0, 2).u24()).toThrow(DecodeError);
  });

  it('rejects negative, fractional and NaN lengths without moving the cursor', () => {
    for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const r = new Reader(fromHex('aabbcc'));
      r.u8();
      expect(decodeError(() => r.skip(n)).offset).toBe(1);
      expect(decodeError(() => r.take(n)).offset).toBe(1);
      expect(decodeError(() => r.bytesView(n)).offset).toBe(1);
      expect(r.offset).toBe(1);
    }
  });

  it('expectEnd reports trailing bytes at their offset', () => {
    const r = new Reader(fromHex('0102'));
    r.u8();
    const e = decodeError(() => r.expectEnd('end of ClientHello'));
    expect(e.offset).toBe(1);
    expect(e.expected).toBe('end of ClientHello');
    expect(e.message).toContain('1 unexpected trailing bytes');
  });

  it('fail() raises a DecodeError at the current offset', () => {
    const r = new Reader(fromHex('0102'));
    r.u16();
    const e = decodeError(() => r.fail('legacy_version 0x0303', 'got 0x0102'));
    expect(e.offset).toBe(2);
    expect(e.message).toBe('got 0x0102 at offset 2');
  });

  it('rejects a window outside the input with RangeError (a caller bug, not bad input)', () => {
    expect(() => new Reader(new Uint8Array(2), 0, 3)).toThrow(RangeError);
    expect(() => new Reader(new Uint8Array(2), 2, 1)).toThrow(RangeError);
    expect(() => new Reader(new Uint8Array(2), -1)).toThrow(RangeError);
  });
});

type Op =
  | { op: 'u8' | 'u16' | 'u24' | 'u32' | 'u48' | 'u64' | 'varint' | 'varintBig' }
  | { op: 'vector'; n: 1 | 2 | 3 }
  | { op: 'varintVector' | 'rest' | 'expectEnd' }
  | { op: 'sub'; n: 1 | 2 | 3 }
  | { op: 'take' | 'skip' | 'bytesView'; n: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc
    .constantFrom('u8', 'u16', 'u24', 'u32', 'u48', 'u64', 'varint', 'varintBig')
    .map((o) => ({ op: o })),
  fc.constantFrom(1 as const, 2 as const, 3 as const).map((n) => ({ op: 'vector' as const, n })),
  fc.constantFrom(1 as const, 2 as const, 3 as const).map((n) => ({ op: 'sub' as const, n })),
  fc
    .constantFrom('varintVector' as const, 'rest' as const, 'expectEnd' as const)
    .map((o) => ({ op: o })),
  fc.record({
    op: fc.constantFrom('take' as const, 'skip' as const, 'bytesView' as const),
    n: fc.oneof(fc.integer({ min: -4, max: 40 }), fc.double()),
  }),
);

/** Runs a decoder program; sub-readers replace the current reader, like nested parsing does. */
function runProgram(bytes: Uint8Array, ops: readonly Op[]): void {
  let r = new Reader(bytes);
  for (const o of ops) {
    switch (o.op) {
      case 'u8':
      case 'u16':
      case 'u24':
      case 'u32':
      case 'u48': {
        const v = r[o.op]();
        const bits = { u8: 8, u16: 16, u24: 24, u32: 32, u48: 48 }[o.op];
        if (!Number.isInteger(v) || v < 0 || v >= 2 ** bits) throw new Error(`${o.op} gave ${v}`);
        break;
      }
      case 'u64':
        if (r.u64() >= 2n ** 64n) throw new Error('u64 out of range');
        break;
      case 'varint':
        if (r.varint() >= 2 ** 62) throw new Error('varint out of range');
        break;
      case 'varintBig':
        if (r.varintBig() >= 2n ** 62n) throw new Error('varint out of range');
        break;
      case 'vector':
        r.vector(o.n);
        break;
      case 'varintVector':
        r.varintVector();
        break;
      case 'rest':
        r.rest();
        break;
      case 'expectEnd':
        r.expectEnd();
        break;
      case 'sub':
        r = r.subReader(o.n);
        break;
      case 'take':
        r = r.take(o.n);
        break;
      case 'skip':
        r.skip(o.n);
        break;
      case 'bytesView':
        r.bytesView(o.n);
        break;
    }
    if (r.offset < 0 || r.offset > r.end || r.end > bytes.length || !Number.isInteger(r.offset)) {
      throw new Error(`cursor escaped: ${r.offset} of ${r.end}`);
    }
  }
}

function expectOnlyDecodeError(f: () => void, inputLength: number): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    const { offset } = e as DecodeError;
    expect(Number.isInteger(offset)).toBe(true);
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset).toBeLessThanOrEqual(inputLength);
  }
}

describe('Reader on hostile input', () => {
  it('arbitrary bytes under any decoder program throw nothing but an in-bounds DecodeError', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.array(op, { maxLength: 12 }),
        (bytes, ops) => {
          expectOnlyDecodeError(() => runProgram(bytes, ops), bytes.length);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('every truncation of a valid encoding throws DecodeError, even with bytes beyond the cut', () => {
    fc.assert(
      fc.property(fields, (spec) => {
        const full = encodeFields(spec);
        expect(readFields(new Reader(full), spec)).toEqual(spec);
        for (let cut = 0; cut < full.length; cut++) {
          // The cut is a view into the full buffer, and the window variant shares it
          // too: a reader that looked past its end would find the real bytes there.
          for (const r of [new Reader(full.subarray(0, cut)), new Reader(full, 0, cut)]) {
            let threw = false;
            expectOnlyDecodeError(() => {
              try {
                readFields(r, spec);
                r.expectEnd();
              } catch (e) {
                threw = true;
                throw e;
              }
            }, cut);
            expect(threw, `cut at ${cut} of ${full.length} decoded`).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
