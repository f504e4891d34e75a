import { QuicError, TransportError } from '../errors.js';
import type { CryptoFrame } from '../frame/crypto.js';
import { ReceiveBuffer } from '../stream/receive-buffer.js';
import { SendBuffer } from '../stream/send-buffer.js';

/**
 * RFC 9000 §7.5: endpoints MUST buffer at least 4096 bytes of out-of-order
 * CRYPTO data; this is how far past the read offset we accept.
 */
export const DEFAULT_CRYPTO_BUFFER_LIMIT = 64 * 1024;

/**
 * The CRYPTO stream of one encryption level (RFC 9000 §19.6, RFC 9001 §4.1.3):
 * TLS handshake bytes arrive split over CRYPTO frames, possibly out of order,
 * and are handed to TLS in order; outgoing handshake bytes are cut into CRYPTO
 * frames and resent when lost. No flow control applies, only a buffer limit
 * (§7.5: CRYPTO_BUFFER_EXCEEDED).
 */
export class CryptoStream {
  readonly #incoming = new ReceiveBuffer();
  readonly #outgoing = new SendBuffer();
  readonly #limit: number;

  constructor(bufferLimit = DEFAULT_CRYPTO_BUFFER_LIMIT) {
    this.#limit = bufferLimit;
  }

  /** A CRYPTO frame arrived: returns the bytes now contiguous, in order, for TLS. */
  onCryptoFrame(f: CryptoFrame): Uint8Array | undefined {
    if (f.offset + f.data.length - this.#incoming.readOffset > this.#limit) {
      throw new QuicError(
        TransportError.CRYPTO_BUFFER_EXCEEDED,
        `CRYPTO data ${f.offset + f.data.length - this.#incoming.readOffset} bytes ahead of the read offset`,
        0x06,
      );
    }
    this.#incoming.insert(f.offset, f.data, false);
    return this.#incoming.read();
  }

  /** TLS wrote handshake bytes at this level. */
  write(data: Uint8Array): void {
    this.#outgoing.write(data);
  }

  get hasPending(): boolean {
    return this.#outgoing.hasPending;
  }

  /** The next CRYPTO frame, with at most `maxData` bytes of data. */
  nextFrame(maxData: number): CryptoFrame | undefined {
    const chunk = this.#outgoing.next(maxData);
    if (chunk === undefined || chunk.data.length === 0) return undefined;
    return { type: 'crypto', offset: chunk.offset, data: chunk.data };
  }

  onFrameAcked(f: CryptoFrame): void {
    this.#outgoing.onAcked(f.offset, f.data.length, false);
  }

  onFrameLost(f: CryptoFrame): void {
    this.#outgoing.onLost(f.offset, f.data.length, false);
  }
}
