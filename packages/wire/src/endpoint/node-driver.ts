/**
 * Runs any DatagramEndpoint on a node:dgram socket: the one place where the
 * sans-I/O contract meets a real socket, a real timer and a real clock.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  type AddressFamily,
  type DatagramEndpoint,
  familyOf,
  type OutgoingDatagram,
  type SocketAddress,
} from './contract.js';

/**
 * Where an error came from: `send` (the OS refused a datagram, e.g. EMSGSIZE or
 * EHOSTUNREACH), `socket` (an 'error' event on the socket) or `endpoint` (the
 * endpoint threw, which the contract forbids).
 */
export type DriverErrorSource = 'send' | 'socket' | 'endpoint';

export interface BindOptions {
  /**
   * Local IP literal to bind, e.g. '127.0.0.1', '::1', '0.0.0.0' or '::'. Its
   * family picks a udp4 or udp6 socket. Host names are not resolved.
   */
  readonly address: string;
  /** Local port; 0 (the default) lets the OS choose. */
  readonly port?: number;
  /** On a '::' socket, refuse IPv4-mapped traffic. */
  readonly ipv6Only?: boolean;
  readonly recvBufferSize?: number;
  readonly sendBufferSize?: number;
  /**
   * Receives every error the driver catches. Without it, `send` and `socket`
   * errors are dropped (a datagram the OS refuses is a lost datagram, which
   * every protocol here already survives) and `endpoint` errors are rethrown,
   * so a broken endpoint is loud.
   */
  readonly onError?: (error: Error, source: DriverErrorSource) => void;
}

export interface EndpointHandle {
  /** The address the socket is bound to (with the port the OS chose). */
  readonly local: SocketAddress;
  /**
   * Drains poll() now and re-arms the timer. Call it after the application
   * changed the endpoint outside receive/handleTimeout, e.g. queued stream data.
   */
  flush(): void;
  /**
   * Stops the timer and closes the socket, without a last flush(). Resolves once
   * the socket handle is gone; calling it again returns the same promise.
   */
  close(): Promise<void>;
}

