import { rfcText } from '@x/test-helpers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError } from './errors.js';
import { fromHex, toHex } from './hex.js';
import { Reader } from './reader.js';
import { varintBigint, varintNumber } from './test-support/fields.js';
import { VARINT_MAX, type VarintLength, varintLength } from './varint.js';
import { Writer } from './writer.js';

// RFC 9000 Appendix A.1, "Sample Variable-Length Integer Decoding".
const RFC9000_A1: readonly { hex: string; value: bigint }[] = [
  { hex: 'c2197c5eff14e88c', value: 151_288_809_941_952_652n },
  { hex: '9d7f3e7d', value: 494_878_333n },
  { hex: '7bbd', value: 15_293n },
  { hex: '25', value: 37n },
  { hex: '4025', value: 37n },
];

const encode = (v: number | bigint, length?: VarintLength) =>
  toHex(new Writer().varint(v, length).finish());

describe('RFC 9000 Appendix A.1 sample varints', () => {
  it('are the ones the RFC text gives', () => {
    const text = rfcText(9000).replace(/\s+/g, ' ');
    const a1 = text.slice(
      text.indexOf('A.1. Sample Variable-Length Integer Decoding The pseudocode'),
    );
    const prose = a1.slice(0, a1.indexOf('A.2.'));
    const pairs = [...prose.matchAll(/0x([0-9a-f]+) decodes to (?:the decimal value )?([\d,]+)/g)];
    const fromText = pairs.map((m) => ({ hex: m[1]!, value: BigInt(m[2]!.replaceAll(',', '')) }));
    expect(fromText).toEqual(RFC9000_A1.slice(0, 4));
    expect(prose).toContain('(as does the two-byte sequence 0x4025)');
  });

  it.each(RFC9000_A1)('$hex decodes to $value', ({ hex, value }) => {
    const bytes = fromHex(hex);
    const big = new Reader(bytes);
    expect(big.varintBig()).toBe(value);
    expect(big.offset).toBe(bytes.length);
    const num = new Reader(bytes);
    expect(num.varint()).toBe(Number(value));
    num.expectEnd();
  });

  it.each(RFC9000_A1)('$value re-encodes to $hex at length of the sample', ({ hex, value }) => {
    const length = (hex.length / 2) as VarintLength;
    expect(encode(value, length)).toBe(hex);
    if (value <= BigInt(Number.MAX_SAFE_INTEGER)) expect(encode(Number(value), length)).toBe(hex);
  });

  it('encodes each sample minimally except the deliberately long 0x4025', () => {
    expect(encode(151_288_809_941_952_652n)).toBe('c2197c5eff14e88c');
    expect(encode(494_878_333)).toBe('9d7f3e7d');
    expect(encode(15_293)).toBe('7bbd');
    expect(encode(37)).toBe('25');
  });
});

