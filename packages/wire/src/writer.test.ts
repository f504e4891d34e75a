import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EncodeError } from './errors.js';
import { toHex } from './hex.js';
import { Reader } from './reader.js';
import { encodeFields, type Field, field, fields, readFields } from './test-support/fields.js';
import { Writer } from './writer.js';

const hexOf = (w: Writer) => toHex(w.finish());

describe('Writer encodings', () => {
  it('writes big-endian integers at every width', () => {
    const w = new Writer()
      .u8(0xff)
      .u16(0x0102)
      .u24(0x030405)
      .u32(0xfffffffe)
      .u48(0x010203040506)
      .u64(2n ** 64n - 1n)
      .u64(258);
    expect(hexOf(w)).toBe('ff0102030405fffffffe010203040506ffffffffffffffff0000000000000102');
  });

  it('refuses integers that do not fit instead of truncating them', () => {
    const cases: [string, () => unknown][] = [
      ['u8 256', () => new Writer().u8(256)],
      ['u8 -1', () => new Writer().u8(-1)],
      ['u8 1.5', () => new Writer().u8(1.5)],
      ['u8 NaN', () => new Writer().u8(Number.NaN)],
      ['u16 65536', () => new Writer().u16(65536)],
      ['u24 2^24', () => new Writer().u24(2 ** 24)],
      ['u32 2^32', () => new Writer().u32(2 ** 32)],
      ['u32 -1', () => new Writer().u32(-1)],
      ['u48 2^48', () => new Writer().u48(2 ** 48)],
      ['u64 2^64', () => new Writer().u64(2n ** 64n)],
      ['u64 -1n', () => new Writer().u64(-1n)],
      ['u64 0.5', () => new Writer().u64(0.5)],
    ];
    for (const [name, f] of cases) expect(f, name).toThrow(EncodeError);
    expect(
      hexOf(
        new Writer()
          .u8(255)
          .u16(65535)
          .u24(2 ** 24 - 1)
          .u32(2 ** 32 - 1),
      ),
    ).toBe('ffffffffffffffffffff');
  });

  it('writes 1-, 2- and 3-byte length vectors and varint vectors', () => {
    const b = Uint8Array.of(0xaa, 0xbb);
    const w = new Writer()
      .vector8(b)
      .vector16(b)
      .vector24(b)
      .varintVector(b)
      .vector(1, new Uint8Array(0));
    expect(hexOf(w)).toBe('02aabb0002aabb000002aabb02aabb00');
  });

  it('accepts a vector at its maximum length and refuses one byte more', () => {
    expect(new Writer().vector8(new Uint8Array(255)).length).toBe(256);
    expect(() => new Writer().vector8(new Uint8Array(256))).toThrow(EncodeError);
    const max16 = new Writer().vector16(new Uint8Array(65535)).finish();
    expect(new Reader(max16).vector16().length).toBe(65535);
    expect(() => new Writer().vector16(new Uint8Array(65536))).toThrow(EncodeError);
    const big = new Writer().vector24(new Uint8Array(70000).fill(7)).finish();
    expect(toHex(big.subarray(0, 3))).toBe('011170');
    expect(new Reader(big).vector24().every((x) => x === 7)).toBe(true);
  });

  it('varintVector uses the minimal varint length', () => {
    expect(hexOf(new Writer().varintVector(new Uint8Array(64))).slice(0, 4)).toBe('4040');
  });

  it('zeros writes n zero bytes, over old content after reset', () => {
    const w = new Writer(16).u32(0xffffffff);
    w.reset();
    expect(hexOf(w.zeros(3))).toBe('000000');
    expect(() => w.zeros(-1)).toThrow(EncodeError);
    expect(w.length).toBe(3);
  });
});

