/**
 * Packet number encoding and decoding, RFC 9000 §17.1 and Appendix A.2/A.3.
 * Packet numbers are integers in 0..2^62-1; JavaScript numbers hold them exactly
 * up to 2^53, which a connection will never reach, so plain arithmetic (not
 * 32-bit bitwise operators) is used throughout.
 */

/** The largest packet number (RFC 9000 §12.3). */
export const MAX_PACKET_NUMBER = 2 ** 62 - 1;

/**
 * RFC 9000 A.2: the number of bytes (1-4) needed to send `fullPn` so the peer can
 * recover it, given the largest packet number it acknowledged (undefined when
 * none has been acknowledged yet). The range must be more than twice the number
 * of unacknowledged packets, plus one.
 */
export function packetNumberLength(
  fullPn: number,
  largestAcked: number | undefined,
): 1 | 2 | 3 | 4 {
  const numUnacked = largestAcked === undefined ? fullPn + 1 : fullPn - largestAcked;
  // min_bits = log2(num_unacked) + 1, rounded up to whole bytes.
  const minBits = Math.log2(numUnacked) + 1;
  const bytes = Math.ceil(minBits / 8);
  if (bytes <= 1) return 1;
  if (bytes === 2) return 2;
  if (bytes === 3) return 3;
  return 4;
}

/** The low `length` bytes of `fullPn`, the value that goes on the wire. */
export function truncatePacketNumber(fullPn: number, length: 1 | 2 | 3 | 4): number {
  return fullPn % 2 ** (8 * length);
}

/**
 * RFC 9000 A.3: recovers a full packet number from its `pnNbits`-bit truncation
 * and the largest packet number successfully processed in the space (-1 if none).
 */
export function decodePacketNumber(
  largestPn: number,
  truncatedPn: number,
  pnNbits: number,
): number {
  const expectedPn = largestPn + 1;
  const pnWin = 2 ** pnNbits;
  const pnHwin = pnWin / 2;
  // The incoming packet number should be greater than expectedPn - pnHwin and
  // less than or equal to expectedPn + pnHwin: replace the low bits of expectedPn
  // with the truncated value, then step one window up or down if out of range.
  const candidatePn = expectedPn - (expectedPn % pnWin) + (truncatedPn % pnWin);
  if (candidatePn <= expectedPn - pnHwin && candidatePn < 2 ** 62 - pnWin) {
    return candidatePn + pnWin;
  }
  if (candidatePn > expectedPn + pnHwin && candidatePn >= pnWin) {
    return candidatePn - pnWin;
  }
  return candidatePn;
}
