/**
 * Datagram Packetization Layer PMTU Discovery (RFC 9000 §14.3, RFC 8899),
 * kept small: once the handshake is confirmed, probe a ladder of larger sizes
 * with PING + PADDING packets, one probe in flight at a time. An acknowledged
 * probe raises the maximum datagram size; MAX_PROBES losses at one size end
 * the search (RFC 8899 §5.1.2). Probes never carry data, and their loss is
 * not a congestion signal (RFC 9000 §14.4), which loss detection honours
 * through `SentPacket.pmtuProbe`.
 */

import type { SocketAddress } from '@x/wire';

/** RFC 8899 §5.1.2 MAX_PROBES. */
export const MAX_PROBES = 3;

/**
 * Sizes tried in order. 1452 fits an Ethernet path behind IPv6 (1500 - 40 - 8);
 * the larger ones only matter where the caller allows them (loopback's MTU is 64 KB,
 * and there a few large datagrams replace many syscalls).
 */
export const PROBE_LADDER: readonly number[] = [1452, 16384, 32768, 65000];

export class PmtuDiscovery {
  #current: number;
  #ceiling: number;
  #next = 0;
  #failures = 0;
  #inFlight: number | undefined;
  #done = false;

  /** `base`: the size known to work; `ceiling`: the largest we may try (peer limit applied later). */
  constructor(base: number, ceiling: number) {
    this.#current = base;
    this.#ceiling = ceiling;
    this.#skip();
  }

  get current(): number {
    return this.#current;
  }

  /** The peer's max_udp_payload_size (RFC 9000 §18.2) bounds every probe. */
  limit(maxUdpPayloadSize: number): void {
    this.#ceiling = Math.min(this.#ceiling, maxUdpPayloadSize);
    if (this.#current > this.#ceiling) this.#current = this.#ceiling;
    this.#skip();
  }

  /** The size to probe now, or undefined when no probe is due. */
  probeSize(): number | undefined {
    if (this.#done || this.#inFlight !== undefined) return undefined;
    return PROBE_LADDER[this.#next];
  }

  onProbeSent(packetNumber: number): void {
    this.#inFlight = packetNumber;
  }

  /** A probe was acknowledged: returns the new maximum datagram size. */
  onProbeAcked(packetNumber: number): number | undefined {
    if (packetNumber !== this.#inFlight) return undefined;
    this.#inFlight = undefined;
    this.#current = PROBE_LADDER[this.#next]!;
    this.#failures = 0;
    this.#next++;
    this.#skip();
    return this.#current;
  }

  onProbeLost(packetNumber: number): void {
    if (packetNumber !== this.#inFlight) return;
    this.#inFlight = undefined;
    if (++this.#failures >= MAX_PROBES) this.#done = true;
  }

  #skip(): void {
    while (this.#next < PROBE_LADDER.length && PROBE_LADDER[this.#next]! <= this.#current) {
      this.#next++;
    }
    const size = PROBE_LADDER[this.#next];
    if (size === undefined || size > this.#ceiling) this.#done = true;
  }
}

/** The probing ceiling for a connection option and its peer's address. */
export function probeCeiling(
  option: number | 'auto' | undefined,
  base: number,
  remote: SocketAddress,
): number {
  if (option === undefined) return base;
  if (option !== 'auto') return option;
  return isLoopback(remote) ? 65000 : 1452;
}

function isLoopback(a: SocketAddress): boolean {
  if (a.family === 'IPv6') return a.address === '::1' || a.address.startsWith('::ffff:127.');
  return a.address.startsWith('127.');
}
