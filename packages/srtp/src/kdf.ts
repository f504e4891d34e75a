import type { CryptoProvider } from '@x/crypto';

/** RFC 3711 §4.3.1 / §4.3.2 key derivation labels. */
export const SRTP_LABEL = {
  rtpEncryption: 0x00,
  rtpAuthentication: 0x01,
  rtpSalt: 0x02,
  rtcpEncryption: 0x03,
  rtcpAuthentication: 0x04,
  rtcpSalt: 0x05,
} as const;

/**
 * The AES-CM PRF of RFC 3711 §4.3.3 with key derivation rate 0 (so r = 0):
 * x = (label || r) XOR master_salt, right-aligned in 112 bits, and the
 * session key is the AES-CM keystream for IV x * 2^16 under the master key.
 *
 * AES-256 master keys use the same construction with AES-256 (RFC 6188 §4.2,
 * which RFC 7714 §11 names for AEAD_AES_256_GCM). The 96-bit GCM master salts
 * are left-aligned in the 112-bit field, zero-padded on the right, which is
 * what libsrtp does (it copies the salt into a zeroed 14-byte buffer).
 */
export function deriveSessionKey(
  provider: CryptoProvider,
  masterKey: Uint8Array,
  masterSalt: Uint8Array,
  label: number,
  length: number,
): Uint8Array {
  if (masterSalt.length > 14) throw new RangeError('master salt longer than 112 bits');
  const iv = new Uint8Array(16);
  iv.set(masterSalt, 0);
  // key_id = label || r is 7 bytes; right-aligned in the 14-byte salt the label is byte 7.
  iv[7]! ^= label;
  return provider.aesCtr(masterKey, iv, new Uint8Array(length));
}

/** The session keys of one direction and one of SRTP or SRTCP. */
export interface SessionKeys {
  readonly encryptionKey: Uint8Array;
  readonly salt: Uint8Array;
  /** Empty for AEAD profiles. */
  readonly authenticationKey: Uint8Array;
}

export function deriveSessionKeys(
  provider: CryptoProvider,
  masterKey: Uint8Array,
  masterSalt: Uint8Array,
  kind: 'rtp' | 'rtcp',
  lengths: { key: number; salt: number; auth: number },
): SessionKeys {
  const base = kind === 'rtp' ? 0 : 3;
  return {
    encryptionKey: deriveSessionKey(provider, masterKey, masterSalt, base, lengths.key),
    authenticationKey:
      lengths.auth === 0
        ? new Uint8Array(0)
        : deriveSessionKey(provider, masterKey, masterSalt, base + 1, lengths.auth),
    salt: deriveSessionKey(provider, masterKey, masterSalt, base + 2, lengths.salt),
  };
}
