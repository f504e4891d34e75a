/** Why a cryptographic operation refused its input. */
export type CryptoErrorCode =
  /** A peer's public key is not a valid point/key for the group (off-curve, wrong length, compressed, identity). */
  | 'invalid_public_key'
  /** ECDHE produced the all-zero / identity secret (X25519 low-order point, RFC 7748 §6.1). */
  | 'low_order_point'
  /** A key or nonce of the wrong length for the algorithm. */
  | 'invalid_key'
  | 'invalid_nonce'
  /** The algorithm or group is not implemented by this provider. */
  | 'unsupported'
  /** The requested output is longer than the KDF allows (HKDF: 255 * HashLen). */
  | 'output_too_long'
  /** A certificate or key encoding could not be parsed. */
  | 'bad_encoding'
  /** Certificate chain or hostname validation failed. */
  | 'bad_certificate';

/** The typed error every @x/crypto function raises on bad input. */
export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