// setTimeout treats longer delays as 1 ms; longer deadlines re-arm on the way.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Binds a UDP socket and runs `endpoint` on it until close(). On each datagram
 * it calls receive(), drains poll() into socket.send() and arms one (ref'd)
 * timer for nextDeadline(); when that fires it calls handleTimeout() and drains
 * again. `now` is performance.now().
 *
 * The datagram a receive() gets is a view of memory Node allocated for that
 * datagram alone: the endpoint may keep it or decrypt it in place. Bytes
 * returned by poll() belong to the driver until the OS has taken them, so an
 * endpoint must not reuse that memory for a later datagram.
 *
 * `local` in each IncomingDatagram is the bound address; on a wildcard bind
 * ('0.0.0.0', '::') Node cannot tell which local address a datagram was sent to.
 */
export async function bindEndpoint(
  endpoint: DatagramEndpoint,
  options: BindOptions,
): Promise<EndpointHandle> {
  if (isIP(options.address) === 0) {
    throw new TypeError(`bindEndpoint: ${options.address} is not an IP address`);
  }
  const family = familyOf(options.address);
  const socket = createSocket({
    type: family === 'IPv6' ? 'udp6' : 'udp4',
    ipv6Only: options.ipv6Only,
    recvBufferSize: options.recvBufferSize,
    sendBufferSize: options.sendBufferSize,
    lookup: literalLookup,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ port: options.port ?? 0, address: options.address, exclusive: true }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await closeSocket(socket);
    throw e;
  }
  const bound = socket.address();
  const local: SocketAddress = {
    address: bound.address,
    port: bound.port,
    family: bound.family as AddressFamily,
  };
  const driver = new DgramDriver(endpoint, socket, local, options.onError);
  driver.flush();
  return driver;
}

class DgramDriver implements EndpointHandle {
  readonly local: SocketAddress;
  readonly #endpoint: DatagramEndpoint;
  readonly #socket: Socket;
  readonly #onError: ((error: Error, source: DriverErrorSource) => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #armedFor: number | undefined;
  #closing: Promise<void> | undefined;

  constructor(
    endpoint: DatagramEndpoint,
    socket: Socket,
    local: SocketAddress,
    onError: ((error: Error, source: DriverErrorSource) => void) | undefined,
  ) {
    this.#endpoint = endpoint;
    this.#socket = socket;
    this.local = local;
    this.#onError = onError;
    socket.on('message', this.#onMessage);
    socket.on('error', this.#onSocketError);
  }

  flush(): void {
    if (this.#closing) return;
    this.#drain(performance.now());
    this.#arm();
  }

  close(): Promise<void> {
    if (!this.#closing) {
      this.#clearTimer();
      this.#socket.off('message', this.#onMessage);
      this.#closing = closeSocket(this.#socket);
    }
    return this.#closing;
  }

  #onMessage = (msg: Buffer, rinfo: RemoteInfo): void => {
    const now = performance.now();
    const data = new Uint8Array(msg.buffer, msg.byteOffset, msg.length);
    const remote: SocketAddress = {
      address: rinfo.address,
      port: rinfo.port,
      family: rinfo.family as AddressFamily,
    };
    try {
      this.#endpoint.receive({ data, remote, local: this.local }, now);
    } catch (e) {
      this.#report(e, 'endpoint');
    }
    if (this.#closing) return;
    this.#drain(now);
    this.#arm();
  };

  #onTimer = (): void => {
    this.#timer = undefined;
    this.#armedFor = undefined;
    const now = performance.now();
    // Node may fire a timer a fraction of a millisecond early against
    // performance.now(); the contract promises "at or after the deadline".
    const deadline = this.#endpoint.nextDeadline();
    if (deadline !== undefined && deadline <= now) {
      try {
        this.#endpoint.handleTimeout(now);
      } catch (e) {
        this.#report(e, 'endpoint');
      }
      if (this.#closing) return;
      this.#drain(now);
    }
    this.#arm();
  };

  #onSocketError = (error: Error): void => {
    this.#report(error, 'socket');
  };

  #onSent = (error: Error | null): void => {
    if (error) this.#report(error, 'send');
  };

  #drain(now: number): void {
    for (;;) {
      let out: OutgoingDatagram | undefined;
      try {
        out = this.#endpoint.poll(now);
      } catch (e) {
        this.#report(e, 'endpoint');
        return;
      }
      if (out === undefined || this.#closing) return;
      try {
        this.#socket.send(out.data, out.remote.port, out.remote.address, this.#onSent);
      } catch (e) {
        // Synchronous throws are argument errors (bad port, closed socket).
        this.#report(e, 'send');
      }
    }
  }

  #arm(): void {
    if (this.#closing) return;
    let deadline: number | undefined;
    try {
      deadline = this.#endpoint.nextDeadline();
    } catch (e) {
      this.#report(e, 'endpoint');
      return;
    }
    if (deadline !== undefined && Number.isNaN(deadline)) deadline = undefined;
    if (deadline === this.#armedFor && (deadline === undefined || this.#timer)) return;
    this.#clearTimer();
    if (deadline === undefined) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(deadline - performance.now())));
    this.#timer = setTimeout(this.#onTimer, wait);
    this.#armedFor = deadline;
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = undefined;
  }

  #report(e: unknown, source: DriverErrorSource): void {
    const error = e instanceof Error ? e : new Error(String(e));
    if (this.#onError) this.#onError(error, source);
    else if (source === 'endpoint') throw error;
  }
}

/** Addresses in this contract are IP literals; resolving names has no place on the datagram path. */
function literalLookup(
  hostname: string,
  _options: unknown,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  const family = isIP(hostname);
  if (family === 0) {
    const err: NodeJS.ErrnoException = new Error(`${hostname} is not an IP address`);
    err.code = 'EINVAL';
    callback(err, '', 0);
    return;
  }
  // Calling back synchronously lets socket.send() hand the datagram to the OS
  // in the same tick instead of one tick later.
  callback(null, hostname, family);
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      // libuv frees the handle in its close phase, which runs after the check
      // phase of the same loop turn: two setImmediate hops are the first point
      // where the handle is gone from process.getActiveResourcesInfo().
      socket.close(() => setImmediate(() => setImmediate(resolve)));
    } catch {
      resolve();
    }
  });
}
