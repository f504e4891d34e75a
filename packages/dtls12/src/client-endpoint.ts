import {
  addressKey,
  type DatagramEndpoint,
  type IncomingDatagram,
  type OutgoingDatagram,
  type SocketAddress,
} from '@x/wire';
import type { DtlsOptions } from './config.js';
import { DtlsConnection } from './connection.js';

/** A client DtlsConnection as a DatagramEndpoint talking to one server address. */
export class DtlsClientEndpoint implements DatagramEndpoint {
  readonly connection: DtlsConnection;
  readonly remote: SocketAddress;
  readonly #remoteKey: string;

  constructor(remote: SocketAddress, options: DtlsOptions) {
    this.remote = remote;
    this.#remoteKey = addressKey(remote);
    this.connection = new DtlsConnection('client', options);
  }

  receive(datagram: IncomingDatagram, now: number): void {
    if (addressKey(datagram.remote) !== this.#remoteKey) return; // not our server: ignore
    this.connection.receive(datagram.data, now);
  }

  poll(now: number): OutgoingDatagram | undefined {
    const data = this.connection.poll(now);
    return data === undefined ? undefined : { data, remote: this.remote };
  }

  nextDeadline(): number | undefined {
    return this.connection.nextDeadline();
  }

  handleTimeout(now: number): void {
    this.connection.handleTimeout(now);
  }
}
