/**
 * RFC 7983 §7 (updating RFC 5764 §5.1.2): one socket carries STUN, DTLS and
 * SRTP/SRTCP (and possibly ZRTP and TURN channels); the first byte says which.
 */

export type PacketKind = 'stun' | 'zrtp' | 'dtls' | 'turn-channel' | 'rtp' | 'other';

/**
 * [0..3] STUN, [16..19] ZRTP, [20..63] DTLS, [64..79] TURN channel,
 * [128..191] RTP/RTCP; anything else (and an empty datagram) is 'other',
 * which RFC 7983 says MUST be dropped.
 */
export function classify(datagram: Uint8Array): PacketKind {
  if (datagram.length === 0) return 'other';
  const b = datagram[0]!;
  if (b <= 3) return 'stun';
  if (b >= 16 && b <= 19) return 'zrtp';
  if (b >= 20 && b <= 63) return 'dtls';
  if (b >= 64 && b <= 79) return 'turn-channel';
  if (b >= 128 && b <= 191) return 'rtp';
  return 'other';
}