describe('varint lengths and boundaries', () => {
  const boundaries: readonly [number | bigint, VarintLength, string][] = [
    [0, 1, '00'],
    [63, 1, '3f'],
    [64, 2, '4040'],
    [16383, 2, '7fff'],
    [16384, 4, '80004000'],
    [2 ** 30 - 1, 4, 'bfffffff'],
    [2 ** 30, 8, 'c000000040000000'],
    [Number.MAX_SAFE_INTEGER, 8, 'c01fffffffffffff'],
    [2n ** 62n - 1n, 8, 'ffffffffffffffff'],
  ];

  it.each(boundaries)('%s needs %i bytes and encodes as %s', (v, len, hex) => {
    expect(varintLength(v)).toBe(len);
    expect(varintLength(BigInt(v))).toBe(len);
    expect(encode(v)).toBe(hex);
    expect(encode(BigInt(v))).toBe(hex);
    expect(new Reader(fromHex(hex)).varintBig()).toBe(BigInt(v));
  });

  it('puts log2(length) in the two high bits of the first byte', () => {
    for (const len of [1, 2, 4, 8] as const) {
      const first = new Writer().varint(5, len).finish()[0]!;
      expect(first >> 6).toBe(Math.log2(len));
      expect(first & 0x3f).toBe(len === 1 ? 5 : 0);
    }
  });

  it('forces longer encodings on request and decodes them to the same value', () => {
    expect(encode(37, 2)).toBe('4025');
    expect(encode(37, 4)).toBe('80000025');
    expect(encode(37, 8)).toBe('c000000000000025');
    expect(encode(16383, 4)).toBe('80003fff');
    expect(encode(2n ** 30n, 8)).toBe('c000000040000000');
    expect(new Reader(fromHex('c000000000000025')).varint()).toBe(37);
  });

  it('refuses a forced length shorter than the value needs', () => {
    expect(() => new Writer().varint(64, 1)).toThrow(EncodeError);
    expect(() => new Writer().varint(16384, 2)).toThrow(EncodeError);
    expect(() => new Writer().varint(2 ** 30, 4)).toThrow(EncodeError);
    expect(() => new Writer().varint(2n ** 30n, 4)).toThrow(EncodeError);
  });

  it('refuses a forced length that is not 1, 2, 4 or 8', () => {
    expect(() => new Writer().varint(1, 3 as VarintLength)).toThrow(EncodeError);
    expect(() => new Writer().varint(1n, 16 as VarintLength)).toThrow(EncodeError);
  });

  it('refuses values outside 0..2^62-1 with EncodeError', () => {
    const bad: (number | bigint)[] = [-1, -1n, 2n ** 62n, 2 ** 62, 2 ** 64, 1.5, Number.NaN];
    bad.push(Number.POSITIVE_INFINITY, VARINT_MAX + 1n);
    for (const v of bad) {
      expect(() => varintLength(v), String(v)).toThrow(EncodeError);
      expect(() => new Writer().varint(v), String(v)).toThrow(EncodeError);
    }
  });

  it('writes nothing when it refuses', () => {
    const w = new Writer();
    expect(() => w.varint(2 ** 62)).toThrow(EncodeError);
    expect(w.length).toBe(0);
  });

  it('throws DecodeError at the varint start when the announced length is cut short', () => {
    for (const hex of ['', '40', 'bfffff', 'c0000000000000']) {
      const r = new Reader(fromHex(`aa${hex}`));
      r.u8();
      const e = (() => {
        try {
          r.varint('frame type');
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(DecodeError);
      expect((e as DecodeError).offset).toBe(1);
      expect((e as DecodeError).expected).toBe('frame type');
    }
  });
});

describe('varint properties', () => {
  const lengths = [1, 2, 4, 8] as const;

  it('bigint values round-trip at the minimal and every longer length', () => {
    fc.assert(
      fc.property(varintBigint, (v) => {
        for (const len of lengths.filter((l) => l >= varintLength(v))) {
          const bytes = new Writer().varint(v, len).finish();
          expect(bytes.length).toBe(len);
          const r = new Reader(bytes);
          expect(r.varintBig()).toBe(v);
          r.expectEnd();
        }
        expect(new Writer().varint(v).finish().length).toBe(varintLength(v));
      }),
    );
  });

  it('number values round-trip and match the bigint encoding byte for byte', () => {
    fc.assert(
      fc.property(varintNumber, (v) => {
        const bytes = new Writer().varint(v).finish();
        expect(toHex(bytes)).toBe(toHex(new Writer().varint(BigInt(v)).finish()));
        expect(new Reader(bytes).varint()).toBe(v);
      }),
    );
  });

  it('varint() returns the double nearest to the exact value of any 8-byte encoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), (raw) => {
        raw[0] = raw[0]! | 0xc0;
        expect(new Reader(raw).varint()).toBe(Number(new Reader(raw).varintBig()));
      }),
      { numRuns: 2000 },
    );
  });

  it('the minimal length is the smallest that holds the value', () => {
    fc.assert(
      fc.property(varintBigint, (v) => {
        const len = varintLength(v);
        expect(v < 2n ** BigInt(8 * len - 2)).toBe(true);
        if (len > 1) expect(v >= 2n ** BigInt(4 * len - 2)).toBe(true);
      }),
    );
  });
});
