/**
 * The QUIC interface of RFC 9001 §4: TLS without records. The engine's
 * handshake bytes come out per encryption level (to go into CRYPTO frames of
 * that packet-number space), bytes from the peer's CRYPTO frames go in per
 * level, and every traffic secret is announced per level and direction as
 * @x/crypto KeyMaterial, from which QUIC derives packet protection, header
 * protection and key updates ("quic key", "quic iv", "quic hp", "quic ku").
 * There is no middlebox compatibility mode, no EndOfEarlyData and no KeyUpdate
 * message (RFC 9001 §8.3, §6); quic_transport_parameters travel as opaque bytes.
 *
 * Usage (both roles): create, `start(now)` for a client, then repeatedly
 * `receive(level, bytes, now)` and drain `poll()` until it returns undefined.
 * Events come out in the order they happened: a level's write secret is
 * always announced before the first handshake bytes at that level.
 */
import type { Direction, EncryptionLevel, HandshakeRecordLayer, KeyMaterial } from '@x/crypto';
import type { TlsError } from '../alerts.js';
import { ClientEngine } from '../client/index.js';
import type { ClientConfig, ServerConfig } from '../config.js';
import type { TlsEngine } from '../engine.js';
import { ServerEngine } from '../server/index.js';
import type { SessionTicket } from '../tickets.js';

export type QuicTlsEvent =
  /** Send these bytes in CRYPTO frames of the packet-number space for `level` ('initial', 'handshake', 'application'). */
  | { readonly kind: 'handshake-data'; readonly level: EncryptionLevel; readonly data: Uint8Array }
  /** Install keys: `direction` 'write' protects our packets at `level`, 'read' removes the peer's protection. */
  | {
      readonly kind: 'keys';
      readonly level: EncryptionLevel;
      readonly direction: Direction;
      readonly keys: KeyMaterial & { kind: 'tls13' };
    }
  /** The TLS handshake is complete (RFC 9001 §4.1.1); the server may now send HANDSHAKE_DONE. */
  | { readonly kind: 'handshake-complete' }
  /** Client: the server accepted (true) or refused (false) our 0-RTT. Server: it refused 0-RTT (false). */
  | { readonly kind: 'early-data'; readonly accepted: boolean }
  /** Client: a NewSessionTicket arrived (for 0-RTT/resumption on a later connection). */
  | { readonly kind: 'session-ticket'; readonly ticket: SessionTicket }
  /**
   * The handshake failed with this TLS alert: close the connection with
   * CONNECTION_CLOSE carrying CRYPTO_ERROR 0x0100 + alert (RFC 9001 §4.8).
   */
  | { readonly kind: 'alert'; readonly description: number; readonly error: TlsError };

class QuicRecordLayer implements HandshakeRecordLayer {
  readonly events: QuicTlsEvent[] = [];

  sendHandshake(level: EncryptionLevel, data: Uint8Array): void {
    this.events.push({ kind: 'handshake-data', level, data: data.slice() });
  }

  installKeys(level: EncryptionLevel, direction: Direction, keys: KeyMaterial): void {
    if (keys.kind !== 'tls13') return;
    this.events.push({ kind: 'keys', level, direction, keys });
  }

  sendAlert(): void {
    // RFC 9001 §4.8: no alert records; the alert becomes a CONNECTION_CLOSE, reported by the engine's error.
  }
}

export interface QuicClientConfig extends ClientConfig {
  readonly quicTransportParameters: Uint8Array;
}

export interface QuicServerConfig extends ServerConfig {
  readonly quicTransportParameters: Uint8Array;
}

/** RFC 9001 §4.8: the QUIC error code for a TLS alert. */
export const cryptoErrorCode = (alert: number): number => 0x0100 + alert;

export class QuicTls {
  readonly engine: TlsEngine;
  readonly #layer: QuicRecordLayer;
  #alerted = false;

  static client(config: QuicClientConfig): QuicTls {
    return new QuicTls(
      (layer, events) =>
        new ClientEngine({ ...config, middleboxCompatibility: false }, layer, events, {
          quic: true,
        }),
    );
  }

  static server(config: QuicServerConfig): QuicTls {
    return new QuicTls((layer, events) => new ServerEngine(config, layer, events, { quic: true }));
  }

  private constructor(
    make: (
      layer: QuicRecordLayer,
      events: ConstructorParameters<typeof ClientEngine>[2],
    ) => TlsEngine,
  ) {
    const layer = new QuicRecordLayer();
    this.#layer = layer;
    this.engine = make(layer, {
      handshakeComplete: () => layer.events.push({ kind: 'handshake-complete' }),
      earlyData: (accepted) => layer.events.push({ kind: 'early-data', accepted }),
      sessionTicket: (ticket) => layer.events.push({ kind: 'session-ticket', ticket }),
    });
  }

  /** Client: produce the ClientHello (and 0-RTT keys when resuming with earlyData). No-op for servers. */
  start(now: number): void {
    if (this.engine instanceof ClientEngine) this.engine.start(now);
  }

  /**
   * Bytes of the peer's CRYPTO frames at `level`, in stream order (QUIC
   * reassembles by offset; pieces may split messages anywhere).
   */
  receive(level: EncryptionLevel, data: Uint8Array, now: number): void {
    this.engine.receiveHandshake(level, data, now);
  }

  /** The next event, or undefined when there is nothing more to do. */
  poll(): QuicTlsEvent | undefined {
    const next = this.#layer.events.shift();
    if (next !== undefined) return next;
    const error = this.engine.error;
    if (error && !this.#alerted) {
      this.#alerted = true;
      return { kind: 'alert', description: error.alert, error };
    }
    return undefined;
  }

  get handshakeComplete(): boolean {
    return this.engine.handshakeComplete;
  }

  get error(): TlsError | undefined {
    return this.engine.error;
  }

  /** The peer's quic_transport_parameters extension body, once received. */
  get peerTransportParameters(): Uint8Array | undefined {
    return this.engine.cx.negotiated.peerTransportParameters;
  }

  get alpnProtocol(): string | undefined {
    return this.engine.cx.negotiated.alpn;
  }

  get cipherSuite(): string | undefined {
    return this.engine.cx.negotiated.suite?.name;
  }

  get group(): string | undefined {
    return this.engine.cx.negotiated.group?.name;
  }

  get resumed(): boolean {
    return this.engine.cx.negotiated.resumed;
  }

  /** RFC 8446 §7.5 exporter, after the handshake. */
  exportKeyingMaterial(label: string, context: Uint8Array, length: number): Uint8Array {
    return this.engine.exportKeyingMaterial(label, context, length);
  }
}
