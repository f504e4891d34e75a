/**
 * The ICE attributes (RFC 8445 §16.1): PRIORITY (u32), USE-CANDIDATE (a flag
 * with no value), ICE-CONTROLLED and ICE-CONTROLLING (a u64 tiebreaker).
 */
import { DecodeError } from '@x/wire';

export function decodePriority(value: Uint8Array): number {
  if (value.length !== 4)
    throw new DecodeError('PRIORITY', value.length, `PRIORITY is 4 bytes, not ${value.length}`);
  return ((value[0]! << 24) | (value[1]! << 16) | (value[2]! << 8) | value[3]!) >>> 0;
}

export function encodePriority(priority: number): Uint8Array {
  if (!Number.isInteger(priority) || priority < 0 || priority > 0xffffffff) {
    throw new RangeError(`PRIORITY must be a u32, not ${priority}`);
  }
  return Uint8Array.of(
    priority >>> 24,
    (priority >>> 16) & 0xff,
    (priority >>> 8) & 0xff,
    priority & 0xff,
  );
}

export function decodeUseCandidate(value: Uint8Array): true {
  if (value.length !== 0) throw new DecodeError('USE-CANDIDATE', 0, 'USE-CANDIDATE has no value');
  return true;
}

/** ICE-CONTROLLED / ICE-CONTROLLING tiebreaker. */
export function decodeTiebreaker(value: Uint8Array): bigint {
  if (value.length !== 8)
    throw new DecodeError(
      'tiebreaker',
      value.length,
      `a tiebreaker is 8 bytes, not ${value.length}`,
    );
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(value[i]!);
  return v;
}

export function encodeTiebreaker(tiebreaker: bigint): Uint8Array {
  if (tiebreaker < 0n || tiebreaker > 0xffffffffffffffffn)
    throw new RangeError('a tiebreaker is a u64');
  const out = new Uint8Array(8);
  let v = tiebreaker;
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