describe('Writer.withLength', () => {
  it('back-patches TLS lengths, nested', () => {
    const w = new Writer().withLength(2, (outer) => {
      outer.u8(0xaa);
      outer.withLength(1, (inner) => inner.u16(0xbbcc));
      outer.withLength(3, () => {});
    });
    expect(hexOf(w)).toBe('0007aa02bbcc000000');
  });

  it('back-patches a forced-length varint, as for the QUIC long-header Length', () => {
    expect(hexOf(new Writer().withLength({ varint: 2 }, (b) => b.zeros(3)))).toBe('4003000000');
    expect(hexOf(new Writer().withLength({ varint: 4 }, (b) => b.u8(1)))).toBe('8000000101');
    expect(hexOf(new Writer().withLength({ varint: 1 }, (b) => b.zeros(63))).slice(0, 2)).toBe(
      '3f',
    );
  });

  it('refuses a body longer than its length field can say', () => {
    expect(() => new Writer().withLength(1, (b) => b.zeros(256))).toThrow(EncodeError);
    expect(() => new Writer().withLength({ varint: 1 }, (b) => b.zeros(64))).toThrow(EncodeError);
    expect(new Writer().withLength(1, (b) => b.zeros(255)).length).toBe(256);
  });

  it('refuses a length size it cannot write', () => {
    expect(() => new Writer().withLength(4 as 1, () => {})).toThrow(EncodeError);
    expect(() => new Writer().withLength({ varint: 3 as 1 }, () => {})).toThrow(EncodeError);
  });

  it('patches the right place when the body grows the buffer', () => {
    const body = new Uint8Array(1000).fill(9);
    const bytes = new Writer(16)
      .u8(1)
      .withLength(2, (w) => w.bytes(body))
      .finish();
    const r = new Reader(bytes);
    expect(r.u8()).toBe(1);
    expect(r.vector16()).toEqual(body);
    r.expectEnd();
  });
});

describe('Writer memory', () => {
  it('grows past its initial capacity without losing bytes, at every kind of write', () => {
    // Each write lands exactly on a growth boundary at some point in the loop.
    const w = new Writer(16);
    const expected: number[] = [];
    for (let i = 0; i < 300; i++) {
      w.u8(i & 0xff);
      expected.push(i & 0xff);
      w.u16(0x0102);
      expected.push(1, 2);
      w.varint(1, 4);
      expected.push(0x80, 0, 0, 1);
    }
    expect([...w.finish()]).toEqual(expected);
  });

  it('finish() is a view of what was written, and reset() keeps the buffer', () => {
    const w = new Writer(16).u16(0xabcd);
    const first = w.finish();
    expect(first.length).toBe(2);
    w.reset();
    w.u16(0x1234);
    expect(w.finish().buffer).toBe(first.buffer);
    expect(toHex(first)).toBe('1234');
  });

  it('a fixed writer writes into caller memory', () => {
    const mem = new Uint8Array(8);
    const w = Writer.into(mem.subarray(2, 6));
    w.u16(0xaaaa).u8(0xbb);
    expect(toHex(mem)).toBe('0000aaaabb000000');
    expect(w.finish().buffer).toBe(mem.buffer);
  });

  it('a fixed writer throws EncodeError when full, leaving its content and length as they were', () => {
    const writes: [string, (w: Writer) => unknown][] = [
      ['u8', (w) => w.u8(1)],
      ['u16', (w) => w.u16(1)],
      ['u32', (w) => w.u32(1)],
      ['u64', (w) => w.u64(1n)],
      ['varint', (w) => w.varint(2 ** 40)],
      ['bytes', (w) => w.bytes(new Uint8Array(2))],
      ['u48', (w) => w.u48(1)],
      ['vector8', (w) => w.vector8(new Uint8Array(1))],
      ['vector16', (w) => w.vector16(new Uint8Array(0))],
      ['varintVector', (w) => w.varintVector(new Uint8Array(1))],
      ['zeros', (w) => w.zeros(5)],
    ];
    for (const [name, write] of writes) {
      const mem = new Uint8Array(5).fill(0xee);
      const w = Writer.into(mem.subarray(0, 4));
      w.u24(0x010203);
      if (name === 'u8') {
        w.u8(4);
        expect(() => write(w), name).toThrow(EncodeError);
        expect(toHex(mem), name).toBe('01020304ee');
        expect(w.length).toBe(4);
        continue;
      }
      expect(() => write(w), name).toThrow(EncodeError);
      expect(w.length, name).toBe(3);
      expect(toHex(mem), name).toBe('010203eeee');
    }
  });

  it('a fixed writer takes an exact fit and reuses its memory after reset', () => {
    const mem = new Uint8Array(4);
    const w = Writer.into(mem);
    w.u32(0xdeadbeef);
    expect(toHex(mem)).toBe('deadbeef');
    w.reset();
    w.u16(0x0102).u16(0x0304);
    expect(toHex(mem)).toBe('01020304');
  });

  it('a fixed writer overflowing inside withLength throws EncodeError and takes the length back', () => {
    const w = Writer.into(new Uint8Array(6));
    w.u8(7);
    expect(() => w.withLength(2, (b) => b.u16(1).u24(1))).toThrow(EncodeError);
    expect(w.length).toBe(1);
    w.withLength(2, (b) => b.u24(0x010203));
    expect(toHex(w.finish())).toBe('070003010203');
  });

  it('withLength takes back a body that threw or was too long', () => {
    const w = new Writer().u8(1);
    expect(() =>
      w.withLength(1, (b) => {
        b.u32(5);
        throw new TypeError('builder bug');
      }),
    ).toThrow(TypeError);
    expect(() => w.withLength({ varint: 1 }, (b) => b.zeros(64))).toThrow(EncodeError);
    expect(toHex(w.u8(2).finish())).toBe('0102');
  });
});

