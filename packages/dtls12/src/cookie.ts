import type { CryptoProvider } from '@x/crypto';
import { addressKey, constantTimeEqual, type SocketAddress, utf8 } from '@x/wire';
import type { ClientHelloPrefix } from './handshake/messages/client-hello.js';

/** Cookie bytes: HMAC-SHA256 truncated to 20 bytes (RFC 6347 §4.2.1 allows up to 255). */
export const COOKIE_LENGTH = 20;

export interface CookieOptions {
  /** How long a secret is used before a new one takes over; the previous one stays valid one more period. */
  readonly rotateMs?: number;
}

/**
 * RFC 6347 §4.2.1 stateless cookie: Cookie = HMAC(Secret, Client-IP,
 * Client-Parameters). The server keeps no per-peer state until a ClientHello
 * echoes a cookie it made. The secret rotates every `rotateMs`; the previous
 * secret stays valid for one period so a hello in flight during a rotation
 * still gets through. Parameters covered: version, random, session_id,
 * cipher_suites, compression_methods (the hello must repeat them, §4.2.1).
 */
export class CookieJar {
  readonly #provider: CryptoProvider;
  readonly #rotateMs: number;
  #current: Uint8Array;
  #previous: Uint8Array | undefined;
  #rotatedAt: number | undefined;

  constructor(provider: CryptoProvider, options: CookieOptions = {}) {
    this.#provider = provider;
    this.#rotateMs = options.rotateMs ?? 60_000;
    this.#current = provider.randomBytes(32);
  }

  /** Rotates the secret when its period has passed (driven by the `now` the server sees). */
  tick(now: number): void {
    if (this.#rotatedAt === undefined) {
      this.#rotatedAt = now;
      return;
    }
    if (now - this.#rotatedAt >= this.#rotateMs) {
      this.#previous = now - this.#rotatedAt >= 2 * this.#rotateMs ? undefined : this.#current;
      this.#current = this.#provider.randomBytes(32);
      this.#rotatedAt = now;
    }
  }

  make(remote: SocketAddress, hello: ClientHelloPrefix): Uint8Array {
    return this.#mac(this.#current, remote, hello);
  }

  verify(remote: SocketAddress, hello: ClientHelloPrefix): boolean {
    if (hello.cookie.length !== COOKIE_LENGTH) return false;
    if (constantTimeEqual(this.#mac(this.#current, remote, hello), hello.cookie)) return true;
    return (
      this.#previous !== undefined &&
      constantTimeEqual(this.#mac(this.#previous, remote, hello), hello.cookie)
    );
  }

  #mac(secret: Uint8Array, remote: SocketAddress, h: ClientHelloPrefix): Uint8Array {
    const addr = utf8(addressKey(remote));
    const n =
      addr.length +
      2 +
      32 +
      1 +
      h.sessionId.length +
      2 * h.cipherSuites.length +
      h.compressionMethods.length;
    const input = new Uint8Array(n);
    let o = 0;
    input.set(addr, o);
    o += addr.length;
    input[o++] = h.clientVersion >>> 8;
    input[o++] = h.clientVersion & 0xff;
    input.set(h.random, o);
    o += 32;
    input[o++] = h.sessionId.length;
    input.set(h.sessionId, o);
    o += h.sessionId.length;
    for (const s of h.cipherSuites) {
      input[o++] = s >>> 8;
      input[o++] = s & 0xff;
    }
    input.set(h.compressionMethods, o);
    return this.#provider.hmac('SHA-256', secret, input).subarray(0, COOKIE_LENGTH);
  }
}
