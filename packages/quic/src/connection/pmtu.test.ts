import type { DatagramEndpoint, OutgoingDatagram } from '@x/wire';
import { describe, expect, it } from 'vitest';
import {
  CLIENT,
  clientEndpoint,
  concat,
  echoClient,
  network,
  runUntil,
  SERVER,
  serverEndpoint,
} from '../endpoint/test-support/harness.js';
import { MAX_PROBES, PmtuDiscovery, PROBE_LADDER, probeCeiling } from './pmtu.js';

describe('PmtuDiscovery (RFC 9000 §14.3, RFC 8899)', () => {
  it('climbs the ladder one acknowledged probe at a time, up to the ceiling', () => {
    const d = new PmtuDiscovery(1350, 20_000);
    expect(d.probeSize()).toBe(1452);
    d.onProbeSent(7);
    expect(d.probeSize()).toBeUndefined(); // one probe in flight at a time
    expect(d.onProbeAcked(6)).toBeUndefined(); // not the probe
    expect(d.onProbeAcked(7)).toBe(1452);
    expect(d.probeSize()).toBe(16384);
    d.onProbeSent(9);
    expect(d.onProbeAcked(9)).toBe(16384);
    expect(d.current).toBe(16384);
    expect(d.probeSize()).toBeUndefined(); // 32768 is above the ceiling
  });

  it(`gives up after MAX_PROBES (${MAX_PROBES}) lost probes of one size`, () => {
    const d = new PmtuDiscovery(1350, 65_000);
    for (let i = 0; i < MAX_PROBES; i++) {
      expect(d.probeSize()).toBe(PROBE_LADDER[0]);
      d.onProbeSent(i);
      d.onProbeLost(i);
    }
    expect(d.probeSize()).toBeUndefined();
    expect(d.current).toBe(1350);
  });

  it("never probes beyond the peer's max_udp_payload_size", () => {
    const d = new PmtuDiscovery(1350, 65_000);
    d.limit(1400);
    expect(d.probeSize()).toBeUndefined();
  });

  it('probes nothing by default; "auto" allows 64 KB only towards loopback', () => {
    const v4 = (address: string) => ({ address, port: 1, family: 'IPv4' as const });
    expect(probeCeiling(undefined, 1350, v4('127.0.0.1'))).toBe(1350);
    expect(probeCeiling('auto', 1350, v4('127.0.0.1'))).toBe(65_000);
    expect(probeCeiling('auto', 1350, { address: '::1', port: 1, family: 'IPv6' })).toBe(65_000);
    expect(probeCeiling('auto', 1350, v4('10.0.0.1'))).toBe(1452);
    expect(probeCeiling(9000, 1350, v4('10.0.0.1'))).toBe(9000);
  });
});

/** Records the size of every datagram an endpoint sends. */
function sizes(inner: DatagramEndpoint) {
  const sent: number[] = [];
  const wrapped: DatagramEndpoint = {
    receive: (d, now) => inner.receive(d, now),
    poll(now: number): OutgoingDatagram | undefined {
      const out = inner.poll(now);
      if (out) sent.push(out.data.length);
      return out;
    },
    nextDeadline: () => inner.nextDeadline(),
    handleTimeout: (now) => inner.handleTimeout(now),
  };
  return { wrapped, sent };
}

function echo200k(mtu: number, maxProbedDatagramSize: number | undefined) {
  const net = network(5, { mtu });
  const server = serverEndpoint({ maxProbedDatagramSize });
  const s = sizes(server);
  const client = clientEndpoint();
  net.addEndpoint(s.wrapped, SERVER);
  net.addEndpoint(client, CLIENT);
  const payload = new Uint8Array(200_000).map((_, i) => i & 0xff);
  const c = echoClient(net, client, payload, 1, { maxProbedDatagramSize });
  runUntil(net, () => c.finished.size === 1, 30_000);
  const [id] = [...c.received.keys()];
  expect(concat(c.received.get(id!)!)).toEqual(payload);
  return { sent: s.sent, dropped: net.stats(SERVER, CLIENT).dropped.mtu };
}

describe('PMTU discovery on a connection (SimNetwork)', () => {
  it('finds 1452 on a 1500-byte path: larger probes are lost, and data still flows', () => {
    const { sent, dropped } = echo200k(1500, 65_000);
    // Only probes of 16384 were dropped by the link (at most MAX_PROBES: probing
    // stops once the echo has nothing left to send).
    const big = sent.filter((n) => n > 1500);
    expect(dropped).toBe(big.length);
    expect(big.length).toBeGreaterThanOrEqual(1);
    expect(big.length).toBeLessThanOrEqual(MAX_PROBES);
    expect(big.every((n) => n === 16384)).toBe(true);
    // The 1452-byte probe succeeded and data packets grew to it.
    expect(sent).toContain(1452);
    expect(sent.filter((n) => n > 1350 && n <= 1452).length).toBeGreaterThan(50);
    expect(Math.max(...sent.filter((n) => n <= 1500))).toBe(1452);
  });

  it('grows to 64 KB datagrams where the path carries them', () => {
    const { sent, dropped } = echo200k(65_535, 65_000);
    expect(dropped).toBe(0);
    expect(Math.max(...sent)).toBeGreaterThan(16_384);
    // Data packets, not only probes, grew past the Ethernet size.
    expect(sent.filter((n) => n > 1452 && n < 16_384).length).toBeGreaterThan(1);
  });

  it('sends no datagram above 1350 bytes without the option', () => {
    const { sent } = echo200k(65_535, undefined);
    expect(Math.max(...sent)).toBeLessThanOrEqual(1350);
    expect(Math.max(...sent)).toBeGreaterThan(1300);
  });
});
