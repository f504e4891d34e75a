import type { CryptoProvider, HashAlgorithm } from '@x/crypto';

/**
 * The handshake messages both Finished computations and CertificateVerify
 * cover, each as an unfragmented DTLS handshake message (RFC 6347 §4.2.6).
 * RFC 6347 §4.2.1: the first ClientHello and the HelloVerifyRequest are not
 * included. Kept as bytes: the hash is fixed only once the suite is chosen,
 * and TLS 1.2 CertificateVerify signs the messages themselves.
 */
export class Transcript {
  readonly #parts: Uint8Array[] = [];
  #length = 0;

  add(message: Uint8Array): void {
    this.#parts.push(message);
    this.#length += message.length;
  }

  reset(): void {
    this.#parts.length = 0;
    this.#length = 0;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let o = 0;
    for (const p of this.#parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  hash(provider: CryptoProvider, algorithm: HashAlgorithm): Uint8Array {
    const h = provider.createHasher(algorithm);
    for (const p of this.#parts) h.update(p);
    return h.digest();
  }
}
