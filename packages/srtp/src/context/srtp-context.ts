import { SrtpError } from '../errors.js';
import { readU32, tagsEqual } from '../profiles/bytes.js';
import type { SrtpCipher } from '../profiles/transform.js';
import { rtpHeaderLength } from '../rtp/header-length.js';
import { type ResolvedContext, resolveContext, type SrtpContextOptions } from './options.js';
import { ReplayWindow } from './replay.js';
import { estimateRoc, MAX_ROC, packetIndex } from './roc.js';

/** Per-SSRC state (RFC 3711 §3.2.1, §3.3.1): ROC, highest SEQ s_l, replay list. */
class SsrcState {
  roc: number;
  sl: number;
  readonly replay: ReplayWindow;
  constructor(roc: number, sl: number, window: number) {
    this.roc = roc;
    this.sl = sl;
    this.replay = new ReplayWindow(window);
  }
}

/**
 * One direction of SRTP (RFC 3711, RFC 7714) for any number of SSRCs, like
 * Pion's srtp.Context: use one context to protect what you send and another
 * (with the peer's keys) to unprotect what you receive.
 */
export class SrtpContext {
  readonly profile: ResolvedContext['profile'];
  /** Bytes protect adds to a packet (authentication tag plus MKI). */
  readonly overhead: number;
  readonly #cipher: SrtpCipher;
  readonly #window: number;
  readonly #mki: Uint8Array;
  readonly #states = new Map<number, SsrcState>();
  readonly #initialRoc = new Map<number, number>();
  #lastSsrc = -1;
  #last: SsrcState | undefined;

  constructor(options: SrtpContextOptions) {
    const r = resolveContext(options, 'rtp');
    this.profile = r.profile;
    this.#cipher = r.cipher;
    this.#window = r.replayWindow;
    this.#mki = r.mki;
    this.overhead = r.cipher.rtpOverhead;
  }

  /** The rollover counter of an SSRC seen so far (e.g. to signal it to a late joiner). */
  roc(ssrc: number): number | undefined {
    return this.#state(ssrc >>> 0)?.roc;
  }

  /**
   * Sets the ROC an SSRC starts from (RFC 3711 §3.3.1: a receiver joining a
   * running stream learns it out of band). Resets that SSRC's state.
   */
  setRoc(ssrc: number, roc: number): void {
    if (!Number.isInteger(roc) || roc < 0 || roc > MAX_ROC) throw new RangeError(`bad ROC ${roc}`);
    ssrc >>>= 0;
    this.#states.delete(ssrc);
    this.#initialRoc.set(ssrc, roc);
    if (this.#lastSsrc === ssrc) this.#last = undefined;
    this.#lastSsrc = -1;
  }

  #state(ssrc: number): SsrcState | undefined {
    if (ssrc === this.#lastSsrc) return this.#last;
    const s = this.#states.get(ssrc);
    if (s !== undefined) {
      this.#lastSsrc = ssrc;
      this.#last = s;
    }
    return s;
  }

  #create(ssrc: number, roc: number, seq: number): SsrcState {
    const s = new SsrcState(roc, seq, this.#window);
    this.#states.set(ssrc, s);
    this.#lastSsrc = ssrc;
    this.#last = s;
    return s;
  }

  /** Protects an RTP packet; returns a new SRTP packet. */
  protect(packet: Uint8Array): Uint8Array {
    const out = new Uint8Array(packet.length + this.overhead);
    this.protectInto(packet, out);
    return out;
  }

  /**
   * Protects `packet` into `out` (at least packet.length + overhead bytes; it
   * may be the same memory as `packet`) and returns the SRTP packet's length.
   */
  protectInto(packet: Uint8Array, out: Uint8Array): number {
    const hl = rtpHeaderLength(packet);
    if (hl < 0) throw new SrtpError('malformed', 'not an RTP packet (RFC 3550 §5.1)');
    if (out.length < packet.length + this.overhead) {
      throw new SrtpError(
        'buffer_too_small',
        `output needs ${packet.length + this.overhead} bytes`,
      );
    }
    const seq = (packet[2]! << 8) | packet[3]!;
    const ssrc = readU32(packet, 8);
    let s = this.#state(ssrc);
    let roc: number;
    if (s === undefined) {
      roc = this.#initialRoc.get(ssrc) ?? 0;
      s = this.#create(ssrc, roc, seq);
    } else {
      // A sender's ROC follows its own sequence numbers the way a receiver's guess
      // does (§3.3.1), so retransmissions from before a wrap keep their old ROC.
      roc = estimateRoc(s.roc, s.sl, seq);
      if (roc > MAX_ROC)
        throw new SrtpError('index_exhausted', 'SRTP packet index exhausted: rekey');
      if (roc < 0) throw new SrtpError('too_old', 'sequence number before the first packet sent');
      if (packetIndex(roc, seq) > packetIndex(s.roc, s.sl)) {
        s.roc = roc;
        s.sl = seq;
      }
    }
    return this.#cipher.protectRtp(packet, hl, out, ssrc, roc, seq);
  }

  /** Verifies and decrypts an SRTP packet; throws SrtpError (state unchanged) when it fails. */
  unprotect(packet: Uint8Array): Uint8Array {
    const out = new Uint8Array(packet.length);
    const n = this.unprotectInto(packet, out);
    return out.subarray(0, n);
  }

  /**
   * Verifies and decrypts `packet` into `out` (at least packet.length bytes; it
   * may be `packet` itself) and returns the RTP packet's length.
   */
  unprotectInto(packet: Uint8Array, out: Uint8Array): number {
    const hl = rtpHeaderLength(packet);
    if (hl < 0 || packet.length - this.overhead < hl) {
      throw new SrtpError('malformed', 'not an SRTP packet: short or bad RTP header');
    }
    if (out.length < packet.length) {
      throw new SrtpError('buffer_too_small', `output needs ${packet.length} bytes`);
    }
    const mki = this.#mki;
    if (mki.length > 0) {
      const at = packet.length - this.#cipher.rtpMkiFromEnd;
      if (!tagsEqual(packet, at, mki, 0, mki.length)) {
        throw new SrtpError('unknown_mki', 'packet carries an MKI this context does not hold');
      }
    }
    const seq = (packet[2]! << 8) | packet[3]!;
    const ssrc = readU32(packet, 8);
    const s = this.#state(ssrc);
    let roc: number;
    let index: number;
    if (s === undefined) {
      roc = this.#initialRoc.get(ssrc) ?? 0;
      index = packetIndex(roc, seq);
    } else {
      roc = estimateRoc(s.roc, s.sl, seq);
      if (roc < 0 || roc > MAX_ROC) throw new SrtpError('too_old', 'packet index out of range');
      index = packetIndex(roc, seq);
      const verdict = s.replay.check(index);
      if (verdict === 'replay')
        throw new SrtpError('replay', `packet index ${index} already received`);
      if (verdict === 'too_old')
        throw new SrtpError('too_old', `packet index ${index} is behind the replay window`);
    }
    const n = this.#cipher.unprotectRtp(packet, hl, out, ssrc, roc, seq);
    if (n < 0) throw new SrtpError('auth', 'SRTP authentication tag does not verify');
    // Only an authenticated packet moves ROC, s_l and the replay list (§3.3.1, §3.3.2).
    const st = s ?? this.#create(ssrc, roc, seq);
    if (index > packetIndex(st.roc, st.sl)) {
      st.roc = roc;
      st.sl = seq;
    }
    st.replay.accept(index);
    return n;
  }
}
