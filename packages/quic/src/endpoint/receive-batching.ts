import type { DatagramEndpoint, EndpointHandle, IncomingDatagram, OutgoingDatagram } from '@x/wire';

/**
 * Wraps an endpoint for the node:dgram driver so that every datagram the
 * socket has ready is received before anything is sent in reply. RFC 9000
 * §13.2.2 lets a receiver "process multiple available packets before
 * determining whether to send an ACK frame": the driver calls poll() right
 * after each receive(), which would answer every second 1-RTT packet with an
 * ACK datagram of its own (a syscall on each side). Here sends wait for a
 * setImmediate, which runs once libuv has delivered the batch of datagrams it
 * read, so one ACK covers the batch and a sender's reply to several ACKs goes
 * out as one burst. The wait is a fraction of a millisecond, far inside
 * max_ack_delay.
 */
export class ReceiveBatching implements DatagramEndpoint {
  readonly #inner: DatagramEndpoint;
  #handle: EndpointHandle | undefined;
  #deferred = false;
  /** Connections flushed while deferred: their events (e.g. 'closed') follow the real send. */
  readonly #pending = new Set<{ dispatch(): void }>();

  constructor(inner: DatagramEndpoint) {
    this.#inner = inner;
  }

  /** The driver's handle, flushed when a batch of datagrams has been received. */
  attach(handle: EndpointHandle): void {
    this.#handle = handle;
  }

  /**
   * Sends what `owner` queued (now, or with the batch's release when a batch is
   * being received) and then lets it dispatch the events sending produced.
   */
  flush(owner: { dispatch(): void }): void {
    if (this.#deferred) this.#pending.add(owner);
    else this.#handle?.flush();
  }

  receive(datagram: IncomingDatagram, now: number): void {
    this.#inner.receive(datagram, now);
    // Only 1-RTT (short header, RFC 9000 §17.3) traffic is batched: handshake
    // flights go out as before, each in reply to the datagram that completed it,
    // so that no peer sees our first stream data coalesced with our Finished.
    const shortHeader = datagram.data.length > 0 && (datagram.data[0]! & 0x80) === 0;
    if (shortHeader && !this.#deferred && this.#handle !== undefined) {
      this.#deferred = true;
      setImmediate(this.#release);
    }
  }

  poll(now: number): OutgoingDatagram | undefined {
    return this.#deferred ? undefined : this.#inner.poll(now);
  }

  nextDeadline(): number | undefined {
    // While deferred the release flush re-arms the timer.
    return this.#deferred ? undefined : this.#inner.nextDeadline();
  }

  handleTimeout(now: number): void {
    this.#inner.handleTimeout(now);
  }

  readonly #release = (): void => {
    this.#deferred = false;
    this.#handle?.flush();
    if (this.#pending.size === 0) return;
    const owners = [...this.#pending];
    this.#pending.clear();
    for (const o of owners) o.dispatch();
  };
}
