import type { CryptoProvider, SrtpProfile } from '@x/crypto';
import type { SessionKeys } from '../kdf.js';

/**
 * The packet transform of one protection profile, bound to one direction's
 * session keys for either SRTP or SRTCP. The context owns headers, indices,
 * replay and rollover state; the cipher owns the layout of what it adds (tag,
 * MKI, ESRTCP word) and the cryptography.
 *
 * Every method writes into `out` (which may be the same memory as `packet`,
 * at the same offset) and returns the number of bytes written, or -1 from an
 * unprotect method when the packet does not authenticate. On -1 the contents
 * of `out` are unspecified and must not be used.
 */
export interface SrtpCipher {
  /** Bytes protect adds to an RTP packet (tag and MKI). */
  readonly rtpOverhead: number;
  /** Bytes protect adds to an RTCP packet (ESRTCP word, tag and MKI). */
  readonly rtcpOverhead: number;
  /** Distance from the end of an SRTP packet to its MKI (when one is configured). */
  readonly rtpMkiFromEnd: number;
  /** Distance from the end of an SRTCP packet to its MKI. */
  readonly rtcpMkiFromEnd: number;
  /** Distance from the end of an SRTCP packet to its E flag and SRTCP index word. */
  readonly esrtcpFromEnd: number;
  protectRtp(
    packet: Uint8Array,
    headerLength: number,
    out: Uint8Array,
    ssrc: number,
    roc: number,
    seq: number,
  ): number;
  /** `packet` is the whole SRTP packet; the MKI has already been checked by the context. */
  unprotectRtp(
    packet: Uint8Array,
    headerLength: number,
    out: Uint8Array,
    ssrc: number,
    roc: number,
    seq: number,
  ): number;
  protectRtcp(packet: Uint8Array, out: Uint8Array, ssrc: number, index: number): number;
  /** `esrtcpOffset` is where the E flag and SRTCP index word sits in `packet`. */
  unprotectRtcp(
    packet: Uint8Array,
    out: Uint8Array,
    ssrc: number,
    index: number,
    encrypted: boolean,
    esrtcpOffset: number,
  ): number;
}

export interface SrtpCipherOptions {
  /** Master Key Identifier carried in every packet (RFC 3711 §3.1); empty for none. */
  readonly mki: Uint8Array;
  /**
   * False for authentication only: the RTP payload travels in the clear
   * (RFC 7714 §16.1.3 tagging) and SRTCP packets carry E = 0.
   */
  readonly encrypt: boolean;
}

/**
 * How a protection profile protects packets. Profiles are looked up by their
 * DTLS-SRTP code point: the lengths come from @x/crypto's cipher-suite registry
 * (family 'srtp'), the transform from this package's registry.
 */
export interface SrtpTransform {
  /** Session key lengths derived for this profile (RFC 3711 §4.3). */
  sessionKeyLengths(profile: SrtpProfile): { key: number; salt: number; auth: number };
  create(
    provider: CryptoProvider,
    profile: SrtpProfile,
    keys: SessionKeys,
    options: SrtpCipherOptions,
  ): SrtpCipher;
}
