/** ERROR-CODE (RFC 8489 §14.8): class (hundreds digit) and number, then a UTF-8 reason phrase. */
import { DecodeError } from '@x/wire';
import { decodeText, encodeText } from './strings.js';

export interface ErrorCodeValue {
  /** 300..699 */
  readonly code: number;
  readonly reason: string;
}

export function decodeErrorCode(value: Uint8Array): ErrorCodeValue {
  if (value.length < 4) {
    throw new DecodeError('ERROR-CODE', value.length, 'ERROR-CODE is at least 4 bytes');
  }
  // The 21 reserved bits are ignored; Class is 3 bits, Number 8 bits (RFC 8489 §14.8).
  const cls = value[2]! & 0x07;
  const number = value[3]!;
  if (cls < 3 || cls > 6)
    throw new DecodeError('ERROR-CODE class', 2, `error class ${cls} is not 3..6`);
  if (number > 99)
    throw new DecodeError('ERROR-CODE number', 3, `error number ${number} is not 0..99`);
  return { code: cls * 100 + number, reason: decodeText(value.subarray(4), 'ERROR-CODE reason') };
}

export function encodeErrorCode(code: number, reason: string): Uint8Array {
  if (!Number.isInteger(code) || code < 300 || code > 699) {
    throw new RangeError(`a STUN error code is 300..699, not ${code}`);
  }
  const text = encodeText(reason, 'ERROR-CODE reason');
  const out = new Uint8Array(4 + text.length);
  out[2] = Math.floor(code / 100);
  out[3] = code % 100;
  out.set(text, 4);
  return out;
}
