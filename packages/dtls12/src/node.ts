/**
 * node:dgram binding: runs the sans-I/O client and server on real sockets
 * through @x/wire's bindEndpoint driver.
 */
import { bindEndpoint, type EndpointHandle, familyOf, type SocketAddress } from '@x/wire';
import { DtlsClientEndpoint } from './client-endpoint.js';
import type { DtlsOptions } from './config.js';
import type { DtlsConnection } from './connection.js';
import { DtlsServer, type DtlsServerOptions, type DtlsSession } from './dtls-server.js';
import type { DtlsError } from './errors.js';

export interface ConnectOptions extends DtlsOptions {
  /** Server IP literal. */
  readonly host: string;
  readonly port: number;
  /** Local address to bind (default: the loopback/any address of the host's family). */
  readonly localAddress?: string;
  /** Give up after this many ms (default 30 000). */
  readonly timeoutMs?: number;
}

/** A connected client: send/receive application data, close with close_notify. */
export interface DtlsClientSocket {
  readonly connection: DtlsConnection;
  readonly local: SocketAddress;
  send(data: Uint8Array): void;
  /** Sends close_notify and closes the socket. */
  close(): Promise<void>;
}

/** Connects and resolves once the handshake completes; rejects with the DtlsError (alert) otherwise. */
export async function connect(options: ConnectOptions): Promise<DtlsClientSocket> {
  const family = familyOf(options.host);
  const remote: SocketAddress = { address: options.host, port: options.port, family };
  const endpoint = new DtlsClientEndpoint(remote, options);
  const conn = endpoint.connection;
  const handle = await bindEndpoint(endpoint, {
    address: options.localAddress ?? (family === 'IPv6' ? '::' : '0.0.0.0'),
  });
  const socket: DtlsClientSocket = {
    connection: conn,
    local: handle.local,
    send(data) {
      conn.send(data);
      handle.flush();
    },
    async close() {
      conn.close();
      handle.flush();
      await handle.close();
    },
  };
  return await new Promise<DtlsClientSocket>((resolve, reject) => {
    const timer = setTimeout(() => {
      void handle.close();
      reject(new Error(`DTLS handshake with ${options.host}:${options.port} timed out`));
    }, options.timeoutMs ?? 30_000);
    conn.on('connected', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    conn.on('error', (e: DtlsError) => {
      clearTimeout(timer);
      // Let the driver send the fatal alert first.
      setImmediate(() => void handle.close());
      reject(e);
    });
  });
}

export interface CreateServerOptions extends DtlsServerOptions {
  readonly host: string;
  readonly port?: number;
}

export interface DtlsNodeServer {
  readonly server: DtlsServer;
  readonly handle: EndpointHandle;
  readonly local: SocketAddress;
  /** Send on a session outside a receive callback (flushes the socket). */
  send(session: DtlsSession, data: Uint8Array): void;
  close(): Promise<void>;
}

export async function createServer(
  options: CreateServerOptions,
  onSession?: (session: DtlsSession) => void,
): Promise<DtlsNodeServer> {
  const server = new DtlsServer(options);
  if (onSession) server.onSession(onSession);
  const handle = await bindEndpoint(server, { address: options.host, port: options.port ?? 0 });
  return {
    server,
    handle,
    local: handle.local,
    send(session, data) {
      session.connection.send(data);
      handle.flush();
    },
    async close() {
      server.close();
      handle.flush();
      await handle.close();
    },
  };
}
