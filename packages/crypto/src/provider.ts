/**
 * The CryptoProvider: every primitive the transports use, behind one interface,
 * so the same protocol code runs on noble (anywhere) or node:crypto (OpenSSL,
 * fast). All calls are synchronous because the sans-I/O cores are.
 *
 * Contract every provider follows (checked by the shared vector suite):
 * - Bad input raises CryptoError, never a library's own exception.
 * - AEAD open returns null on authentication failure (no exception on the hot path).
 * - ECDSA verification accepts high-S signatures (OpenSSL produces them) and
 *   takes DER; Ed25519 follows RFC 8032 strictly (no ZIP-215 leniency).
 * - X25519 rejects an all-zero shared secret; EC groups reject invalid points.
 */

export type HashAlgorithm = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export const HASH_LENGTH: Readonly<Record<HashAlgorithm, number>> = {
  'SHA-1': 20,
  'SHA-256': 32,
  'SHA-384': 48,
  'SHA-512': 64,
};

/** Block size in bytes, needed by HMAC-based constructions. */
export const HASH_BLOCK_LENGTH: Readonly<Record<HashAlgorithm, number>> = {
  'SHA-1': 64,
  'SHA-256': 64,
  'SHA-384': 128,
  'SHA-512': 128,
};

/**
 * A keyed HMAC, reusable message after message: update() the message parts,
 * then digestInto() writes the tag and starts the next message.
 */
export interface Mac {
  readonly length: number;
  update(data: Uint8Array): this;
  /** Writes the HMAC of everything since the last digest at `out[offset]`, then resets. */
  digestInto(out: Uint8Array, offset: number): void;
}

/** An incremental hash whose running state can be forked (TLS transcript hashes). */
export interface Hasher {
  update(data: Uint8Array): this;
  /** The digest of everything so far; the hasher stays usable. */
  digest(): Uint8Array;
  clone(): Hasher;
}

export type AeadAlgorithm =
  | 'AES-128-GCM'
  | 'AES-256-GCM'
  | 'CHACHA20-POLY1305'
  | 'AES-128-CCM'
  | 'AES-128-CCM-8';

export interface AeadSpec {
  readonly keyLength: number;
  readonly nonceLength: number;
  readonly tagLength: number;
}

export const AEAD_SPECS: Readonly<Record<AeadAlgorithm, AeadSpec>> = {
  'AES-128-GCM': { keyLength: 16, nonceLength: 12, tagLength: 16 },
  'AES-256-GCM': { keyLength: 32, nonceLength: 12, tagLength: 16 },
  'CHACHA20-POLY1305': { keyLength: 32, nonceLength: 12, tagLength: 16 },
  'AES-128-CCM': { keyLength: 16, nonceLength: 12, tagLength: 16 },
  'AES-128-CCM-8': { keyLength: 16, nonceLength: 12, tagLength: 8 },
};

/** An AEAD bound to one key. */
export interface Aead extends AeadSpec {
  readonly algorithm: string;
  /** Returns ciphertext || tag. */
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  /**
   * Writes ciphertext || tag at `out[offset]` and returns its length
   * (plaintext.length + tagLength): records and packets are built in place,
   * without an intermediate sealed copy. `plaintext` may be the very bytes at
   * `out[offset]` (in-place); `aad` must not overlap the output. Both bundled
   * providers implement it; an AEAD a user suite brings may leave it out
   * (callers fall back to seal).
   */
  sealInto?(
    nonce: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array,
    out: Uint8Array,
    offset: number,
  ): number;
  /** Returns the plaintext, or null when the tag does not verify. */
  open(nonce: Uint8Array, ciphertextAndTag: Uint8Array, aad: Uint8Array): Uint8Array | null;
}

/** AES in ECB on single 16-byte blocks (QUIC AES header protection, RFC 9001 §5.4.3). */
export interface BlockCipher {
  encryptBlock(block: Uint8Array): Uint8Array;
  /**
   * ECB over a whole number of blocks in one call (a CTR keystream from a run
   * of counter blocks, SRTP AES-CM): one long-lived context, no per-packet
   * cipher construction. Returns a new array of the same length.
   */
  encryptBlocks(blocks: Uint8Array): Uint8Array;
}

export type EcdheGroup = 'x25519' | 'P-256' | 'P-384';

export interface KeyPair {
  /** Raw private scalar (32 bytes for x25519/P-256, 48 for P-384). */
  readonly privateKey: Uint8Array;
  /** As sent on the wire: 32 raw bytes for x25519, an uncompressed SEC1 point otherwise. */
  readonly publicKey: Uint8Array;
}

