/**
 * The Node API: `listen()` and `connect()` on node:dgram (through @x/wire's
 * bindEndpoint), with each QUIC stream a Node `Duplex` you can `pipe`, write to
 * and `for await` over. The protocol stays in the sans-I/O Endpoint and
 * Connection; this file only reads the clock, owns the socket and maps
 * connection events onto Node streams and EventEmitters.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Duplex } from 'node:stream';
import { bindEndpoint, type EndpointHandle, familyOf, type SocketAddress } from '@x/wire';
import type { Connection } from '../connection/connection.js';
import type {
  ClientConnectionOptions,
  CloseReason,
  ServerConnectionOptions,
} from '../connection/state.js';
import { Endpoint } from './endpoint.js';
import { ReceiveBatching } from './receive-batching.js';

/**
 * Socket buffers: a burst of a congestion window must not overflow the kernel's
 * receive queue while the event loop is busy (the OS caps this at net.core.rmem_max).
 */
const SOCKET_BUFFER = 4 * 1024 * 1024;

/** Bytes queued but unacknowledged on a stream before `write()` applies backpressure. */
const STREAM_HIGH_WATER = 1024 * 1024;

/** A QUIC stream as a Node Duplex (bidirectional; a unidirectional one ends at once on the missing side). */
export class QuicStream extends Duplex {
  readonly id: number;
  readonly #conn: QuicConnection;
  #pendingWrite: (() => void) | undefined;

  constructor(conn: QuicConnection, id: number) {
    super({ allowHalfOpen: true });
    this.id = id;
    this.#conn = conn;
  }

  override _write(
    chunk: Buffer,
    _enc: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    try {
      // Copy: the caller may reuse its buffer once the callback ran.
      this.#conn.connection.streamWrite(this.id, new Uint8Array(chunk));
    } catch (e) {
      callback(e as Error);
      return;
    }
    this.#conn.scheduleFlush();
    if (this.#conn.connection.streamBuffered(this.id) < STREAM_HIGH_WATER) callback();
    else this.#pendingWrite = () => callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    try {
      this.#conn.connection.streamWrite(this.id, new Uint8Array(0), true);
    } catch (e) {
      callback(e as Error);
      return;
    }
    this.#conn.scheduleFlush();
    callback();
  }

  override _read(): void {
    // Data is pushed as it arrives; QUIC flow control bounds what the peer may send.
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    if (error) {
      this.#conn.connection.streamReset(this.id, 0);
      this.#conn.connection.streamStopSending(this.id, 0);
      this.#conn.flush();
    }
    callback(error);
  }

  /** @internal */
  onActivity(): void {
    const pending = this.#pendingWrite;
    if (pending && this.#conn.connection.streamBuffered(this.id) < STREAM_HIGH_WATER) {
      this.#pendingWrite = undefined;
      pending();
    }
  }

  /** @internal */
  drainReadable(): void {
    for (;;) {
      const r = this.#conn.connection.streamRead(this.id);
      if (r === undefined) return;
      if (r.reset !== undefined) {
        this.destroy(new Error(`stream ${this.id} reset by peer with code ${r.reset}`));
        return;
      }
      if (r.data !== undefined) this.push(r.data);
      if (r.fin) {
        this.push(null);
        return;
      }
      if (r.data === undefined) return;
    }
  }
}

/**
 * One QUIC connection. Events: 'connected', 'stream' (a peer-opened QuicStream),
 * 'new-token' (Uint8Array), 'session-ticket', 'close' (CloseReason).
 */
export class QuicConnection extends EventEmitter {
  readonly connection: Connection;
  readonly #flush: () => void;
  readonly #streams = new Map<number, QuicStream>();
  #closedReason: CloseReason | undefined;

  constructor(connection: Connection, flush: () => void) {
    super();
    this.connection = connection;
    this.#flush = flush;
  }

  get alpnProtocol(): string | undefined {
    return this.connection.alpnProtocol;
  }

  /** Whether the server accepted our 0-RTT (known once 'connected' fired). */
  get earlyDataAccepted(): boolean {
    return this.connection.earlyDataAccepted;
  }

  /** Sends what the connection has queued and delivers the events that produced. */
  flush(): void {
    this.#flush();
    this.dispatch();
  }

  #flushQueued = false;

  /**
   * Flushes once the writes of the current tick are queued: Node calls _write
   * and then (a tick later) _final for `end(data)`, and sending at each would
   * put the data and the FIN in two packets. A microtask runs after both.
   */
  scheduleFlush(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(this.#flushQueuedNow);
  }

  readonly #flushQueuedNow = (): void => {
    this.#flushQueued = false;
    this.flush();
  };

  /** Opens a stream of ours. Throws while the peer's stream limit does not allow one. */
  openStream(bidirectional = true): QuicStream {
    const id = this.connection.openStream(bidirectional);
    if (id === undefined) throw new Error('cannot open a stream now (handshake or MAX_STREAMS)');
    const s = new QuicStream(this, id);
    if (!bidirectional) s.push(null);
    this.#streams.set(id, s);
    return s;
  }