describe('Writer and Reader round trips', () => {
  it('any sequence of fields round-trips and consumes exactly what was written', () => {
    fc.assert(
      fc.property(fields, (spec) => {
        const bytes = encodeFields(spec);
        const r = new Reader(bytes);
        expect(readFields(r, spec)).toEqual(spec);
        r.expectEnd();
      }),
      { numRuns: 500 },
    );
  });

  it('a fixed writer of the exact size produces the same bytes, and one byte less throws', () => {
    fc.assert(
      fc.property(fields, (spec) => {
        const grown = encodeFields(spec);
        const mem = new Uint8Array(grown.length);
        expect(encodeFields(spec, Writer.into(mem))).toEqual(grown);
        if (grown.length > 0) {
          const short = Writer.into(new Uint8Array(grown.length - 1));
          expect(() => encodeFields(spec, short)).toThrow(EncodeError);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('each field type round-trips on its own (so a failure names the type)', () => {
    const kinds: Field['kind'][] = ['u8', 'u16', 'u24', 'u32', 'u48', 'u64', 'varint', 'varintBig'];
    kinds.push('vector', 'varintVector', 'bytes', 'nested');
    const seen = new Set<string>();
    fc.assert(
      fc.property(field, (f) => {
        seen.add(f.kind);
        expect(readFields(new Reader(encodeFields([f])), [f])).toEqual([f]);
      }),
      { numRuns: 1000 },
    );
    expect([...seen].sort()).toEqual([...kinds].sort());
  });

  it('nested withLength bodies of every length kind round-trip', () => {
    const nested = field.filter((f) => f.kind === 'nested');
    const sizes = new Set<string>();
    fc.assert(
      fc.property(nested, (f) => {
        if (f.kind === 'nested') sizes.add(JSON.stringify(f.lengthBytes));
        const r = new Reader(encodeFields([f]));
        expect(readFields(r, [f])).toEqual([f]);
        r.expectEnd();
      }),
      { numRuns: 300 },
    );
    expect(sizes.size).toBe(6);
  });
});
