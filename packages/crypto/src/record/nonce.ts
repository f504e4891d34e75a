/**
 * A nonce rule turns the per-direction IV and a record/packet sequence number
 * into the AEAD nonce. Sequence numbers are plain numbers: every protocol here
 * rekeys long before 2^53 records (DTLS passes epoch * 2^48 + sequence, exact
 * for the epochs a connection without renegotiation reaches).
 */
export type NonceRule = (iv: Uint8Array, sequence: number, out: Uint8Array) => void;

const TWO32 = 4294967296;

/**
 * RFC 8446 §5.3 (TLS 1.3), RFC 9001 §5.3 (QUIC), RFC 7905 §2 (ChaCha20 in TLS 1.2)
 * and RFC 7714 §8.1 (SRTP GCM, with the SSRC folded into the IV): the sequence
 * number, left-padded to the IV length, XORed into the IV.
 */
export const xorSequenceNonce: NonceRule = (iv, sequence, out) => {
  out.set(iv);
  const n = out.length;
  const hi = Math.floor(sequence / TWO32);
  const lo = sequence >>> 0;
  out[n - 1]! ^= lo & 0xff;
  out[n - 2]! ^= (lo >>> 8) & 0xff;
  out[n - 3]! ^= (lo >>> 16) & 0xff;
  out[n - 4]! ^= lo >>> 24;
  out[n - 5]! ^= hi & 0xff;
  out[n - 6]! ^= (hi >>> 8) & 0xff;
  out[n - 7]! ^= (hi >>> 16) & 0xff;
  out[n - 8]! ^= hi >>> 24;
};

/** Writes `sequence` as 8 big-endian bytes at `out[offset]` (RFC 5288 nonce_explicit). */
export function writeSequence64(out: Uint8Array, offset: number, sequence: number): void {
  const hi = Math.floor(sequence / TWO32);
  const lo = sequence >>> 0;
  out[offset] = hi >>> 24;
  out[offset + 1] = hi >>> 16;
  out[offset + 2] = hi >>> 8;
  out[offset + 3] = hi;
  out[offset + 4] = lo >>> 24;
  out[offset + 5] = lo >>> 16;
  out[offset + 6] = lo >>> 8;
  out[offset + 7] = lo;
}
