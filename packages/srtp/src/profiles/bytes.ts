/** Writes a 32-bit unsigned big-endian value. */
export function writeU32(out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 24;
  out[at + 1] = v >>> 16;
  out[at + 2] = v >>> 8;
  out[at + 3] = v;
}

export function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** Tag comparison without an early exit, over `n` bytes at two offsets. */
export function tagsEqual(
  a: Uint8Array,
  aAt: number,
  b: Uint8Array,
  bAt: number,
  n: number,
): boolean {
  let diff = 0;
  for (let i = 0; i < n; i++) diff |= a[aAt + i]! ^ b[bAt + i]!;
  return diff === 0;
}

/** Copies `n` bytes without creating a view (hot path: headers and tags are short). */
export function copyBytes(
  src: Uint8Array,
  from: number,
  dst: Uint8Array,
  to: number,
  n: number,
): void {
  for (let i = 0; i < n; i++) dst[to + i] = src[from + i]!;
}
