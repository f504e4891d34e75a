import { randomFillSync } from 'node:crypto';

/**
 * Small random values (connection IDs, nonces, key shares) come from a pool
 * refilled 4 KiB at a time: one randomFillSync call costs ~1.9 µs however
 * few bytes it fills, and a QUIC handshake asks for a dozen short values.
 * The pool holds only bytes no one has been handed yet; each one is handed
 * out once and zeroed as it leaves.
 */
const POOL_SIZE = 4096;
const SMALL = 256;
const pool = new Uint8Array(POOL_SIZE);
let used = POOL_SIZE;

export function randomBytes(length: number): Uint8Array {
  if (length > SMALL) return randomFillSync(new Uint8Array(length));
  if (used + length > POOL_SIZE) {
    randomFillSync(pool);
    used = 0;
  }
  const out = pool.slice(used, used + length);
  pool.fill(0, used, used + length);
  used += length;
  return out;
}
