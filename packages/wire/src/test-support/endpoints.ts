/**
 * A scriptable DatagramEndpoint for driver and simulator tests; not part of the
 * package build.
 */
import type {
  DatagramEndpoint,
  IncomingDatagram,
  OutgoingDatagram,
  SocketAddress,
} from '../endpoint/contract.js';

export interface Received extends IncomingDatagram {
  readonly now: number;
}

export class TestEndpoint implements DatagramEndpoint {
  readonly received: Received[] = [];
  /** The `now` of every handleTimeout call. */
  readonly timeouts: number[] = [];
  /** Every `now` poll() was called with. */
  readonly polls: number[] = [];
  deadline: number | undefined;
  /** Echo every datagram back to its sender (as a copy). */
  echo = false;
  onReceive: ((d: IncomingDatagram, now: number) => void) | undefined;
  onTimeout: ((now: number) => void) | undefined;
  // An index, not shift(): simulator tests queue tens of thousands of datagrams.
  #outbox: OutgoingDatagram[] = [];
  #head = 0;

  send(data: Uint8Array, remote: SocketAddress): this {
    this.#outbox.push({ data, remote });
    return this;
  }

  get queued(): number {
    return this.#outbox.length - this.#head;
  }

  receive(d: IncomingDatagram, now: number): void {
    this.received.push({ ...d, now });
    if (this.echo) this.send(d.data.slice(), d.remote);
    this.onReceive?.(d, now);
  }

  poll(now: number): OutgoingDatagram | undefined {
    this.polls.push(now);
    if (this.#head === this.#outbox.length) return undefined;
    const out = this.#outbox[this.#head++];
    if (this.#head === this.#outbox.length) {
      this.#outbox = [];
      this.#head = 0;
    }
    return out;
  }

  nextDeadline(): number | undefined {
    return this.deadline;
  }

  handleTimeout(now: number): void {
    this.timeouts.push(now);
    if (this.deadline !== undefined && this.deadline <= now) this.deadline = undefined;
    this.onTimeout?.(now);
  }
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
export const str = (b: Uint8Array): string => new TextDecoder().decode(b);