  /** Closes with an application error code; resolves once the connection is gone. */
  close(errorCode = 0, reason = ''): Promise<CloseReason> {
    if (this.#closedReason !== undefined) return Promise.resolve(this.#closedReason);
    const done = new Promise<CloseReason>((resolve) => this.once('close', resolve));
    this.connection.close(errorCode, reason);
    this.flush();
    return done;
  }

  /** @internal Drains connection events into streams and EventEmitter events. */
  dispatch(): void {
    const c = this.connection;
    for (let e = c.pollEvent(); e !== undefined; e = c.pollEvent()) {
      switch (e.kind) {
        case 'connected':
          this.emit('connected');
          break;
        case 'stream-opened': {
          const s = new QuicStream(this, e.id);
          this.#streams.set(e.id, s);
          this.emit('stream', s);
          break;
        }
        case 'stream-readable':
          this.#streams.get(e.id)?.drainReadable();
          break;
        case 'stream-reset':
          this.#streams.get(e.id)?.drainReadable();
          break;
        case 'stream-stopped':
          break;
        case 'new-token':
          this.emit('new-token', e.token);
          break;
        case 'session-ticket':
          this.emit('session-ticket', e.ticket);
          break;
        case 'closed':
          this.#closedReason = e.reason;
          for (const s of this.#streams.values()) {
            if (s.destroyed || (s.readableEnded && s.writableFinished)) continue;
            // An unfinished stream ends with an error, but only where someone listens:
            // a stream the application never looked at must not crash the process.
            const error = new Error(`connection closed (${e.reason.by}): ${e.reason.reason}`);
            s.destroy(s.listenerCount('error') > 0 ? error : undefined);
          }
          this.emit('close', e.reason);
          break;
      }
    }
    for (const s of this.#streams.values()) s.onActivity();
  }
}

export interface ListenOptions extends ServerConnectionOptions {
  /** IP literal to bind (default 127.0.0.1). */
  readonly host?: string;
  /** UDP port (default 0: the OS chooses). */
  readonly port?: number;
  /** Send a Retry to every new client first (address validation, RFC 9000 §8.1.2). */
  readonly retry?: boolean;
}

/** A listening QUIC server. Events: 'connection' (QuicConnection). */
export class QuicServer extends EventEmitter {
  readonly endpoint: Endpoint;
  readonly #handle: EndpointHandle;

  constructor(endpoint: Endpoint, handle: EndpointHandle) {
    super();
    this.endpoint = endpoint;
    this.#handle = handle;
  }

  get address(): SocketAddress {
    return this.#handle.local;
  }

  /**
   * Closes the socket. Open connections end without CONNECTION_CLOSE (their
   * peers time out): close them first for a graceful end.
   */
  close(): Promise<void> {
    return this.#handle.close();
  }
}

export async function listen(options: ListenOptions): Promise<QuicServer> {
  const wrappers = new WeakMap<Connection, QuicConnection>();
  let server: QuicServer | undefined;
  const endpoint = new Endpoint({
    server: {
      tlsClockOffset: Date.now() - performance.now(),
      maxProbedDatagramSize: 'auto',
      ...options,
    },
    trace: options.trace,
    onConnection: (c) => {
      const q: QuicConnection = new QuicConnection(c, () => batching.flush(q));
      wrappers.set(c, q);
      server?.emit('connection', q);
    },
    onActivity: (c) => wrappers.get(c)?.dispatch(),
  });
  const batching = new ReceiveBatching(endpoint);
  const handle = await bindEndpoint(batching, {
    address: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    recvBufferSize: SOCKET_BUFFER,
    sendBufferSize: SOCKET_BUFFER,
  });
  batching.attach(handle);
  server = new QuicServer(endpoint, handle);
  return server;
}

export interface ConnectOptions extends ClientConnectionOptions {
  /** Server IP literal. */
  readonly host: string;
  readonly port: number;
  /** Give up if the handshake has not completed after this many ms (default 10 s). */
  readonly handshakeTimeout?: number;
}

/**
 * Connects and resolves once the handshake completed (rejects with the close
 * reason otherwise). With `earlyData` and a `session` ticket that allows 0-RTT,
 * it resolves at once: streams opened then send in 0-RTT ('connected' follows).
 */
export async function connect(options: ConnectOptions): Promise<QuicConnection> {
  let wrapper: QuicConnection | undefined;
  const endpoint = new Endpoint({ onActivity: () => wrapper?.dispatch() });
  const family = familyOf(options.host);
  const batching = new ReceiveBatching(endpoint);
  const handle = await bindEndpoint(batching, {
    address: family === 'IPv6' ? '::' : '0.0.0.0',
    port: 0,
    recvBufferSize: SOCKET_BUFFER,
    sendBufferSize: SOCKET_BUFFER,
  });
  batching.attach(handle);
  const remote: SocketAddress = { address: options.host, port: options.port, family };
  const conn = endpoint.connect(
    { tlsClockOffset: Date.now() - performance.now(), maxProbedDatagramSize: 'auto', ...options },
    remote,
    performance.now(),
  );
  const q: QuicConnection = new QuicConnection(conn, () => batching.flush(q));
  wrapper = q;
  q.once('close', () => {
    // Let the last datagrams (CONNECTION_CLOSE) leave before the socket goes.
    setTimeout(() => void handle.close(), 50).unref();
  });
  const early = conn.isInEarlyData;
  const handshake = new Promise<QuicConnection>((resolve, reject) => {
    const timer = setTimeout(() => {
      conn.close(0, 'handshake timeout');
      // q.flush() also delivers 'close' now (a 0-RTT caller has only that and its streams).
      q.flush();
      reject(new Error('QUIC handshake timed out'));
    }, options.handshakeTimeout ?? 10_000);
    q.once('connected', () => {
      clearTimeout(timer);
      resolve(q);
    });
    q.once('close', (reason: CloseReason) => {
      clearTimeout(timer);
      reject(new Error(`connection closed during the handshake (${reason.by}): ${reason.reason}`));
    });
    // In 0-RTT the first flight waits for what the caller writes once it has the
    // connection (after this function's promise settles: a later macrotask).
    if (early) setImmediate(() => q.flush());
    else handle.flush();
  });
  if (!early) return handshake;
  // The caller has the connection already; a failed handshake shows as 'close' and on its streams.
  handshake.catch(() => {});
  return q;
}
