/**
 * A TLS 1.3 connection over a byte stream, still sans-I/O: bytes in with
 * `receive(bytes, now)`, bytes out with `takeOutput()`, application data in
 * with `write()` and out through `onData`. The node:net binding (node.ts) and
 * the in-memory tests drive exactly this.
 */
import type { Certificate } from '@x/crypto';
import { AlertDescription, AlertLevel, TlsError, toTlsError } from './alerts.js';
import { ClientEngine } from './client/index.js';
import type { ClientConfig, ServerConfig } from './config.js';
import { resolveProvider } from './config.js';
import type { TlsEngine } from './engine.js';
import type { ClientHello } from './messages/client-hello.js';
import { TcpRecordLayer } from './record-layer/tcp.js';
import { ServerEngine } from './server/index.js';
import type { SessionTicket } from './tickets.js';

export interface ConnectionHandlers {
  onHandshakeComplete?(): void;
  onData?(data: Uint8Array): void;
  /** The peer sent close_notify. */
  onClose?(): void;
  /** The connection failed (we sent, or received, a fatal alert). */
  onError?(error: TlsError): void;
  onSessionTicket?(ticket: SessionTicket): void;
}

export class TlsConnection {
  readonly role: 'client' | 'server';
  readonly engine: TlsEngine;
  readonly records: TcpRecordLayer;
  readonly handlers: ConnectionHandlers;
  #pending: Uint8Array[] = [];
  #early: Uint8Array[] = [];
  #earlyState: 'none' | 'sending' | 'accepted' | 'rejected' = 'none';
  #peerClosed = false;
  #closeSent = false;
  #errorReported = false;

  static client(config: ClientConfig, handlers: ConnectionHandlers = {}): TlsConnection {
    return new TlsConnection('client', config, handlers);
  }

  static server(config: ServerConfig, handlers: ConnectionHandlers = {}): TlsConnection {
    return new TlsConnection('server', config, handlers);
  }

  private constructor(
    role: 'client' | 'server',
    config: ClientConfig | ServerConfig,
    handlers: ConnectionHandlers,
  ) {
    this.role = role;
    this.handlers = handlers;
    // A server mirrors the client: compatibility mode when the ClientHello had a session id (Appendix D.4).
    const compat =
      role === 'client' ? ((config as ClientConfig).middleboxCompatibility ?? true) : false;
    this.records = new TcpRecordLayer(resolveProvider(config), { middleboxCompatibility: compat });
    const events = {
      handshakeComplete: () => this.#onHandshakeComplete(),
      sessionTicket: (t: SessionTicket) => handlers.onSessionTicket?.(t),
      earlyData: (accepted: boolean) => this.#onEarlyData(accepted),
      clientHello: (hello: ClientHello) => {
        this.records.middleboxCompatibility = hello.legacySessionId.length > 0;
      },
    };
    this.engine =
      role === 'client'
        ? new ClientEngine(config as ClientConfig, this.records, events)
        : new ServerEngine(config as ServerConfig, this.records, events);
    if (role === 'server') this.#maxEarlyData = (config as ServerConfig).maxEarlyData ?? 0;
    this.records.attach({
      handshake: (level, data) => this.#handshake(level, data),
      applicationData: (data) => handlers.onData?.(data),
      alert: (level, description) => this.#alert(level, description),
    });
  }

  #now = 0;
  #maxEarlyData = 0;

  #handshake(level: Parameters<TlsEngine['receiveHandshake']>[0], data: Uint8Array): void {
    this.engine.receiveHandshake(level, data, this.#now);
    if (this.engine.error) throw this.engine.error;
  }

  /** Client: sends the ClientHello (with 0-RTT keys when resuming with earlyData). */
  start(now: number): void {
    this.#now = now;
    if (this.engine instanceof ClientEngine) {
      this.engine.start(now);
      if (this.records.writeLevel === 'early') this.#earlyState = 'sending';
    }
    this.#reportError();
  }

