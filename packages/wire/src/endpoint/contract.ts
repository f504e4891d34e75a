/**
 * The sans-I/O endpoint contract that every datagram protocol in the SDK
 * implements (QUIC endpoints, DTLS servers, STUN agents). The protocol core owns
 * no socket, timer or clock: the driver hands it datagrams and the time, then
 * drains what it wants to send and asks when it next needs to be woken.
 *
 * Times are milliseconds on a monotonic clock whose origin the driver chooses
 * (performance.now() on node:dgram, a virtual clock in the simulator).
 */

export type AddressFamily = 'IPv4' | 'IPv6';

export interface SocketAddress {
  readonly address: string;
  readonly port: number;
  readonly family: AddressFamily;
}

export interface IncomingDatagram {
  readonly data: Uint8Array;
  /** Where it came from. */
  readonly remote: SocketAddress;
  /** The local address it arrived on. */
  readonly local: SocketAddress;
}

export interface OutgoingDatagram {
  readonly data: Uint8Array;
  /** Where to send it. */
  readonly remote: SocketAddress;
}

export interface DatagramEndpoint {
  /**
   * One received datagram. Must never throw on hostile input: a bad datagram is
   * dropped (or answered) by the protocol, not propagated.
   */
  receive(datagram: IncomingDatagram, now: number): void;

  /**
   * The next datagram to send, or undefined when nothing is queued right now.
   * The bytes pass to the driver, which may hold them until the OS (or the
   * simulated link) has taken them: do not reuse that memory for a later datagram.
   */
  poll(now: number): OutgoingDatagram | undefined;

  /** When `handleTimeout` must next be called, or undefined when no timer is armed. */
  nextDeadline(): number | undefined;

  /** Called at (or after) the deadline; the endpoint fires whatever timers expired by `now`. */
  handleTimeout(now: number): void;
}

export function addressKey(a: SocketAddress): string {
  return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

export function familyOf(address: string): AddressFamily {
  return address.includes(':') ? 'IPv6' : 'IPv4';
}
