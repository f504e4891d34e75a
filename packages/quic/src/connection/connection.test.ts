import { nodeProvider } from '@x/crypto';
import { TicketIssuer } from '@x/tls13';
import type { DatagramEndpoint, IncomingDatagram, OutgoingDatagram } from '@x/wire';
import { equalBytes } from '@x/wire';
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
  testCertificate,
} from '../endpoint/test-support/harness.js';
import { parsePacketHeader } from '../packet/header.js';
import { encodeRetry } from '../packet/retry.js';
import { encodeVersionNegotiation } from '../packet/version-negotiation.js';
import { Connection } from './connection.js';

const hello = new TextEncoder().encode('Hello world');

function pattern(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7 + 3) & 0xff;
  return out;
}

/** Wraps an endpoint to count the UDP payload bytes it receives and sends. */
function counting(inner: DatagramEndpoint) {
  const counts = { received: 0, sent: 0 };
  const wrapped: DatagramEndpoint = {
    receive(d: IncomingDatagram, now: number) {
      counts.received += d.data.length;
      inner.receive(d, now);
    },
    poll(now: number): OutgoingDatagram | undefined {
      const out = inner.poll(now);
      if (out) counts.sent += out.data.length;
      return out;
    },
    nextDeadline: () => inner.nextDeadline(),
    handleTimeout: (now: number) => inner.handleTimeout(now),
  };
  return { wrapped, counts };
}

