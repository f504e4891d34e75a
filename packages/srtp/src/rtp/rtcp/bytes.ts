import { DecodeError } from '@x/wire';

export const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
export const u24 = (b: Uint8Array, at: number) => (b[at]! << 16) | (b[at + 1]! << 8) | b[at + 2]!;
export const u32 = (b: Uint8Array, at: number) =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

export function need(body: Uint8Array, at: number, n: number, what: string, base: number): void {
  if (at + n > body.length) throw new DecodeError(what, base + at);
}

/** Big-endian writer into a fixed buffer (sizes are computed before writing). */
export class Out {
  readonly bytes: Uint8Array;
  at = 0;
  constructor(n: number) {
    this.bytes = new Uint8Array(n);
  }
  u8(v: number): this {
    this.bytes[this.at++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    this.bytes[this.at++] = (v >>> 8) & 0xff;
    this.bytes[this.at++] = v & 0xff;
    return this;
  }
  u24(v: number): this {
    this.u8(v >>> 16);
    return this.u16(v & 0xffff);
  }
  u32(v: number): this {
    this.u16(v >>> 16);
    return this.u16(v & 0xffff);
  }
  raw(b: Uint8Array): this {
    this.bytes.set(b, this.at);
    this.at += b.length;
    return this;
  }
}
