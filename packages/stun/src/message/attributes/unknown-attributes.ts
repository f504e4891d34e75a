/** UNKNOWN-ATTRIBUTES (RFC 8489 §14.13): a list of 16-bit attribute types, normal padding. */
import { DecodeError } from '@x/wire';

export function decodeUnknownAttributes(value: Uint8Array): number[] {
  if (value.length % 2 !== 0) {
    throw new DecodeError('UNKNOWN-ATTRIBUTES', value.length, 'UNKNOWN-ATTRIBUTES length is odd');
  }
  const types: number[] = [];
  for (let i = 0; i < value.length; i += 2) types.push((value[i]! << 8) | value[i + 1]!);
  return types;
}

export function encodeUnknownAttributes(types: readonly number[]): Uint8Array {
  const out = new Uint8Array(types.length * 2);
  types.forEach((t, i) => {
    if (!Number.isInteger(t) || t < 0 || t > 0xffff) throw new RangeError(`attribute type ${t}`);
    out[2 * i] = t >>> 8;
    out[2 * i + 1] = t & 0xff;
  });
  return out;
}