describe('Connection behaviours (SimNetwork)', () => {
  it('Retry: the server answers the first Initial with a Retry, the client restarts with its token', () => {
    const net = network(11);
    const serverLines: string[] = [];
    const server = serverEndpoint({ retry: true }, { trace: (l) => serverLines.push(l) });
    const client = clientEndpoint();
    net.addEndpoint(server, SERVER);
    net.addEndpoint(client, CLIENT);
    const lines: string[] = [];
    const c = echoClient(net, client, hello, 1, { trace: (l) => lines.push(l) });
    runUntil(net, () => c.finished.size === 1, 5000);
    expect(server.stats.retriesSent).toBe(1);
    expect(lines.some((l) => l.startsWith('recv retry') && l.includes('integrity tag ok'))).toBe(
      true,
    );
    // Both traces show the same Retry token.
    const sentToken = /^sent retry .* token=([0-9a-f]+)/m.exec(serverLines.join('\n'))?.[1];
    expect(sentToken).toBeDefined();
    expect(lines.some((l) => l.startsWith('recv retry') && l.includes(`token=${sentToken}`))).toBe(
      true,
    );
    const [id] = [...c.received.keys()];
    expect(new TextDecoder().decode(concat(c.received.get(id!)!))).toBe('Hello world');
    expect(server.connections[0]!.addressValidated).toBe(true);
  });

  it('a forged Retry (integrity tag over another original DCID) is ignored', () => {
    const lines: string[] = [];
    const conn = Connection.client(
      { alpnProtocols: ['x'], insecureSkipVerify: true, trace: (l) => lines.push(l) },
      SERVER,
      0,
    );
    const first = conn.send(0)!.datagram;
    const h = parsePacketHeader(first, 0, 8);
    const forged = encodeRetry(nodeProvider, {
      dcid: h.scid,
      scid: nodeProvider.randomBytes(8),
      token: new Uint8Array([1, 2, 3]),
      originalDcid: nodeProvider.randomBytes(8),
    });
    conn.recv(forged, { from: SERVER, to: CLIENT }, 1);
    expect(lines.some((l) => l.startsWith('recv retry'))).toBe(false);
    expect(equalBytes(conn.destinationCid, h.dcid)).toBe(true);
    // The genuine tag is accepted.
    const genuine = encodeRetry(nodeProvider, {
      dcid: h.scid,
      scid: nodeProvider.randomBytes(8),
      token: new Uint8Array([1, 2, 3]),
      originalDcid: h.dcid,
    });
    conn.recv(genuine, { from: SERVER, to: CLIENT }, 2);
    expect(lines.some((l) => l.startsWith('recv retry'))).toBe(true);
    const again = parsePacketHeader(conn.send(3)!.datagram, 0, 8);
    expect(again.type).toBe('initial');
    expect([...again.token]).toEqual([1, 2, 3]);
  });

  it('anti-amplification: before validation the server never sends more than 3x what it received', () => {
    const net = network(13);
    const cert = testCertificate();
    // A large certificate flight (about 4 x the certificate) cannot fit in 3 x 1200 bytes.
    const server = serverEndpoint({
      certificateChain: [cert.der, cert.der, cert.der, cert.der, cert.der, cert.der],
    });
    const { wrapped, counts } = counting(server);
    const client = clientEndpoint();
    net.addEndpoint(wrapped, SERVER);
    net.addEndpoint(client, CLIENT);
    // Only the client's first datagram ever arrives.
    net.linkOneWay(CLIENT, SERVER, { drop: (d) => d.index > 1 });
    echoClient(net, client, hello);
    net.run({ until: 20_000 });
    expect(counts.received).toBeGreaterThanOrEqual(1200);
    expect(counts.sent).toBeGreaterThan(0);
    expect(counts.sent).toBeLessThanOrEqual(3 * counts.received);
  });

  it('PTO: the handshake completes although the first flights in both directions are lost', () => {
    const net = network(30);
    const server = serverEndpoint();
    const client = clientEndpoint();
    net.addEndpoint(server, SERVER);
    net.addEndpoint(client, CLIENT);
    net.linkOneWay(CLIENT, SERVER, { drop: (d) => d.index <= 2 });
    net.linkOneWay(SERVER, CLIENT, { drop: (d) => d.index <= 2 });
    const lines: string[] = [];
    const c = echoClient(net, client, hello, 1, { trace: (l) => lines.push(l) });
    runUntil(net, () => c.finished.size === 1, 20_000);
    expect(c.finished.size).toBe(1);
    // The client's ClientHello went out three times (twice lost), from offset 0 each time.
    expect(
      lines.filter((l) => l.startsWith('sent initial') && l.includes('CRYPTO(off=0 ')).length,
    ).toBeGreaterThanOrEqual(3);
    expect(c.conn.stats.ptoCount).toBeGreaterThan(0);
  });

  it('a connection whose peer vanishes ends by idle timeout', () => {
    const net = network(14);
    const server = serverEndpoint({ transportParameters: { maxIdleTimeout: 5000 } });
    const client = clientEndpoint();
    net.addEndpoint(server, SERVER);
    net.addEndpoint(client, CLIENT);
    const c = echoClient(net, client, hello);
    runUntil(net, () => c.finished.size === 1, 5000);
    const conn = server.connections[0]!;
    expect(conn.isEstablished).toBe(true);
    const closedAt = net.now;
    net.removeEndpoint(client);
    runUntil(net, () => server.connections.length === 0, 60_000);
    expect(conn.closeReason?.by).toBe('idle-timeout');
    expect(server.connections.length).toBe(0);
    // The 5 s idle timeout (not the client's 30 s) decided it.
    expect(net.now - closedAt).toBeGreaterThanOrEqual(5000);
    expect(net.now - closedAt).toBeLessThan(7000);
  });

  it('key update: initiated by the client every 40 packets and answered by the server; data intact', () => {
    const net = network(15, { loss: 0.02 });
    const server = serverEndpoint();
    const client = clientEndpoint();
    net.addEndpoint(server, SERVER);
    net.addEndpoint(client, CLIENT);
    const payload = pattern(200_000);
    const c = echoClient(net, client, payload, 1, { keyUpdateInterval: 40 });
    runUntil(net, () => c.finished.size === 1, 30_000);
    const [id] = [...c.received.keys()];
    expect(equalBytes(concat(c.received.get(id!)!), payload)).toBe(true);
    expect(c.conn.keyUpdates).toBeGreaterThan(1);
    expect(server.connections[0]!.keyUpdates).toBeGreaterThan(1);
  });

  it('the trace shows the key phase each 1-RTT packet carried, not the one we write with', () => {
    const net = network(19);
    const server = serverEndpoint();
    const client = clientEndpoint();
    net.addEndpoint(server, SERVER);
    net.addEndpoint(client, CLIENT);
    const lines: string[] = [];
    const c = echoClient(net, client, pattern(100_000), 1, {
      keyUpdateInterval: 40,
      trace: (l) => lines.push(l),
    });
    runUntil(net, () => c.finished.size === 1, 30_000);
    const phase = (l: string) => l.match(/ kp=(\d)/)?.[1];
    const firstUpdate = lines.findIndex((l) => l.startsWith('sent') && phase(l) === '1');
    const nextUpdate = lines.findIndex(
      (l, i) => i > firstUpdate && l.startsWith('sent') && phase(l) === '0',
    );
    expect(firstUpdate).toBeGreaterThan(0);
    // Until the server sees our update, what it had in flight still arrives in phase 0.
    const window = lines
      .slice(firstUpdate, nextUpdate < 0 ? undefined : nextUpdate)
      .filter((l) => l.startsWith('recv'));
    expect(window.map(phase)).toContain('0');
    expect(window.map(phase)).toContain('1');
  });

  it('CUBIC can be selected and transfers data', () => {
    const net = network(16, { loss: 0.01 });
    const server = serverEndpoint({ congestionControl: 'cubic' });
    const client = clientEndpoint();
    net.addEndpoint(server, SERVER);
    net.addEndpoint(client, CLIENT);
    const payload = pattern(300_000);
    const c = echoClient(net, client, payload, 1, { congestionControl: 'cubic' });
    runUntil(net, () => c.finished.size === 1, 30_000);
    const [id] = [...c.received.keys()];
    expect(equalBytes(concat(c.received.get(id!)!), payload)).toBe(true);
  });

  it('NEW_CONNECTION_ID up to the peer limit, HANDSHAKE_DONE and NEW_TOKEN appear in the trace', () => {
    const net = network(17);
    const server = serverEndpoint();
    const client = clientEndpoint();
    net.addEndpoint(server, SERVER);
    net.addEndpoint(client, CLIENT);
    const lines: string[] = [];
    const c = echoClient(net, client, hello, 1, { trace: (l) => lines.push(l) });
    runUntil(net, () => c.finished.size === 1, 5000);
    const received = lines.filter((l) => l.startsWith('recv'));
    expect(received.some((l) => l.includes('HANDSHAKE_DONE'))).toBe(true);
    expect(received.some((l) => l.includes('NEW_TOKEN'))).toBe(true);
    // Our limit is 4: the server holds sequence 0 and issues 1..3.
    expect(
      received
        .filter((l) => l.includes('NEW_CONNECTION_ID'))
        .join(' ')
        .match(/seq=/g)?.length,
    ).toBe(3);
    expect(c.conn.localConnectionIds.length).toBe(4);
  });

  it('stateless reset: a restarted server with the same key resets the client', () => {
    const net = network(18);
    const key = nodeProvider.randomBytes(32);
    const server = serverEndpoint({}, { statelessResetKey: key });
    const client = clientEndpoint();
    net.addEndpoint(server, SERVER);
    net.addEndpoint(client, CLIENT);
    const c = echoClient(net, client, hello);
    runUntil(net, () => c.finished.size === 1, 5000);
    net.removeEndpoint(server);
    const restarted = serverEndpoint({}, { statelessResetKey: key });
    net.addEndpoint(restarted, SERVER);
    const id = c.conn.openStream()!;
    c.conn.streamWrite(id, pattern(100), true);
    net.wake(client);
    net.run({ until: net.now + 2000 });
    expect(restarted.stats.statelessResetsSent).toBeGreaterThan(0);
    expect(c.conn.closeReason?.by).toBe('stateless-reset');
  });

  it('version negotiation: the server answers an unknown version; a client offered no v1 gives up', () => {
    const net = network(19);
    const server = serverEndpoint();
    net.addEndpoint(server, SERVER);
    const datagram = new Uint8Array(1200);
    datagram.set([
      0xc0, 0x0a, 0x0a, 0x0a, 0x0a, 8, 1, 2, 3, 4, 5, 6, 7, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9,
    ]);
    const got: Uint8Array[] = [];
    net.addEndpoint(
      {
        receive: (d) => got.push(d.data),
        poll: () => undefined,
        nextDeadline: () => undefined,
        handleTimeout: () => {},
      },
      CLIENT,
    );
    net.inject({ from: CLIENT, to: SERVER, data: datagram });
    net.run({ until: 1000 });
    expect(server.stats.versionNegotiationsSent).toBe(1);
    const vn = parsePacketHeader(got[0]!, 0, 8);
    expect(vn.type).toBe('version-negotiation');
    expect(equalBytes(vn.dcid, datagram.subarray(15, 23))).toBe(true);

    // A "server" that only speaks another version.
    const net2 = network(20);
    const client = clientEndpoint();
    net2.addEndpoint(client, CLIENT);
    const answers: OutgoingDatagram[] = [];
    net2.addEndpoint(
      {
        receive: (d) => {
          const h = parsePacketHeader(d.data, 0, 8);
          answers.push({
            remote: d.remote,
            data: encodeVersionNegotiation({
              dcid: h.scid,
              scid: h.dcid,
              supportedVersions: [0xff00001d],
            }),
          });
        },
        poll: () => answers.shift(),
        nextDeadline: () => undefined,
        handleTimeout: () => {},
      },
      SERVER,
    );
    const c = echoClient(net2, client, hello);
    net2.run({ until: 2000 });
    expect(c.conn.closeReason?.by).toBe('version-negotiation');
  });
});

