/**
 * PASSWORD-ALGORITHMS and PASSWORD-ALGORITHM (RFC 8489 §14.11, §14.12): an
 * algorithm number and length-prefixed parameters padded to 4 bytes.
 */
import { Reader } from '@x/wire';

/** RFC 8489 §18.5. */
export const PasswordAlgorithm = { MD5: 0x0001, SHA_256: 0x0002 } as const;

export interface PasswordAlgorithmValue {
  readonly algorithm: number;
  /** Empty for MD5 and SHA-256. */
  readonly parameters: Uint8Array;
}

function readOne(r: Reader): PasswordAlgorithmValue {
  const algorithm = r.u16('password algorithm');
  const length = r.u16('password algorithm parameters length');
  const parameters = r.bytesView(length, 'password algorithm parameters');
  r.skip((4 - (length & 3)) & 3, 'password algorithm parameters padding');
  return { algorithm, parameters };
}

function writeOne(out: Uint8Array, at: number, v: PasswordAlgorithmValue): number {
  if (!Number.isInteger(v.algorithm) || v.algorithm < 0 || v.algorithm > 0xffff) {
    throw new RangeError(`password algorithm ${v.algorithm}`);
  }
  if (v.parameters.length > 0xffff) throw new RangeError('password algorithm parameters too long');
  out[at] = v.algorithm >>> 8;
  out[at + 1] = v.algorithm & 0xff;
  out[at + 2] = v.parameters.length >>> 8;
  out[at + 3] = v.parameters.length & 0xff;
  out.set(v.parameters, at + 4);
  return at + 4 + ((v.parameters.length + 3) & ~3);
}

const size = (v: PasswordAlgorithmValue) => 4 + ((v.parameters.length + 3) & ~3);

export function decodePasswordAlgorithm(value: Uint8Array): PasswordAlgorithmValue {
  const r = new Reader(value);
  const v = readOne(r);
  r.expectEnd('end of PASSWORD-ALGORITHM');
  return v;
}

export function encodePasswordAlgorithm(v: PasswordAlgorithmValue): Uint8Array {
  const out = new Uint8Array(size(v));
  writeOne(out, 0, v);
  return out;
}

export function decodePasswordAlgorithms(value: Uint8Array): PasswordAlgorithmValue[] {
  const r = new Reader(value);
  const list: PasswordAlgorithmValue[] = [];
  while (!r.done) list.push(readOne(r));
  return list;
}

export function encodePasswordAlgorithms(list: readonly PasswordAlgorithmValue[]): Uint8Array {
  const out = new Uint8Array(list.reduce((n, v) => n + size(v), 0));
  let at = 0;
  for (const v of list) at = writeOne(out, at, v);
  return out;
}
