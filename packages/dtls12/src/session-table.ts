import type { SocketAddress } from '@x/wire';

/**
 * Sessions keyed by (address, port) without building a string per datagram
 * (a per-packet `${address}:${port}` would be the only allocation on the
 * receive path): the address string Node hands us is used as is.
 */
export class SessionTable<T> {
  readonly #byAddress = new Map<string, Map<number, T>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(remote: SocketAddress): T | undefined {
    return this.#byAddress.get(remote.address)?.get(remote.port);
  }

  set(remote: SocketAddress, value: T): void {
    let ports = this.#byAddress.get(remote.address);
    if (ports === undefined) {
      ports = new Map();
      this.#byAddress.set(remote.address, ports);
    }
    if (!ports.has(remote.port)) this.#size++;
    ports.set(remote.port, value);
  }

  delete(remote: SocketAddress): boolean {
    const ports = this.#byAddress.get(remote.address);
    if (ports === undefined || !ports.delete(remote.port)) return false;
    if (ports.size === 0) this.#byAddress.delete(remote.address);
    this.#size--;
    return true;
  }

  *values(): IterableIterator<T> {
    for (const ports of this.#byAddress.values()) yield* ports.values();
  }
}
