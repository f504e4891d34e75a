import { CryptoError } from '../errors.js';
import type { Aead, CryptoProvider } from '../provider.js';
import type { AeadFactory } from '../suites/aead-factory.js';
import { type NonceRule, writeSequence64, xorSequenceNonce } from './nonce.js';

/**
 * Seals and opens one direction of one epoch. TLS 1.3 records, DTLS 1.2 records,
 * QUIC packets and SRTP GCM packets are all protected through this one shape:
 * the record layer supplies the sequence number and the additional data (its
 * header), the protector owns the AEAD, the key and the nonce rule.
 */
export interface RecordProtector {
  readonly suite: string;
  /** Bytes the protector adds to a plaintext: explicit nonce plus tag. */
  readonly overhead: number;
  readonly tagLength: number;
  /** The protected body for record/packet `sequence`: [explicit nonce] || ciphertext || tag. */
  seal(sequence: number, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /**
   * seal() written at `out[offset]` (the record body right after its header):
   * returns the body length. `plaintext` may already sit at `out[offset]`
   * (plus the explicit nonce length); `aad` must not overlap the body.
   */
  sealInto(
    sequence: number,
    aad: Uint8Array,
    plaintext: Uint8Array,
    out: Uint8Array,
    offset: number,
  ): number;
  /** The plaintext, or null when the body does not authenticate (or is too short to). */
  open(sequence: number, aad: Uint8Array, body: Uint8Array): Uint8Array | null;
}

export interface RecordProtectorOptions {
  /** Nonce construction; XOR of the sequence number into the IV unless given. */
  readonly nonce?: NonceRule;
  /**
   * RFC 5288 §3: TLS/DTLS 1.2 AES-GCM carries an 8-byte nonce_explicit in each
   * record, after a 4-byte implicit salt. We send the sequence number there (as
   * OpenSSL does) and read whatever the peer sent.
   */
  readonly explicitNonceLength?: 0 | 8;
}

class AeadRecordProtector implements RecordProtector {
  readonly suite: string;
  readonly overhead: number;
  readonly tagLength: number;
  readonly #aead: Aead;
  readonly #iv: Uint8Array;
  readonly #rule: NonceRule;
  readonly #explicit: number;
  /** Scratch nonce reused for every record: no per-packet allocation for it. */
  readonly #nonce: Uint8Array;

  constructor(aead: Aead, name: string, iv: Uint8Array, rule: NonceRule, explicit: number) {
    this.#aead = aead;
    this.suite = name;
    this.#iv = iv;
    this.#rule = rule;
    this.#explicit = explicit;
    this.tagLength = aead.tagLength;
    this.overhead = explicit + aead.tagLength;
    this.#nonce = new Uint8Array(aead.nonceLength);
  }

  seal(sequence: number, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    if (this.#explicit === 0) {
      this.#rule(this.#iv, sequence, this.#nonce);
      return this.#aead.seal(this.#nonce, plaintext, aad);
    }
    // Explicit nonce || ciphertext || tag, sealed straight into the record.
    const out = new Uint8Array(this.overhead + plaintext.length);
    this.sealInto(sequence, aad, plaintext, out, 0);
    return out;
  }

  sealInto(
    sequence: number,
    aad: Uint8Array,
    plaintext: Uint8Array,
    out: Uint8Array,
    offset: number,
  ): number {
    const nonce = this.#nonce;
    const explicit = this.#explicit;
    if (explicit === 0) this.#rule(this.#iv, sequence, nonce);
    else {
      nonce.set(this.#iv);
      writeSequence64(nonce, this.#iv.length, sequence);
    }
    const at = offset + explicit;
    const aead = this.#aead;
    let n: number;
    if (aead.sealInto !== undefined) n = aead.sealInto(nonce, plaintext, aad, out, at);
    else {
      // A user suite's AEAD without sealInto: one extra copy.
      const sealed = aead.seal(nonce, plaintext, aad);
      out.set(sealed, at);
      n = sealed.length;
    }
    // The explicit nonce goes in after sealing: the plaintext may have been sitting there.
    if (explicit > 0) out.set(nonce.subarray(this.#iv.length), offset);
    return explicit + n;
  }

  open(sequence: number, aad: Uint8Array, body: Uint8Array): Uint8Array | null {
    if (body.length < this.overhead) return null;
    if (this.#explicit === 0) {
      this.#rule(this.#iv, sequence, this.#nonce);
      return this.#aead.open(this.#nonce, body, aad);
    }
    const nonce = this.#nonce;
    nonce.set(this.#iv);
    nonce.set(body.subarray(0, this.#explicit), this.#iv.length);
    return this.#aead.open(nonce, body.subarray(this.#explicit), aad);
  }
}

/**
 * Builds the protector for one direction of one epoch from a suite's AEAD factory,
 * the traffic key and the IV (the whole nonce-length IV, or the 4-byte salt for
 * RFC 5288 explicit-nonce suites).
 */
export function createRecordProtector(
  provider: CryptoProvider,
  aead: AeadFactory,
  key: Uint8Array,
  iv: Uint8Array,
  options: RecordProtectorOptions = {},
): RecordProtector {
  const explicit = options.explicitNonceLength ?? 0;
  if (iv.length + explicit !== aead.nonceLength) {
    throw new CryptoError(
      'invalid_nonce',
      `${aead.name}: IV of ${iv.length} bytes plus ${explicit} explicit does not make a ${aead.nonceLength}-byte nonce`,
    );
  }
  return new AeadRecordProtector(
    aead.create(provider, key),
    aead.name,
    iv.slice(),
    options.nonce ?? xorSequenceNonce,
    explicit,
  );
}
