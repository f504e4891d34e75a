/**
 * RFC 3711 §3.3.1: the receiver's guess v of the sender's rollover counter for
 * sequence number `seq`, given its own ROC and highest sequence number s_l.
 * Returns -1 when the packet would belong before ROC 0 (it cannot be valid).
 * The same rule tells a sender when its sequence numbers wrapped, and keeps
 * reordering around the wrap right on both sides.
 */
export function estimateRoc(roc: number, sl: number, seq: number): number {
  if (sl < 32768) return seq - sl > 32768 ? roc - 1 : roc;
  return sl - 32768 > seq ? roc + 1 : roc;
}

/** The 48-bit SRTP packet index i = 2^16 * ROC + SEQ (§3.3.1). */
export function packetIndex(roc: number, seq: number): number {
  return roc * 65536 + seq;
}

/** ROC is 32 bits (§3.2.1); past it the master key must be changed. */
export const MAX_ROC = 0xffffffff;
