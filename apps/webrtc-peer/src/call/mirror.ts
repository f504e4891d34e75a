/**
 * The echo as a mirror of SSRCs: every stream the peer sends (SSRC X) comes
 * back on one of our SSRCs (A), and every report or feedback the peer sends
 * about A is turned into the same report about X. Sequence numbers and
 * timestamps pass unchanged, so a NACK for an echoed packet names the very
 * packet the peer's sender must retransmit, and a PLI/FIR on the echoed
 * stream asks the peer's encoder for a keyframe (RFC 4585 §6.3.1, RFC 5104
 * §4.3.1).
 *
 * Rewrites are in place on decrypted packets: no allocation per packet.
 */

/** RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1). */
const SR = 200;
const RR = 201;
const RTPFB = 205;
const PSFB = 206;
const PSFB_PLI = 1;
const PSFB_FIR = 4;
const RTPFB_NACK = 1;

export class SsrcMirror {
  readonly #map = new Map<number, number>();
  /** NACK, PLI and FIR packets reflected so far. */
  feedback = 0;

  /** Pairs the peer's SSRC with ours (both directions). */
  pair(remote: number, local: number): void {
    this.#map.set(remote >>> 0, local >>> 0);
    this.#map.set(local >>> 0, remote >>> 0);
  }

  has(ssrc: number): boolean {
    return this.#map.has(ssrc >>> 0);
  }

  reflect(ssrc: number): number | undefined {
    return this.#map.get(ssrc >>> 0);
  }

  /** Rewrites the RTP SSRC (RFC 3550 §5.1, bytes 8-11). False if the stream is not paired. */
  rewriteRtp(packet: Uint8Array): boolean {
    if (packet.length < 12) return false;
    const to = this.#map.get(readU32(packet, 8));
    if (to === undefined) return false;
    writeU32(packet, 8, to);
    return true;
  }

  /**
   * Rewrites a decrypted RTCP compound in place and compacts it to the
   * packets worth reflecting: SR and RR (report blocks), Generic NACK, PLI and
   * FIR. SDES, BYE, XR, transport-cc, REMB and anything unknown are dropped
   * (we did not negotiate them, or they describe the peer, not the echo).
   * Returns the new length (0: nothing to send).
   */
  rewriteRtcp(packet: Uint8Array, length: number): number {
    let read = 0;
    let write = 0;
    while (read + 4 <= length) {
      const count = packet[read]! & 0x1f;
      const pt = packet[read + 1]!;
      const size = (((packet[read + 2]! << 8) | packet[read + 3]!) + 1) * 4;
      if (packet[read]! >> 6 !== 2 || read + size > length) break;
      if (this.#rewriteOne(packet, read, size, pt, count)) {
        if (write !== read) packet.copyWithin(write, read, read + size);
        write += size;
      }
      read += size;
    }
    return write;
  }

  #swap(p: Uint8Array, at: number): void {
    const to = this.#map.get(readU32(p, at));
    if (to !== undefined) writeU32(p, at, to);
  }

  #rewriteOne(p: Uint8Array, at: number, size: number, pt: number, count: number): boolean {
    if (size < 8) return false;
    switch (pt) {
      case SR:
      case RR: {
        // SR: 20 bytes of sender info after the sender SSRC (RFC 3550 §6.4.1).
        const blocks = at + (pt === SR ? 28 : 8);
        if (blocks + count * 24 > at + size) return false;
        this.#swap(p, at + 4);
        for (let i = 0; i < count; i++) this.#swap(p, blocks + i * 24);
        return true;
      }
      case RTPFB:
      case PSFB: {
        if (size < 12) return false;
        const fmt = count;
        const wanted = pt === RTPFB ? fmt === RTPFB_NACK : fmt === PSFB_PLI || fmt === PSFB_FIR;
        if (!wanted) return false;
        this.#swap(p, at + 4);
        this.#swap(p, at + 8);
        if (pt === PSFB && fmt === PSFB_FIR) {
          // RFC 5104 §4.3.1.1: the FCI entries name the media sender.
          for (let i = at + 12; i + 8 <= at + size; i += 8) this.#swap(p, i);
        }
        this.feedback++;
        return true;
      }
      default:
        return false;
    }
  }
}

export function readU32(p: Uint8Array, at: number): number {
  return ((p[at]! << 24) | (p[at + 1]! << 16) | (p[at + 2]! << 8) | p[at + 3]!) >>> 0;
}

export function writeU32(p: Uint8Array, at: number, v: number): void {
  p[at] = v >>> 24;
  p[at + 1] = (v >>> 16) & 0xff;
  p[at + 2] = (v >>> 8) & 0xff;
  p[at + 3] = v & 0xff;
}

/** RFC 5761 §4: in the RTP range of RFC 7983, payload types 192-223 are RTCP. */
export function isRtcp(packet: Uint8Array): boolean {
  const pt = packet[1] ?? 0;
  return pt >= 192 && pt <= 223;
}
