/**
 * Calls by remote transport address without building a string per datagram
 * (the media path looks one up for every packet): address text → port → value.
 * The address strings come from the socket as they are.
 */
import type { SocketAddress } from '@x/wire';

export class AddressMap<V> {
  readonly #byAddress = new Map<string, Map<number, V>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(a: SocketAddress): V | undefined {
    return this.#byAddress.get(a.address)?.get(a.port);
  }

  set(a: SocketAddress, value: V): void {
    let ports = this.#byAddress.get(a.address);
    if (ports === undefined) {
      ports = new Map();
      this.#byAddress.set(a.address, ports);
    }
    if (!ports.has(a.port)) this.#size++;
    ports.set(a.port, value);
  }

  /** Deletes the entry if it maps to `value` (or to anything when value is undefined). */
  delete(a: SocketAddress, value?: V): void {
    const ports = this.#byAddress.get(a.address);
    if (ports === undefined || !ports.has(a.port)) return;
    if (value !== undefined && ports.get(a.port) !== value) return;
    ports.delete(a.port);
    this.#size--;
    if (ports.size === 0) this.#byAddress.delete(a.address);
  }
}
