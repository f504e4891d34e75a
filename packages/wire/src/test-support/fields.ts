/**
 * A tiny message model for property tests: a list of typed fields that the
 * Writer encodes and the Reader decodes by the same shape. Shared by the reader
 * and writer tests; not part of the package build.
 */
import fc from 'fast-check';
import type { Reader } from '../reader.js';
import { type VarintLength, varintLength } from '../varint.js';
import { Writer } from '../writer.js';

export type NestedLength = 1 | 2 | 3 | { varint: VarintLength };

export type Field =
  | { kind: 'u8' | 'u16' | 'u24' | 'u32' | 'u48'; value: number }
  | { kind: 'u64'; value: bigint }
  | { kind: 'varint'; value: number; length: VarintLength | undefined }
  | { kind: 'varintBig'; value: bigint; length: VarintLength | undefined }
  | { kind: 'vector'; lengthBytes: 1 | 2 | 3; value: Uint8Array }
  | { kind: 'varintVector'; value: Uint8Array }
  | { kind: 'bytes'; value: Uint8Array }
  | { kind: 'nested'; lengthBytes: NestedLength; fields: Field[] };

const LENGTHS: readonly VarintLength[] = [1, 2, 4, 8];

/** Varint numbers biased towards the length boundaries, including doubles above 2^53. */
export const varintNumber = fc.oneof(
  fc.integer({ min: 0, max: 63 }),
  fc.integer({ min: 64, max: 16383 }),
  fc.integer({ min: 16384, max: 2 ** 30 - 1 }),
  fc.constantFrom(0, 63, 64, 16383, 16384, 2 ** 30 - 1, 2 ** 30, 2 ** 53, 2 ** 62 - 2 ** 10),
  fc.maxSafeNat(),
  fc
    .bigInt({ min: 0n, max: 2n ** 62n - 1n })
    .map((b) => Number(b))
    .filter((n) => n < 2 ** 62),
);

export const varintBigint = fc.oneof(
  fc.bigInt({ min: 0n, max: 63n }),
  fc.bigInt({ min: 0n, max: 2n ** 62n - 1n }),
  fc.constantFrom(0n, 63n, 64n, 16383n, 16384n, 2n ** 30n - 1n, 2n ** 30n, 2n ** 62n - 1n),
);

/** A value with a length that is either minimal (undefined) or forced to any length that fits. */
function withForcedLength<T extends number | bigint>(
  value: fc.Arbitrary<T>,
): fc.Arbitrary<{ value: T; length: VarintLength | undefined }> {
  return value.chain((v) =>
    fc
      .option(fc.constantFrom(...LENGTHS.filter((l) => l >= varintLength(v))), { nil: undefined })
      .map((length) => ({ value: v, length })),
  );
}

const smallBytes = fc.uint8Array({ maxLength: 40 });

const leaf: fc.Arbitrary<Field> = fc.oneof(
  fc.integer({ min: 0, max: 0xff }).map((value) => ({ kind: 'u8' as const, value })),
  fc.integer({ min: 0, max: 0xffff }).map((value) => ({ kind: 'u16' as const, value })),
  fc.integer({ min: 0, max: 0xffffff }).map((value) => ({ kind: 'u24' as const, value })),
  fc
    .bigInt({ min: 0n, max: 0xffffffffn })
    .map((value) => ({ kind: 'u32' as const, value: Number(value) })),
  fc
    .bigInt({ min: 0n, max: 2n ** 48n - 1n })
    .map((value) => ({ kind: 'u48' as const, value: Number(value) })),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((value) => ({ kind: 'u64' as const, value })),
  withForcedLength(varintNumber).map((f) => ({ kind: 'varint' as const, ...f })),
  withForcedLength(varintBigint).map((f) => ({ kind: 'varintBig' as const, ...f })),
  fc
    .record({ lengthBytes: fc.constantFrom(1 as const, 2 as const, 3 as const), value: smallBytes })
    .map((f) => ({ kind: 'vector' as const, ...f })),
  smallBytes.map((value) => ({ kind: 'varintVector' as const, value })),
  smallBytes.map((value) => ({ kind: 'bytes' as const, value })),
);

