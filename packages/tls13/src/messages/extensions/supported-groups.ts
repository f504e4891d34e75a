/** RFC 8446 §4.2.7 supported_groups: NamedGroup list. */
import { type Reader, Writer } from '@x/wire';
import { tlsError } from '../../alerts.js';
import { parseExtensionData } from './types.js';

export function encodeU16List(values: readonly number[], lengthBytes: 1 | 2 = 2): Uint8Array {
  const w = new Writer(values.length * 2 + 2);
  w.withLength(lengthBytes, () => {
    for (const v of values) w.u16(v);
  });
  return w.finish().slice();
}

export function readU16List(r: Reader, what: string, lengthBytes: 1 | 2 = 2): number[] {
  const body = lengthBytes === 1 ? r.subReader(1, what) : r.subReader(2, what);
  if (body.remaining % 2 !== 0) body.fail(what, `${what} has an odd length`);
  const out: number[] = [];
  while (!body.done) out.push(body.u16(what));
  return out;
}

export const encodeSupportedGroups = (groups: readonly number[]): Uint8Array =>
  encodeU16List(groups);

export function decodeSupportedGroups(data: Uint8Array): number[] {
  const groups = parseExtensionData(data, 'supported_groups', (r) =>
    readU16List(r, 'named_group_list'),
  );
  if (groups.length === 0) throw tlsError('decode_error', 'empty supported_groups');
  return groups;
}
