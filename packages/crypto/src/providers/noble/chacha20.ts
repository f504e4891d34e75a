import { chacha20 as nobleChacha20 } from '@noble/ciphers/chacha.js';
import { CryptoError } from '../../errors.js';
import { requireLength } from './bytes.js';

const MAX_COUNTER = 0xffffffff;
const BLOCK = 64;

/**
 * One ChaCha20 block (RFC 8439 §2.3). noble refuses the block whose 32-bit
 * counter is 0xffffffff (its overflow policy), but QUIC header protection takes
 * the counter from the packet's ciphertext sample (RFC 9001 §5.4.4), so any
 * value, that one included, must work; this covers that single block.
 */
function chachaBlock(key: Uint8Array, counter: number, nonce: Uint8Array): Uint8Array {
  const kv = new DataView(key.buffer, key.byteOffset, key.byteLength);
  const nv = new DataView(nonce.buffer, nonce.byteOffset, nonce.byteLength);
  const init = new Uint32Array(16);
  // "expand 32-byte k", then key, counter and nonce as little-endian words (§2.3).
  init.set([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);
  for (let i = 0; i < 8; i++) init[4 + i] = kv.getUint32(4 * i, true);
  init[12] = counter;
  for (let i = 0; i < 3; i++) init[13 + i] = nv.getUint32(4 * i, true);
  const x = Uint32Array.from(init);
  const rotl = (v: number, n: number) => (v << n) | (v >>> (32 - n));
  // The quarter round of §2.1 on state indices a, b, c, d (§2.2).
  const qr = (a: number, b: number, c: number, d: number) => {
    x[a] = x[a]! + x[b]!;
    x[d] = rotl(x[d]! ^ x[a]!, 16);
    x[c] = x[c]! + x[d]!;
    x[b] = rotl(x[b]! ^ x[c]!, 12);
    x[a] = x[a]! + x[b]!;
    x[d] = rotl(x[d]! ^ x[a]!, 8);
    x[c] = x[c]! + x[d]!;
    x[b] = rotl(x[b]! ^ x[c]!, 7);
  };
  for (let round = 0; round < 10; round++) {
    qr(0, 4, 8, 12);
    qr(1, 5, 9, 13);
    qr(2, 6, 10, 14);
    qr(3, 7, 11, 15);
    qr(0, 5, 10, 15);
    qr(1, 6, 11, 12);
    qr(2, 7, 8, 13);
    qr(3, 4, 9, 14);
  }
  const out = new Uint8Array(BLOCK);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < 16; i++) ov.setUint32(4 * i, (x[i]! + init[i]!) >>> 0, true);
  return out;
}

/**
 * Raw ChaCha20 (RFC 8439 §2.4): 32-byte key, 32-bit initial block counter,
 * 12-byte nonce. The counter must not wrap within `data` (it would repeat
 * keystream), which is CryptoError('invalid_nonce').
 */
export function chacha20(
  key: Uint8Array,
  counter: number,
  nonce: Uint8Array,
  data: Uint8Array,
): Uint8Array {
  requireLength(key, [32], 'invalid_key', 'ChaCha20 key');
  requireLength(nonce, [12], 'invalid_nonce', 'ChaCha20 nonce');
  if (!Number.isInteger(counter) || counter < 0 || counter > MAX_COUNTER) {
    throw new CryptoError('invalid_nonce', `ChaCha20 counter ${counter} is not a 32-bit value`);
  }
  const blocks = Math.ceil(data.length / BLOCK);
  if (blocks === 0) return new Uint8Array(0);
  if (counter + blocks - 1 > MAX_COUNTER) {
    throw new CryptoError('invalid_nonce', 'ChaCha20: the 32-bit block counter would wrap');
  }
  if (counter + blocks - 1 < MAX_COUNTER)
    return nobleChacha20(key, nonce, data, undefined, counter);
  // The last block is the one noble will not produce: noble for the rest, then ours.
  const headLength = (MAX_COUNTER - counter) * BLOCK;
  const out = new Uint8Array(data.length);
  if (headLength > 0) {
    out.set(nobleChacha20(key, nonce, data.subarray(0, headLength), undefined, counter));
  }
  const ks = chachaBlock(key, MAX_COUNTER, nonce);
  for (let i = headLength; i < data.length; i++) out[i] = data[i]! ^ ks[i - headLength]!;
  return out;
}

export const __testing = { chachaBlock };
