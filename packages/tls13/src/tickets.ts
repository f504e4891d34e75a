/**
 * Session tickets (RFC 8446 §4.6.1) for PSK resumption and 0-RTT.
 *
 * Client side: a SessionTicket is everything needed to offer the PSK later.
 * Server side: a TicketIssuer seals the resumption state into the ticket itself
 * (AES-256-GCM under a server key, so the server keeps no per-session state),
 * and remembers which tickets were redeemed until they expire: every ticket is
 * single-use, which is the §8.1 anti-replay defence for 0-RTT.
 */
import type { Aead, CryptoProvider } from '@x/crypto';
import { concatBytes, Reader, toHex, Writer } from '@x/wire';

export interface SessionTicket {
  readonly suite: number;
  readonly ticket: Uint8Array;
  /** The PSK: HKDF-Expand-Label(resumption_master_secret, "resumption", nonce). */
  readonly psk: Uint8Array;
  readonly ticketAgeAdd: number;
  /** Seconds the ticket may be used (§4.6.1). */
  readonly lifetime: number;
  /** When it was received (ms, the `now` passed to the engine). */
  readonly receivedAt: number;
  /** From the early_data extension; 0 when 0-RTT is not allowed. */
  readonly maxEarlyData: number;
  readonly alpn: string | undefined;
  readonly serverName: string | undefined;
}

/** What a server seals into a ticket. */
export interface TicketState {
  readonly suite: number;
  readonly psk: Uint8Array;
  readonly ticketAgeAdd: number;
  readonly issuedAt: number;
  readonly lifetime: number;
  readonly maxEarlyData: number;
  readonly alpn: string;
  /**
   * The server's `earlyDataContext` when it issued the ticket: 0-RTT is
   * accepted only under the same context (empty when none was set).
   */
  readonly earlyDataContext: Uint8Array;
}

/** The early-data context of a server that sets none. */
export const NO_CONTEXT = new Uint8Array(0);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface TicketIssuerOptions {
  /** 32-byte sealing key; random when absent (tickets then die with the process). */
  readonly key?: Uint8Array;
  /** Ticket lifetime in seconds (default 7200; §4.6.1 caps it at 604800). */
  readonly lifetime?: number;
  /** NewSessionTicket messages sent after each full handshake (default 2, like OpenSSL). */
  readonly count?: number;
}

export class TicketIssuer {
  readonly lifetime: number;
  readonly count: number;
  readonly #provider: CryptoProvider;
  /** The ticket key, imported once (AES-256-GCM). */
  readonly #aead: Aead;
  /** Redeemed ticket ids (hex of the nonce) → when they expire (ms). */
  readonly #used = new Map<string, number>();

  constructor(provider: CryptoProvider, options: TicketIssuerOptions = {}) {
    this.#provider = provider;
    this.#aead = provider.aead('AES-256-GCM', options.key ?? provider.randomBytes(32));
    this.lifetime = Math.min(options.lifetime ?? 7200, 604800);
    this.count = options.count ?? 2;
  }

  seal(state: TicketState): Uint8Array {
    const w = new Writer(128);
    w.u16(state.suite)
      .vector8(state.psk)
      .u32(state.ticketAgeAdd)
      .u48(Math.max(0, Math.floor(state.issuedAt)));
    w.u32(state.lifetime).u32(state.maxEarlyData).vector8(encoder.encode(state.alpn));
    w.vector16(state.earlyDataContext);
    const nonce = this.#provider.randomBytes(12);
    return concatBytes(nonce, this.#aead.seal(nonce, w.finish(), new Uint8Array(0)));
  }

  /**
   * Opens a ticket and marks it used. Undefined when it does not authenticate,
   * has expired, or was redeemed before (single use).
   */
  redeem(ticket: Uint8Array, now: number): TicketState | undefined {
    if (ticket.length < 12 + 16) return undefined;
    const plain = this.#aead.open(ticket.subarray(0, 12), ticket.subarray(12), new Uint8Array(0));
    if (plain === null) return undefined;
    let state: TicketState;
    try {
      const r = new Reader(plain);
      state = {
        suite: r.u16(),
        psk: r.vector8().slice(),
        ticketAgeAdd: r.u32(),
        issuedAt: r.u48(),
        lifetime: r.u32(),
        maxEarlyData: r.u32(),
        alpn: decoder.decode(r.vector8()),
        earlyDataContext: r.vector16().slice(),
      };
    } catch {
      return undefined;
    }
    const expires = state.issuedAt + state.lifetime * 1000;
    if (now > expires) return undefined;
    for (const [id, exp] of this.#used) if (exp < now) this.#used.delete(id);
    const id = toHex(ticket.subarray(0, 12));
    if (this.#used.has(id)) return undefined;
    this.#used.set(id, expires);
    return state;
  }
}