const NESTED_LENGTHS: readonly NestedLength[] = [
  1,
  2,
  3,
  { varint: 1 },
  { varint: 2 },
  { varint: 4 },
];

function fits(lengthBytes: NestedLength, n: number): boolean {
  if (typeof lengthBytes === 'number') return n < 2 ** (8 * lengthBytes);
  return varintLength(n) <= lengthBytes.varint;
}

/** Any field, including nested length-prefixed bodies up to three levels deep. */
export const field: fc.Arbitrary<Field> = fc.letrec<{ field: Field; nested: Field }>((tie) => ({
  field: fc.oneof({ maxDepth: 3, depthIdentifier: 'field' }, leaf, leaf, tie('nested')),
  nested: fc
    .record({ fields: fc.array(tie('field'), { maxLength: 4 }), pick: fc.nat() })
    .map(({ fields, pick }) => {
      const size = encodeFields(fields).length;
      const allowed = NESTED_LENGTHS.filter((l) => fits(l, size));
      return { kind: 'nested' as const, lengthBytes: allowed[pick % allowed.length]!, fields };
    }),
})).field;

export const fields = fc.array(field, { maxLength: 8 });

export function writeField(w: Writer, f: Field): void {
  switch (f.kind) {
    case 'u8':
      w.u8(f.value);
      break;
    case 'u16':
      w.u16(f.value);
      break;
    case 'u24':
      w.u24(f.value);
      break;
    case 'u32':
      w.u32(f.value);
      break;
    case 'u48':
      w.u48(f.value);
      break;
    case 'u64':
      w.u64(f.value);
      break;
    case 'varint':
    case 'varintBig':
      w.varint(f.value, f.length);
      break;
    case 'vector':
      w.vector(f.lengthBytes, f.value);
      break;
    case 'varintVector':
      w.varintVector(f.value);
      break;
    case 'bytes':
      w.bytes(f.value);
      break;
    case 'nested':
      w.withLength(f.lengthBytes, (inner) => {
        for (const g of f.fields) writeField(inner, g);
      });
      break;
  }
}

export function encodeFields(fs: readonly Field[], w = new Writer(16)): Uint8Array {
  for (const f of fs) writeField(w, f);
  return w.finish();
}

/**
 * Decodes one field shaped like `spec`. A forced varint length is checked
 * against the bytes consumed, so a writer that ignored it would not round-trip.
 */
export function readField(r: Reader, spec: Field): Field {
  switch (spec.kind) {
    case 'u8':
      return { kind: spec.kind, value: r.u8() };
    case 'u16':
      return { kind: spec.kind, value: r.u16() };
    case 'u24':
      return { kind: spec.kind, value: r.u24() };
    case 'u32':
      return { kind: spec.kind, value: r.u32() };
    case 'u48':
      return { kind: spec.kind, value: r.u48() };
    case 'u64':
      return { kind: spec.kind, value: r.u64() };
    case 'varint':
    case 'varintBig': {
      const at = r.offset;
      const value = spec.kind === 'varint' ? r.varint() : r.varintBig();
      const consumed = r.offset - at;
      if (consumed !== (spec.length ?? varintLength(value))) {
        throw new Error(`varint ${value} took ${consumed} bytes`);
      }
      return { ...spec, value } as Field;
    }
    case 'vector':
      return { kind: spec.kind, lengthBytes: spec.lengthBytes, value: r.vector(spec.lengthBytes) };
    case 'varintVector':
      return { kind: spec.kind, value: r.varintVector() };
    case 'bytes':
      return { kind: spec.kind, value: r.bytesView(spec.value.length) };
    case 'nested': {
      let body: Reader;
      if (typeof spec.lengthBytes === 'number') {
        body = r.subReader(spec.lengthBytes);
      } else {
        const at = r.offset;
        const n = r.varint();
        if (r.offset - at !== spec.lengthBytes.varint) throw new Error('length varint not forced');
        body = r.take(n);
      }
      const inner = spec.fields.map((g) => readField(body, g));
      body.expectEnd();
      return { kind: spec.kind, lengthBytes: spec.lengthBytes, fields: inner };
    }
  }
}

export function readFields(r: Reader, spec: readonly Field[]): Field[] {
  return spec.map((f) => readField(r, f));
}