/** A parsed public key, as found in a certificate's SubjectPublicKeyInfo. */
export type PublicKey =
  | { readonly kind: 'ec'; readonly curve: 'P-256' | 'P-384'; readonly point: Uint8Array }
  | { readonly kind: 'ed25519'; readonly key: Uint8Array }
  | { readonly kind: 'rsa'; readonly modulus: Uint8Array; readonly exponent: Uint8Array };

/**
 * An RSA private key in the RFC 8017 §A.1.2 RSAPrivateKey form (two primes):
 * every field a big-endian unsigned integer. The CRT fields (prime1..coefficient)
 * are required because both providers sign with the Chinese Remainder Theorem.
 */
export interface RsaPrivateKey {
  readonly kind: 'rsa';
  /** n */
  readonly modulus: Uint8Array;
  /** e */
  readonly publicExponent: Uint8Array;
  /** d */
  readonly privateExponent: Uint8Array;
  /** p */
  readonly prime1: Uint8Array;
  /** q */
  readonly prime2: Uint8Array;
  /** d mod (p - 1) */
  readonly exponent1: Uint8Array;
  /** d mod (q - 1) */
  readonly exponent2: Uint8Array;
  /** q^-1 mod p */
  readonly coefficient: Uint8Array;
}

/** A signing key: EC (ECDSA), Ed25519, or RSA (RSASSA-PSS and RSASSA-PKCS1-v1_5). */
export type PrivateKey =
  | { readonly kind: 'ec'; readonly curve: 'P-256' | 'P-384'; readonly scalar: Uint8Array }
  | { readonly kind: 'ed25519'; readonly seed: Uint8Array }
  | RsaPrivateKey;

/** Key kinds `generateSigningKey` accepts; 'rsa-2048' is node-provider only (see its doc). */
export type SigningKeyKind = 'P-256' | 'P-384' | 'ed25519' | 'rsa-2048';

export type SignatureAlgorithm =
  /** DER-encoded (r, s), as in TLS and X.509. The hash may differ from the curve's (TLS 1.2). */
  | { readonly name: 'ecdsa'; readonly hash: HashAlgorithm }
  | { readonly name: 'ed25519' }
  /** RSASSA-PSS with MGF1 over the same hash; TLS 1.3 requires saltLength = hash length. */
  | { readonly name: 'rsa-pss'; readonly hash: HashAlgorithm; readonly saltLength: number }
  | { readonly name: 'rsa-pkcs1'; readonly hash: HashAlgorithm };

export interface CryptoProvider {
  readonly name: string;

  randomBytes(length: number): Uint8Array;

  hash(algorithm: HashAlgorithm, data: Uint8Array): Uint8Array;
  createHasher(algorithm: HashAlgorithm): Hasher;
  hmac(algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array;
  /** HMAC with the key processed once (per-packet MACs: SRTP HMAC-SHA1). */
  hmacKey(algorithm: HashAlgorithm, key: Uint8Array): Mac;

  /** An AEAD bound to `key`; throws CryptoError('invalid_key') on a wrong key length. */
  aead(algorithm: AeadAlgorithm, key: Uint8Array): Aead;
  /** AES-128 or AES-256 (by key length) single-block encryption. */
  aesBlock(key: Uint8Array): BlockCipher;
  /** AES-CTR keystream XOR (SRTP AES-CM, RFC 3711 §4.1.1): the 16-byte IV is the initial counter block. */
  aesCtr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
  /** Raw ChaCha20 (RFC 8439 §2.4) with a 32-bit block counter and 12-byte nonce (QUIC header protection). */
  chacha20(key: Uint8Array, counter: number, nonce: Uint8Array, data: Uint8Array): Uint8Array;

  generateKeyPair(group: EcdheGroup): KeyPair;
  /**
   * ECDHE: the x-coordinate (or X25519 output). Rejects invalid, compressed and
   * low-order peer keys with CryptoError.
   */
  deriveSharedSecret(
    group: EcdheGroup,
    privateKey: Uint8Array,
    peerPublicKey: Uint8Array,
  ): Uint8Array;

  sign(algorithm: SignatureAlgorithm, key: PrivateKey, message: Uint8Array): Uint8Array;
  /** False on a bad signature; CryptoError only for a key the provider cannot use. */
  verify(
    algorithm: SignatureAlgorithm,
    key: PublicKey,
    message: Uint8Array,
    signature: Uint8Array,
  ): boolean;
  /**
   * Generates a signing key (certificate generation, tests). 'rsa-2048' (e = 65537)
   * needs prime generation, which only the node provider does; the noble provider
   * throws CryptoError('unsupported') for it.
   */
  generateSigningKey(kind: SigningKeyKind): {
    privateKey: PrivateKey;
    publicKey: PublicKey;
  };
}
