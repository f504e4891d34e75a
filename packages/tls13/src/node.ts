/**
 * node:net binding: `connect()` and `createServer()` give a Duplex stream of
 * application data over a TlsConnection, with the negotiated parameters on
 * the socket. The protocol core stays sans-I/O; this file owns the socket and
 * reads the clock.
 */
import {
  connect as netConnect,
  createServer as netCreateServer,
  type Server,
  type Socket,
} from 'node:net';
import { Duplex } from 'node:stream';
import type { Certificate } from '@x/crypto';
import type { TlsError } from './alerts.js';
import type { ClientConfig, ServerConfig } from './config.js';
import { TlsConnection } from './connection.js';
import type { SessionTicket } from './tickets.js';

const view = (b: Buffer | Uint8Array): Uint8Array =>
  new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** Record output is fully overwritten before use: no need to zero it (see TcpRecordLayer.allocate). */
const allocUnsafe = (length: number): Uint8Array => view(Buffer.allocUnsafe(length));

/** One 64 KiB application write sealed as four full records, with headers and tags. */
const ARENA = 4 * (16384 + 5 + 1 + 256);

/** A TLS 1.3 connection as a Duplex stream of application data. */
export class TlsSocket extends Duplex {
  readonly connection: TlsConnection;
  readonly socket: Socket;
  #ended = false;
  #finalPending: ((error?: Error | null) => void) | undefined;
  /**
   * Output buffer reused for every write the socket hands to the kernel at
   * once: a fresh 64 KiB buffer per write costs page faults and GC work.
   * Lent out by `#allocate`, and free again only when the socket has no write
   * left queued (so it no longer references the bytes).
   */
  readonly #arena = allocUnsafe(ARENA);
  /** free, sealed into (not yet written), or queued in the socket (until its writes complete). */
  #arenaState: 'free' | 'sealed' | 'queued' = 'free';

