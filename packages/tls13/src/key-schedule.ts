/**
 * RFC 8446 §7.1 key schedule. One instance walks Early Secret → Handshake
 * Secret → Master Secret for a suite's hash; every secret comes out here and
 * nowhere else, so the key log and the record layers see the same values.
 *
 *              0 / PSK → Early Secret → binder_key, c e traffic, e exp master
 *   Derive-Secret(., "derived", "") + (EC)DHE → Handshake Secret → c/s hs traffic
 *   Derive-Secret(., "derived", "") + 0       → Master Secret → c/s ap traffic, exp master, res master
 */
import {
  type CryptoProvider,
  deriveSecret,
  HASH_LENGTH,
  type HashAlgorithm,
  hkdfExpandLabel,
  hkdfExtract,
} from '@x/crypto';
import { constantTimeEqual } from '@x/wire';

const EMPTY = new Uint8Array(0);

export class KeySchedule {
  readonly provider: CryptoProvider;
  readonly hash: HashAlgorithm;
  readonly hashLength: number;
  #secret: Uint8Array;
  #stage: 'early' | 'handshake' | 'master';

  constructor(provider: CryptoProvider, hash: HashAlgorithm, psk?: Uint8Array) {
    this.provider = provider;
    this.hash = hash;
    this.hashLength = HASH_LENGTH[hash];
    // §7.1: with no PSK the IKM is a string of Hash.length zeros.
    this.#secret = hkdfExtract(provider, hash, EMPTY, psk ?? new Uint8Array(this.hashLength));
    this.#stage = 'early';
  }

  get current(): Uint8Array {
    return this.#secret;
  }

  get stage(): string {
    return this.#stage;
  }

  emptyHash(): Uint8Array {
    return this.provider.hash(this.hash, EMPTY);
  }

  derive(label: string, transcriptHash: Uint8Array): Uint8Array {
    return deriveSecret(this.provider, this.hash, this.#secret, label, transcriptHash);
  }

  /** Early Secret → binder_key ("ext binder" for tickets, "res binder" for resumption, §7.1). */
  binderKey(external: boolean): Uint8Array {
    return this.derive(external ? 'ext binder' : 'res binder', this.emptyHash());
  }

  /** Moves to the Handshake Secret with the (EC)DHE shared secret (zeros for psk_ke). */
  inputHandshake(sharedSecret: Uint8Array | undefined): void {
    if (this.#stage !== 'early') throw new Error('key schedule: handshake secret twice');
    const salt = this.derive('derived', this.emptyHash());
    this.#secret = hkdfExtract(
      this.provider,
      this.hash,
      salt,
      sharedSecret ?? new Uint8Array(this.hashLength),
    );
    this.#stage = 'handshake';
  }

  inputMaster(): void {
    if (this.#stage !== 'handshake')
      throw new Error('key schedule: master secret before handshake secret');
    const salt = this.derive('derived', this.emptyHash());
    this.#secret = hkdfExtract(this.provider, this.hash, salt, new Uint8Array(this.hashLength));
    this.#stage = 'master';
  }

  /** §4.4.4: finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length). */
  finishedKey(baseKey: Uint8Array): Uint8Array {
    return hkdfExpandLabel(this.provider, this.hash, baseKey, 'finished', EMPTY, this.hashLength);
  }

  /** verify_data = HMAC(finished_key, Transcript-Hash). */
  verifyData(baseKey: Uint8Array, transcriptHash: Uint8Array): Uint8Array {
    return this.provider.hmac(this.hash, this.finishedKey(baseKey), transcriptHash);
  }

  checkVerifyData(baseKey: Uint8Array, transcriptHash: Uint8Array, received: Uint8Array): boolean {
    return constantTimeEqual(this.verifyData(baseKey, transcriptHash), received);
  }
}

/** §7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length). */
export function nextTrafficSecret(
  provider: CryptoProvider,
  hash: HashAlgorithm,
  secret: Uint8Array,
): Uint8Array {
  return hkdfExpandLabel(provider, hash, secret, 'traffic upd', EMPTY, HASH_LENGTH[hash]);
}

/** §7.3: write_key and write_iv from a traffic secret. */
export function trafficKeys(
  provider: CryptoProvider,
  hash: HashAlgorithm,
  secret: Uint8Array,
  keyLength: number,
  ivLength: number,
): { key: Uint8Array; iv: Uint8Array } {
  return {
    key: hkdfExpandLabel(provider, hash, secret, 'key', EMPTY, keyLength),
    iv: hkdfExpandLabel(provider, hash, secret, 'iv', EMPTY, ivLength),
  };
}

/** §4.6.1: the PSK for a ticket = HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length). */
export function resumptionPsk(
  provider: CryptoProvider,
  hash: HashAlgorithm,
  resumptionMasterSecret: Uint8Array,
  nonce: Uint8Array,
): Uint8Array {
  return hkdfExpandLabel(
    provider,
    hash,
    resumptionMasterSecret,
    'resumption',
    nonce,
    HASH_LENGTH[hash],
  );
}

/**
 * §7.5 TLS-Exporter(label, context_value, key_length) =
 *   HKDF-Expand-Label(Derive-Secret(Secret, label, ""), "exporter", Hash(context_value), key_length)
 */
export function exportKeyingMaterial(
  provider: CryptoProvider,
  hash: HashAlgorithm,
  exporterMasterSecret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  const secret = deriveSecret(
    provider,
    hash,
    exporterMasterSecret,
    label,
    provider.hash(hash, EMPTY),
  );
  return hkdfExpandLabel(provider, hash, secret, 'exporter', provider.hash(hash, context), length);
}
