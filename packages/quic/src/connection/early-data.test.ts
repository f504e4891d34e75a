import { nodeProvider } from '@x/crypto';
import { TicketIssuer } from '@x/tls13';
import type { LinkConditions, SocketAddress } from '@x/wire';
import { equalBytes } from '@x/wire';
import { describe, expect, it } from 'vitest';
import type { EndpointOptions } from '../endpoint/endpoint.js';
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
import { parsePacketHeader } from '../packet/header.js';
import { DEFAULT_TRANSPORT_PARAMETERS } from '../transport-parameters.js';
import { earlyDataContext, loweredLimit, type QuicSessionTicket } from './early-data.js';
import { type ClientConnectionOptions, DEFAULT_LOCAL_PARAMETERS } from './state.js';

const hello = new TextEncoder().encode('Hello world');
const text = (parts: Uint8Array[]) => new TextDecoder().decode(concat(parts));

function pattern(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 13 + 5) & 0xff;
  return out;
}

let nextPort = 51000;
const address = (): SocketAddress => ({ address: '10.0.0.9', port: nextPort++, family: 'IPv4' });

/** A first connection to `server` that leaves a ticket behind. */
function ticketFrom(
  net: ReturnType<typeof network>,
  options: Partial<ClientConnectionOptions> = {},
): QuicSessionTicket {
  const first = clientEndpoint();
  net.addEndpoint(first, CLIENT);
  const a = echoClient(net, first, hello, 1, options);
  runUntil(net, () => a.finished.size === 1 && a.tickets.length > 0, 5000);
  expect(a.tickets.length).toBeGreaterThan(0);
  return a.tickets[0]!;
}

/** Resumes with `ticket` in 0-RTT and echoes `payload`; returns the client and its trace. */
function resume(
  net: ReturnType<typeof network>,
  ticket: QuicSessionTicket,
  payload: Uint8Array,
  limitMs = 5000,
  link: Partial<LinkConditions> = {},
  streams = 1,
  options: Partial<ClientConnectionOptions> = {},
) {
  const ep = clientEndpoint();
  const at = address();
  net.addEndpoint(ep, at);
  net.link(at, SERVER, link);
  const trace: string[] = [];
  const startedAt = net.now;
  const c = echoClient(net, ep, payload, streams, {
    session: ticket,
    earlyData: true,
    trace: (l) => trace.push(l),
    ...options,
  });
  // 1 ms steps, so the time the echo completed is known to the millisecond.
  const end = net.now + limitMs;
  while (c.finished.size < streams && net.now < end) net.run({ until: net.now + 1 });
  return { c, trace, elapsed: c.finished.size === streams ? net.now - startedAt : Infinity };
}

const earlyServer = (extra: Partial<EndpointOptions['server']> = {}) =>
  serverEndpoint({
    tickets: new TicketIssuer(nodeProvider, { count: 1 }),
    earlyData: true,
    ...extra,
  });

