/**
 * The UTF-8 text attributes USERNAME, REALM, NONCE and SOFTWARE (RFC 8489
 * §14.3, §14.9, §14.10, §14.14) and the fixed 32-byte USERHASH (§14.4).
 *
 * Senders keep these under 509 bytes; receivers accept up to 763 bytes for
 * RFC 5389 compatibility (the RFC's own numbers for each attribute).
 */
import { DecodeError } from '@x/wire';

/** Largest value a receiver must parse (RFC 8489 §14.3, §14.9, §14.10, §14.14). */
export const MAX_TEXT_DECODE_BYTES = 763;
/** Largest value a sender may produce: "fewer than 509 bytes". */
export const MAX_TEXT_ENCODE_BYTES = 508;
export const USERHASH_LENGTH = 32;

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** Decodes a text attribute value; invalid UTF-8 or an oversized value is a DecodeError. */
export function decodeText(value: Uint8Array, what = 'text attribute'): string {
  if (value.length > MAX_TEXT_DECODE_BYTES) {
    throw new DecodeError(
      what,
      MAX_TEXT_DECODE_BYTES,
      `${what} is ${value.length} bytes, more than 763`,
    );
  }
  try {
    return decoder.decode(value);
  } catch {
    throw new DecodeError(what, 0, `${what} is not valid UTF-8`);
  }
}

export function encodeText(text: string, what = 'text attribute'): Uint8Array {
  const bytes = encoder.encode(text);
  if (bytes.length > MAX_TEXT_ENCODE_BYTES) {
    throw new RangeError(`${what} must be fewer than 509 bytes of UTF-8, not ${bytes.length}`);
  }
  return bytes;
}

export function decodeUserhash(value: Uint8Array): Uint8Array {
  if (value.length !== USERHASH_LENGTH) {
    throw new DecodeError('USERHASH', value.length, `USERHASH is 32 bytes, not ${value.length}`);
  }
  return value;
}
