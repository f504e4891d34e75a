/**
 * node:crypto hands back Buffers; the SDK's public types are Uint8Array. A Buffer's
 * `slice` returns a view rather than a copy, so we never let one escape.
 */
export function u8(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

export function fromB64url(text: string, length?: number): Uint8Array {
  const raw = u8(Buffer.from(text, 'base64url'));
  if (length === undefined || raw.length === length) return raw;
  // JWK integers drop leading zero bytes; fixed-width fields need them back.
  const out = new Uint8Array(length);
  out.set(raw.subarray(Math.max(0, raw.length - length)), Math.max(0, length - raw.length));
  return out;
}

export const NODE_HASH = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
} as const;