describe('session resumption (RFC 9001 §4.5, RFC 8446 §2.2)', () => {
  it('a ticket from one connection resumes the next: PSK accepted, no certificate sent', () => {
    const net = network(31);
    const server = serverEndpoint({ tickets: new TicketIssuer(nodeProvider, { count: 1 }) });
    net.addEndpoint(server, SERVER);
    const first = clientEndpoint();
    net.addEndpoint(first, CLIENT);
    const a = echoClient(net, first, hello);
    runUntil(net, () => a.finished.size === 1 && a.tickets.length === 1, 5000);
    expect(a.conn.resumed).toBe(false);
    const ticket = a.tickets[0]!;
    expect(ticket.alpn).toBe('quic-echo-example');

    const second = clientEndpoint();
    const address = { address: '10.0.0.3', port: 50001, family: 'IPv4' as const };
    net.addEndpoint(second, address);
    const flight: string[] = [];
    const b = echoClient(net, second, hello, 1, {
      session: ticket,
      trace: (line) => flight.push(line),
    });
    runUntil(net, () => b.finished.size === 1, 5000);
    expect(b.conn.resumed).toBe(true);
    expect(new TextDecoder().decode(concat(b.received.get(0)!))).toBe('Hello world');
    // Without a Certificate and CertificateVerify the server's Handshake flight
    // is just EncryptedExtensions + Finished: far smaller than the full one.
    const handshakeCrypto = (lines: string[]) =>
      lines
        .filter((l) => l.startsWith('recv handshake'))
        .flatMap((l) => [...l.matchAll(/CRYPTO\(off=\d+ len=(\d+)\)/g)].map((m) => Number(m[1])))
        .reduce((x, y) => x + y, 0);
    expect(handshakeCrypto(flight)).toBeGreaterThan(0);
    expect(handshakeCrypto(flight)).toBeLessThan(200);
  });

  it('a ticket the server cannot open falls back to a full handshake', () => {
    const net = network(32);
    const issuerA = new TicketIssuer(nodeProvider);
    const serverA = serverEndpoint({ tickets: issuerA });
    net.addEndpoint(serverA, SERVER);
    const first = clientEndpoint();
    net.addEndpoint(first, CLIENT);
    const a = echoClient(net, first, hello);
    runUntil(net, () => a.finished.size === 1 && a.tickets.length > 0, 5000);
    // The server restarts with a new ticket key: the old ticket is junk to it.
    net.removeEndpoint(serverA);
    net.addEndpoint(serverEndpoint({ tickets: new TicketIssuer(nodeProvider) }), SERVER);
    const second = clientEndpoint();
    net.addEndpoint(second, { address: '10.0.0.4', port: 50002, family: 'IPv4' });
    const b = echoClient(net, second, hello, 1, { session: a.tickets[0]! });
    runUntil(net, () => b.finished.size === 1, 5000);
    expect(b.conn.resumed).toBe(false);
    expect(new TextDecoder().decode(concat(b.received.get(0)!))).toBe('Hello world');
  });
});