describe('0-RTT (RFC 9000 §7.4.1, RFC 9001 §4.6)', () => {
  it('the session ticket remembers the server transport parameters and allows 0-RTT', () => {
    const net = network(41);
    net.addEndpoint(earlyServer(), SERVER);
    const ticket = ticketFrom(net);
    // RFC 9001 §4.6.1: max_early_data_size is 0xffffffff in QUIC.
    expect(ticket.maxEarlyData).toBe(0xffffffff);
    expect(ticket.transportParameters.length).toBeGreaterThan(0);
  });

  it('a resumed client sends its stream in 0-RTT; the echo comes back one round trip after the first flight', () => {
    const net = network(42);
    const server = earlyServer();
    net.addEndpoint(server, SERVER);
    const ticket = ticketFrom(net);
    const { c, trace, elapsed } = resume(net, ticket, hello);
    expect(text(c.received.get(0)!)).toBe('Hello world');
    expect(c.conn.earlyDataAccepted).toBe(true);
    expect(server.connections.at(-1)!.earlyDataAccepted).toBe(true);
    // The first datagram: the Initial with the ClientHello, then a 0-RTT packet with the stream.
    const first = trace.findIndex((l) => l.startsWith('sent 0rtt'));
    expect(first).toBe(1);
    expect(trace[0]).toMatch(/^sent initial/);
    expect(trace[first]).toMatch(/STREAM\(id=0 off=0 len=11 fin\)/);
    // No STREAM frame of ours went again in 1-RTT: the server took the 0-RTT one.
    expect(trace.filter((l) => l.startsWith('sent 1rtt') && l.includes('STREAM(id=0'))).toEqual([]);
    // 10 ms each way: the echo is back after one RTT (20 ms) plus the server's
    // processing, where a 1-RTT handshake takes two.
    expect(elapsed).toBeLessThan(40);
  });

  it('each ticket is single-use: replayed, its 0-RTT is refused and the data goes again in 1-RTT', () => {
    const net = network(43);
    const server = earlyServer();
    net.addEndpoint(server, SERVER);
    const ticket = ticketFrom(net);
    expect(resume(net, ticket, hello).c.conn.earlyDataAccepted).toBe(true);
    const payload = pattern(3000);
    const { c, trace } = resume(net, ticket, payload);
    expect(c.conn.earlyDataAccepted).toBe(false);
    expect(c.conn.resumed).toBe(false);
    expect(trace.some((l) => l.startsWith('sent 0rtt') && l.includes('STREAM(id=0 off=0'))).toBe(
      true,
    );
    expect(trace.some((l) => l.startsWith('sent 1rtt') && l.includes('STREAM(id=0 off=0'))).toBe(
      true,
    );
    expect(equalBytes(concat(c.received.get(0)!), payload)).toBe(true);
  });

  it('a server whose limits shrank below what 0-RTT sent refuses it but resumes; every stream starts over within the new limits', () => {
    const net = network(44);
    const key = nodeProvider.randomBytes(32);
    const issuer = () => new TicketIssuer(nodeProvider, { key, count: 1 });
    const before = earlyServer({ tickets: issuer() });
    net.addEndpoint(before, SERVER);
    const ticket = ticketFrom(net);
    net.removeEndpoint(before);
    // Same ticket key; limits below what the first flight sends in 0-RTT
    // (remembered: 4 MiB, 1 MiB per stream, 100 streams; now 6 KB, 3 KB, 2 streams).
    const after = earlyServer({
      tickets: issuer(),
      transportParameters: {
        initialMaxData: 6000,
        initialMaxStreamDataBidiRemote: 3000,
        initialMaxStreamsBidi: 2,
      },
    });
    net.addEndpoint(after, SERVER);
    const payload = pattern(100_000);
    const { c, trace } = resume(net, ticket, payload, 30_000, {}, 3);
    expect(c.conn.resumed).toBe(true);
    expect(c.conn.earlyDataAccepted).toBe(false);
    expect(c.conn.closeReason).toBeUndefined();
    // All three streams went in 0-RTT, well past the new limits.
    for (const id of [0, 4, 8])
      expect(
        trace.some((l) => l.startsWith('sent 0rtt') && l.includes(`STREAM(id=${id} off=0`)),
      ).toBe(true);
    // The third stream waited for MAX_STREAMS; every echo is intact.
    for (const id of [0, 4, 8]) expect(equalBytes(concat(c.received.get(id)!), payload)).toBe(true);
  });

  it('after a refusal, resets of 0-RTT streams carry final size 0 and wait for the stream limit', () => {
    const net = network(52);
    const key = nodeProvider.randomBytes(32);
    const before = earlyServer({ tickets: new TicketIssuer(nodeProvider, { key, count: 1 }) });
    net.addEndpoint(before, SERVER);
    const ticket = ticketFrom(net);
    net.removeEndpoint(before);
    net.addEndpoint(
      earlyServer({
        tickets: new TicketIssuer(nodeProvider, { key, count: 1 }),
        transportParameters: { initialMaxStreamDataBidiRemote: 3000, initialMaxStreamsBidi: 2 },
      }),
      SERVER,
    );
    const ep = clientEndpoint();
    net.addEndpoint(ep, address());
    const payload = pattern(10_000);
    const c = echoClient(net, ep, payload, 3, { session: ticket, earlyData: true });
    // Both reset while their data is in 0-RTT: stream 0 (10 KB sent, the new
    // stream limit allows 3 KB) and stream 8 (beyond the new limit of 2 streams).
    c.conn.streamReset(0, 5);
    c.conn.streamReset(8, 6);
    runUntil(net, () => c.finished.has(4), 20_000);
    expect(c.conn.earlyDataAccepted).toBe(false);
    expect(c.conn.closeReason).toBeUndefined();
    expect(equalBytes(concat(c.received.get(4)!), payload)).toBe(true);
  });

  it('refused 0-RTT is not resent under another ALPN: the connection closes, naming both', () => {
    const net = network(50);
    const key = nodeProvider.randomBytes(32);
    const both = ['quic-echo-example', 'other'];
    const before = earlyServer({
      tickets: new TicketIssuer(nodeProvider, { key, count: 1 }),
      alpnProtocols: both,
    });
    net.addEndpoint(before, SERVER);
    const ticket = ticketFrom(net, { alpnProtocols: both });
    expect(ticket.alpn).toBe('quic-echo-example');
    net.removeEndpoint(before);
    net.addEndpoint(
      earlyServer({
        tickets: new TicketIssuer(nodeProvider, { key, count: 1 }),
        alpnProtocols: ['other'],
      }),
      SERVER,
    );
    const { c } = resume(net, ticket, hello, 2000, {}, 1, { alpnProtocols: both });
    expect(c.conn.earlyDataAccepted).toBe(false);
    expect(c.conn.closeReason?.errorCode).toBe(0x0c); // APPLICATION_ERROR
    expect(c.conn.closeReason?.reason).toMatch(/ALPN other, not the ticket's quic-echo-example/);
    expect(c.received.get(0)?.length ?? 0).toBe(0);
  });

  it('with the server Handshake flight lost, 0-RTT stays within the window and the Handshake probe goes out', () => {
    const net = network(51);
    const server = earlyServer();
    net.addEndpoint(server, SERVER);
    const ticket = ticketFrom(net);
    // The server's first datagram (Initial + Handshake) arrives as its Initial alone.
    net.removeEndpoint(server);
    let cut = false;
    net.addEndpoint(
      {
        receive: (d, now) => server.receive(d, now),
        poll: (now) => {
          const out = server.poll(now);
          if (out === undefined || cut) return out;
          const h = parsePacketHeader(out.data, 0, 8);
          if (h.type !== 'initial' || h.end === out.data.length) return out;
          cut = true;
          return { ...out, data: out.data.subarray(0, h.end) };
        },
        nextDeadline: () => server.nextDeadline(),
        handleTimeout: (now) => server.handleTimeout(now),
      },
      SERVER,
    );
    const payload = pattern(100_000);
    const { c, trace } = resume(net, ticket, payload, 20_000);
    expect(cut).toBe(true);
    expect(equalBytes(concat(c.received.get(0)!), payload)).toBe(true);
    // Before the server's Handshake flight got through: only a window's worth of
    // 0-RTT (13.5 KB initial window), and a Handshake packet (the PTO probe) sent.
    const firstHandshake = trace.findIndex((l) => l.startsWith('recv handshake'));
    const before = trace.slice(0, firstHandshake);
    const early = before
      .filter((l) => l.startsWith('sent 0rtt'))
      .reduce((n, l) => n + Number(/len=(\d+)/.exec(l)![1]), 0);
    expect(early).toBeGreaterThan(0);
    expect(early).toBeLessThan(13_500 + 2 * 1350);
    expect(before.some((l) => l.startsWith('sent handshake'))).toBe(true);
  });

  it('0-RTT sent before a Retry goes again after it, and is accepted', () => {
    const net = network(45);
    const server = earlyServer({ retry: true });
    net.addEndpoint(server, SERVER);
    const ticket = ticketFrom(net);
    const { c, trace } = resume(net, ticket, hello);
    expect(text(c.received.get(0)!)).toBe('Hello world');
    expect(c.conn.earlyDataAccepted).toBe(true);
    const retry = trace.findIndex((l) => l.startsWith('recv retry'));
    expect(retry).toBeGreaterThan(0);
    expect(trace.slice(0, retry).some((l) => l.startsWith('sent 0rtt'))).toBe(true);
    expect(
      trace.slice(retry).some((l) => l.startsWith('sent 0rtt') && l.includes('STREAM(id=0 off=0')),
    ).toBe(true);
  });

  it('a 100 KB 0-RTT echo survives 10% loss and reordering intact', () => {
    for (const seed of [46, 47, 48]) {
      const net = network(seed);
      const server = earlyServer();
      net.addEndpoint(server, SERVER);
      const ticket = ticketFrom(net);
      const payload = pattern(100_000);
      const { c, trace } = resume(net, ticket, payload, 30_000, {
        delayMs: 10,
        loss: 0.1,
        reorder: 0.1,
        reorderDelayMs: 15,
      });
      expect(trace.some((l) => l.startsWith('sent 0rtt'))).toBe(true);
      expect(c.conn.closeReason).toBeUndefined();
      expect(equalBytes(concat(c.received.get(0)!), payload)).toBe(true);
    }
  });

  it('a server without earlyData refuses 0-RTT; nothing is lost', () => {
    const net = network(49);
    net.addEndpoint(earlyServer({ earlyData: false }), SERVER);
    const ticket = ticketFrom(net);
    expect(ticket.maxEarlyData).toBe(0);
    const { c, trace } = resume(net, ticket, hello);
    // The ticket does not allow 0-RTT, so the client never offered it.
    expect(trace.some((l) => l.startsWith('sent 0rtt'))).toBe(false);
    expect(c.conn.resumed).toBe(true);
    expect(text(c.received.get(0)!)).toBe('Hello world');
  });
});

describe('early-data context and remembered limits', () => {
  const base = { ...DEFAULT_TRANSPORT_PARAMETERS, ...DEFAULT_LOCAL_PARAMETERS };

  it('changes with every parameter the client remembers, and only with those', () => {
    const ctx = earlyDataContext(base);
    expect(equalBytes(earlyDataContext({ ...base }), ctx)).toBe(true);
    for (const change of [
      { initialMaxData: base.initialMaxData + 1 },
      { initialMaxStreamsBidi: base.initialMaxStreamsBidi - 1 },
      { initialMaxStreamDataUni: 1 },
      { activeConnectionIdLimit: 2 },
      { maxIdleTimeout: 1000 },
      { maxDatagramFrameSize: 1200 },
    ])
      expect(equalBytes(earlyDataContext({ ...base, ...change }), ctx)).toBe(false);
    // Not remembered (RFC 9000 §7.4.1): ack_delay_exponent, max_ack_delay.
    expect(
      equalBytes(earlyDataContext({ ...base, maxAckDelay: 5, ackDelayExponent: 5 }), ctx),
    ).toBe(true);
  });

  it('names the first limit a server lowered', () => {
    expect(
      loweredLimit(base, { ...base, initialMaxData: base.initialMaxData + 1 }),
    ).toBeUndefined();
    expect(loweredLimit(base, { ...base, initialMaxStreamsUni: 1 })).toBe('initialMaxStreamsUni');
  });
});
