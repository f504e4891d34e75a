const HEX = '0123456789abcdef';

/** Lower-case hex of the bytes, no separators. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    s += HEX[b >> 4]! + HEX[b & 15]!;
  }
  return s;
}

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Parses hex; white space and ':' separators are ignored so RFC vector blocks
 * and SDP fingerprints can be pasted as they are. Throws TypeError on anything else.
 */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0)
    throw new TypeError(`fromHex: odd number of digits (${clean.length})`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(clean.charCodeAt(2 * i));
    const lo = nibble(clean.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new TypeError(`fromHex: not a hex digit near position ${2 * i}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}