  constructor(socket: Socket, connection: (s: TlsSocket) => TlsConnection) {
    super({ allowHalfOpen: true });
    this.socket = socket;
    this.connection = connection(this);
    this.connection.records.allocate = (length) => this.#allocate(length);
    socket.on('data', (chunk: Buffer) => {
      this.connection.receive(view(chunk), Date.now());
      this.flush();
    });
    // The socket is half-open capable (allowHalfOpen) so that node:net does not
    // end it behind our back while sealed data still waits for 'drain' (it
    // then refuses those writes: an echo lost its tail). Its FIN ends us the
    // same way, but only once the application has read everything that came
    // before it (our 'end'), as node:net does: what it writes in answer to
    // that data would otherwise be refused. Then our pending writes and
    // close_notify go out before our own FIN.
    socket.on('end', () => {
      this.#endReadable();
      if (!this.connection.handshakeComplete) this.destroy();
      else if (this.readableEnded) this.#endWritable();
      else this.once('end', () => this.#endWritable());
    });
    socket.on('error', (e) => this.destroy(e));
    socket.on('close', () => {
      this.#endReadable();
      if (!this.destroyed) this.destroy();
    });
  }

  #allocate(length: number): Uint8Array {
    // Queued: ours again once the socket has completed every write.
    if (this.#arenaState === 'queued' && this.socket.writableLength === 0)
      this.#arenaState = 'free';
    if (this.#arenaState !== 'free' || length > ARENA) return allocUnsafe(length);
    this.#arenaState = 'sealed';
    return this.#arena.subarray(0, length);
  }

  /** Sends whatever the connection has queued; false when the socket asks us to wait for 'drain'. */
  flush(): boolean {
    const chunks = this.connection.takeOutputChunks();
    // A destroyed socket drops the chunks; the arena then stays 'sealed' and unused.
    if (chunks.length === 0 || this.socket.destroyed) return true;
    let ok: boolean;
    if (chunks.length === 1) ok = this.socket.write(chunks[0]!);
    else {
      this.socket.cork();
      ok = true;
      for (const c of chunks) ok = this.socket.write(c);
      this.socket.uncork();
    }
    // Nothing left queued means the kernel took every byte synchronously and the
    // socket holds no reference to the arena.
    if (this.#arenaState === 'sealed')
      this.#arenaState = this.socket.writableLength === 0 ? 'free' : 'queued';
    return ok;
  }

  #endWritable(): void {
    if (!this.writableEnded && !this.destroyed) this.end();
  }

  #endReadable(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.push(null);
  }

  /** Called by the connection handlers. */
  _onData(data: Uint8Array): void {
    this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }

  _onClose(): void {
    this.#endReadable();
  }

  _onError(error: TlsError): void {
    this.flush();
    this.socket.end();
    this.destroy(error);
  }

  override _read(): void {}

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.connection.write(view(chunk));
    const error = this.connection.error;
    // Backpressure: the next chunk waits until the socket drained what we gave it.
    if (this.flush() || error) callback(error ?? null);
    else this.socket.once('drain', () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    // end() before the handshake completed: the data written so far waits for
    // the keys, so close_notify must wait too (node:tls behaves the same way).
    if (!this.connection.handshakeComplete && !this.connection.error) {
      this.#finalPending = callback;
      return;
    }
    this.connection.close();
    this.flush();
    this.socket.end();
    callback();
  }

  /** Called by the connection handlers once the handshake completed and buffered data went out. */
  _onHandshakeComplete(): void {
    this.flush();
    const final = this.#finalPending;
    if (final) {
      this.#finalPending = undefined;
      this._final(final);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.socket.destroyed) this.socket.destroy();
    callback(error);
  }

  get alpnProtocol(): string | undefined {
    return this.connection.alpnProtocol;
  }

  /** IANA suite name, e.g. TLS_AES_128_GCM_SHA256. */
  get cipher(): string | undefined {
    return this.connection.cipherSuite;
  }

  /** Group name: x25519, secp256r1, secp384r1, X25519MLKEM768. */
  get group(): string | undefined {
    return this.connection.group;
  }

  get peerCertificate(): Certificate | undefined {
    return this.connection.peerCertificates[0];
  }

  get resumed(): boolean {
    return this.connection.resumed;
  }

  exportKeyingMaterial(label: string, context: Uint8Array, length: number): Uint8Array {
    return this.connection.exportKeyingMaterial(label, context, length);
  }

  /** TCP KeyUpdate; `requestPeer` asks the peer to update its keys too. */
  keyUpdate(requestPeer = false): void {
    this.connection.keyUpdate(requestPeer);
    this.flush();
  }
}

function handlersFor(s: TlsSocket, secureEvent: string) {
  return {
    onHandshakeComplete: () => {
      s._onHandshakeComplete();
      s.emit(secureEvent);
    },
    onData: (d: Uint8Array) => s._onData(d),
    onClose: () => s._onClose(),
    onError: (e: TlsError) => s._onError(e),
    onSessionTicket: (t: SessionTicket) => s.emit('session', t),
  };
}

export interface ConnectOptions extends ClientConfig {
  readonly host?: string;
  readonly port: number;
}

/** Opens a TCP connection and runs a TLS 1.3 client over it; 'secureConnect' fires when the handshake completes. */
export function connect(options: ConnectOptions, onSecureConnect?: () => void): TlsSocket {
  const host = options.host ?? 'localhost';
  const socket = netConnect({ host, port: options.port, allowHalfOpen: true });
  socket.setNoDelay(true);
  const config: ClientConfig = { ...options, serverName: options.serverName ?? host };
  const tls = new TlsSocket(socket, (s) =>
    TlsConnection.client(config, handlersFor(s, 'secureConnect')),
  );
  if (onSecureConnect) tls.once('secureConnect', onSecureConnect);
  // Start at once: net.Socket buffers writes until connected, so 0-RTT data written now follows the ClientHello.
  tls.connection.start(Date.now());
  tls.flush();
  return tls;
}

/** A TCP server whose connections run a TLS 1.3 server; 'secureConnection' fires with each TlsSocket once its handshake completes. */
export function createServer(
  config: ServerConfig,
  onSecureConnection?: (socket: TlsSocket) => void,
): Server {
  const server = netCreateServer({ allowHalfOpen: true }, (socket) => {
    socket.setNoDelay(true);
    const tls = new TlsSocket(socket, (s) =>
      TlsConnection.server(config, handlersFor(s, 'secure')),
    );
    tls.once('secure', () => server.emit('secureConnection', tls));
    tls.on('error', (e) => server.emit('tlsClientError', e, tls));
  });
  if (onSecureConnection) server.on('secureConnection', onSecureConnection);
  return server;
}