  /** Bytes from the peer. Never throws: failures end in an alert and `error`. */
  receive(bytes: Uint8Array, now: number): void {
    this.#now = now;
    if (this.error || this.#peerClosed) return;
    try {
      this.records.receive(bytes);
    } catch (e) {
      this.engine.fail(toTlsError(e));
    }
    this.#reportError();
  }

  /** Application data to send; buffered until the handshake completes (or sent as 0-RTT). */
  write(data: Uint8Array): void {
    if (this.error || this.#closeSent) return;
    if (this.engine.handshakeComplete) {
      this.records.writeApplicationData(data);
    } else if (this.#earlyState === 'sending') {
      this.#early.push(data.slice());
      this.records.writeApplicationData(data);
    } else {
      this.#pending.push(data.slice());
    }
  }

  /** Sends close_notify (§6.1); no more data can be written. */
  close(): void {
    if (this.#closeSent || this.error) return;
    this.#closeSent = true;
    this.records.sendAlert(this.records.writeLevel, AlertDescription.close_notify);
  }

  /** TCP KeyUpdate (§4.6.3). */
  keyUpdate(requestPeer = false): void {
    this.engine.keyUpdate(requestPeer);
    this.#reportError();
  }

  /** Everything queued for the wire as one buffer, or undefined. */
  takeOutput(): Uint8Array | undefined {
    return this.records.takeOutput();
  }

  /** The same as chunks, to write in order without joining them (hot path). */
  takeOutputChunks(): Uint8Array[] {
    return this.records.takeOutputChunks();
  }

  exportKeyingMaterial(label: string, context: Uint8Array, length: number): Uint8Array {
    return this.engine.exportKeyingMaterial(label, context, length);
  }

  get error(): TlsError | undefined {
    return this.engine.error;
  }

  get handshakeComplete(): boolean {
    return this.engine.handshakeComplete;
  }

  get peerClosed(): boolean {
    return this.#peerClosed;
  }

  get alpnProtocol(): string | undefined {
    return this.engine.cx.negotiated.alpn;
  }

  /** IANA name of the negotiated suite, e.g. TLS_AES_128_GCM_SHA256. */
  get cipherSuite(): string | undefined {
    return this.engine.cx.negotiated.suite?.name;
  }

  /** IANA name of the key exchange group, e.g. x25519. */
  get group(): string | undefined {
    return this.engine.cx.negotiated.group?.name;
  }

  get peerCertificates(): readonly Certificate[] {
    return this.engine.cx.negotiated.peerCertificates;
  }

  get resumed(): boolean {
    return this.engine.cx.negotiated.resumed;
  }

  get earlyDataAccepted(): boolean {
    return this.engine.cx.negotiated.earlyDataAccepted;
  }

  get helloRetry(): boolean {
    return this.engine.cx.negotiated.helloRetry;
  }

  get serverName(): string | undefined {
    return this.engine.cx.negotiated.serverName;
  }

  #onEarlyData(accepted: boolean): void {
    if (this.role === 'server') {
      // Refused 0-RTT: skip what the client sent under early keys (§4.2.10).
      if (!accepted) this.records.skipEarlyData(Math.max(this.#maxEarlyData ?? 0, 16384) + 4096);
      return;
    }
    this.#earlyState = accepted ? 'accepted' : 'rejected';
  }

  #onHandshakeComplete(): void {
    this.records.peerFinished = true;
    // Data the server refused as 0-RTT goes again as 1-RTT data, then anything buffered.
    if (this.#earlyState === 'rejected')
      for (const d of this.#early) this.records.writeApplicationData(d);
    this.#early = [];
    for (const d of this.#pending) this.records.writeApplicationData(d);
    this.#pending = [];
    this.handlers.onHandshakeComplete?.();
  }

  #alert(level: number, description: number): void {
    if (description === AlertDescription.close_notify) {
      this.#peerClosed = true;
      this.handlers.onClose?.();
      return;
    }
    // §6: user_canceled is a warning; every other alert is fatal whatever its level says.
    if (description === AlertDescription.user_canceled && level === AlertLevel.warning) return;
    throw new TlsError(description, 'received from the peer', { fromPeer: true });
  }

  #reportError(): void {
    const e = this.engine.error;
    if (e && !this.#errorReported) {
      this.#errorReported = true;
      this.handlers.onError?.(e);
    }
  }
}
