/**
 * Why an SRTP/SRTCP operation failed. Unprotect never changes any state
 * (rollover counter, replay list, highest index) for a packet that fails.
 *
 * - `auth`: the authentication tag does not verify (RFC 3711 §3.3 step 5).
 * - `replay`: the packet index was already received (RFC 3711 §3.3.2).
 * - `too_old`: the index is behind the replay window.
 * - `malformed`: the packet is too short or its header is not RTP/RTCP.
 * - `unknown_mki`: the packet carries an MKI that is not the configured one.
 * - `index_exhausted`: the sender ran out of packet indices (2^48 SRTP, 2^31 SRTCP): rekey.
 * - `unknown_profile`, `bad_key`: configuration errors when a context is created.
 * - `buffer_too_small`: the caller's output buffer cannot hold the result.
 */
export type SrtpErrorReason =
  | 'auth'
  | 'replay'
  | 'too_old'
  | 'malformed'
  | 'unknown_mki'
  | 'index_exhausted'
  | 'unknown_profile'
  | 'bad_key'
  | 'buffer_too_small';

export class SrtpError extends Error {
  override readonly name = 'SrtpError';
  readonly reason: SrtpErrorReason;

  constructor(reason: SrtpErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}
