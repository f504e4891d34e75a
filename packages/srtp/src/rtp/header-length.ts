/**
 * The length of an RTP header (fixed part, CSRC list and header extension,
 * RFC 3550 §5.1, §5.3.1), or -1 when `packet` is not a version-2 RTP packet
 * that holds all of it. Allocation-free: this is the SRTP hot path's parser.
 */
export function rtpHeaderLength(packet: Uint8Array): number {
  const n = packet.length;
  if (n < 12) return -1;
  const b0 = packet[0]!;
  if (b0 >>> 6 !== 2) return -1;
  let hl = 12 + 4 * (b0 & 0x0f);
  if ((b0 & 0x10) !== 0) {
    if (hl + 4 > n) return -1;
    hl += 4 + 4 * ((packet[hl + 2]! << 8) | packet[hl + 3]!);
  }
  return hl <= n ? hl : -1;
}
