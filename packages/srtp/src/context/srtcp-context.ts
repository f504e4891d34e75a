import { SrtpError } from '../errors.js';
import { readU32, tagsEqual } from '../profiles/bytes.js';
import type { SrtpCipher } from '../profiles/transform.js';
import { type ResolvedContext, resolveContext, type SrtpContextOptions } from './options.js';
import { ReplayWindow } from './replay.js';

/** RFC 3711 §3.4: the SRTCP index is 31 bits; the key must change before it wraps. */
export const MAX_SRTCP_INDEX = 0x7fffffff;

class SsrcState {
  /** Next index to send (sender) . */
  next = 0;
  readonly replay: ReplayWindow;
  constructor(window: number) {
    this.replay = new ReplayWindow(window);
  }
}

/** Minimum RTCP packet: the 8 bytes SRTCP leaves in the clear (RFC 3711 §3.4). */
const RTCP_HEADER = 8;

/**
 * One direction of SRTCP (RFC 3711 §3.4, RFC 7714 §9) for any number of SSRCs:
 * an explicit 31-bit SRTCP index per sending SSRC with the E flag in front,
 * and a replay list per SSRC on receipt.
 */
export class SrtcpContext {
  readonly profile: ResolvedContext['profile'];
  /** Bytes protect adds to a compound RTCP packet (ESRTCP word, tag, MKI). */
  readonly overhead: number;
  readonly #cipher: SrtpCipher;
  readonly #window: number;
  readonly #mki: Uint8Array;
  readonly #states = new Map<number, SsrcState>();

  constructor(options: SrtpContextOptions) {
    const r = resolveContext(options, 'rtcp');
    this.profile = r.profile;
    this.#cipher = r.cipher;
    this.#window = r.replayWindow;
    this.#mki = r.mki;
    this.overhead = r.cipher.rtcpOverhead;
  }

  #state(ssrc: number): SsrcState {
    let s = this.#states.get(ssrc);
    if (s === undefined) {
      s = new SsrcState(this.#window);
      this.#states.set(ssrc, s);
    }
    return s;
  }

  /** The SRTCP index the next packet from `ssrc` will carry. */
  nextIndex(ssrc: number): number {
    return this.#states.get(ssrc >>> 0)?.next ?? 0;
  }

  protect(packet: Uint8Array): Uint8Array {
    const out = new Uint8Array(packet.length + this.overhead);
    this.protectInto(packet, out);
    return out;
  }

  /** Protects a (compound) RTCP packet into `out`; returns the SRTCP packet's length. */
  protectInto(packet: Uint8Array, out: Uint8Array): number {
    if (packet.length < RTCP_HEADER || packet[0]! >>> 6 !== 2) {
      throw new SrtpError('malformed', 'not an RTCP packet (RFC 3550 §6.4)');
    }
    if (out.length < packet.length + this.overhead) {
      throw new SrtpError(
        'buffer_too_small',
        `output needs ${packet.length + this.overhead} bytes`,
      );
    }
    const ssrc = readU32(packet, 4);
    const s = this.#state(ssrc);
    if (s.next > MAX_SRTCP_INDEX) {
      throw new SrtpError('index_exhausted', 'SRTCP index exhausted (2^31 packets): rekey');
    }
    const index = s.next++;
    return this.#cipher.protectRtcp(packet, out, ssrc, index);
  }

  unprotect(packet: Uint8Array): Uint8Array {
    const out = new Uint8Array(packet.length);
    const n = this.unprotectInto(packet, out);
    return out.subarray(0, n);
  }

  /** Verifies and decrypts an SRTCP packet into `out`; returns the RTCP packet's length. */
  unprotectInto(packet: Uint8Array, out: Uint8Array): number {
    const c = this.#cipher;
    if (packet.length < RTCP_HEADER + c.rtcpOverhead || packet[0]! >>> 6 !== 2) {
      throw new SrtpError('malformed', 'not an SRTCP packet: short or not version 2');
    }
    if (out.length < packet.length) {
      throw new SrtpError('buffer_too_small', `output needs ${packet.length} bytes`);
    }
    const mki = this.#mki;
    if (
      mki.length > 0 &&
      !tagsEqual(packet, packet.length - c.rtcpMkiFromEnd, mki, 0, mki.length)
    ) {
      throw new SrtpError('unknown_mki', 'packet carries an MKI this context does not hold');
    }
    const at = packet.length - c.esrtcpFromEnd;
    const word = readU32(packet, at);
    const encrypted = word >= 0x80000000;
    const index = word & 0x7fffffff;
    const ssrc = readU32(packet, 4);
    const s = this.#states.get(ssrc);
    if (s !== undefined) {
      const verdict = s.replay.check(index);
      if (verdict === 'replay')
        throw new SrtpError('replay', `SRTCP index ${index} already received`);
      if (verdict === 'too_old')
        throw new SrtpError('too_old', `SRTCP index ${index} is behind the replay window`);
    }
    const n = c.unprotectRtcp(packet, out, ssrc, index, encrypted, at);
    if (n < 0) throw new SrtpError('auth', 'SRTCP authentication tag does not verify');
    (s ?? this.#state(ssrc)).replay.accept(index);
    return n;
  }
}
