/**
 * A server that accepted 0-RTT, fed 0-RTT packets it can open (sealed with the
 * client's early keys from the key log) whose payload is arbitrary bytes: the
 * frame decoder and the 0-RTT permission table see everything; the only
 * outcomes allowed are a QUIC error closing that connection (or the close a
 * payload's own CONNECTION_CLOSE asks for), never a throw.
 */
import { getCipherSuite, nodeProvider } from '@x/crypto';
import { TicketIssuer } from '@x/tls13';
import { fromHex, Writer } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Connection } from '../connection/connection.js';
import { QUIC_V1, writeLongHeader } from '../packet/header.js';
import { PacketProtection } from '../packet/protection.js';
import {
  ALPN,
  CLIENT,
  clientEndpoint,
  echoClient,
  network,
  runUntil,
  SERVER,
  serverEndpoint,
} from './test-support/harness.js';

function zeroRttSetup() {
  // One ticket per connection the property needs (they are single-use).
  const issuer = new TicketIssuer(nodeProvider, { count: 80 });
  const net = network(81);
  net.addEndpoint(serverEndpoint({ tickets: issuer, earlyData: true }), SERVER);
  const ep = clientEndpoint();
  net.addEndpoint(ep, CLIENT);
  const first = echoClient(net, ep, Uint8Array.of(1));
  runUntil(net, () => first.tickets.length === 80, 5000);
  return { issuer, tickets: first.tickets };
}

describe('a server in 0-RTT on arbitrary 0-RTT payloads', () => {
  const { issuer, tickets } = zeroRttSetup();
  let next = 0;

  /** A server endpoint whose connection accepted 0-RTT from a fresh client, and a sealer for its 0-RTT packets. */
  function accepted() {
    const keyLog: string[] = [];
    const client = Connection.client(
      {
        alpnProtocols: [ALPN],
        insecureSkipVerify: true,
        session: tickets[next++]!,
        earlyData: true,
        keyLog: (l) => keyLog.push(l),
      },
      SERVER,
      0,
    );
    expect(client.isInEarlyData).toBe(true);
    const server = serverEndpoint({ tickets: issuer, earlyData: true });
    server.receive({ data: client.send(0)!.datagram, remote: CLIENT, local: SERVER }, 0);
    while (server.poll(0)) {}
    expect(server.connections[0]?.earlyDataAccepted).toBe(true);
    const secret = keyLog.find((l) => l.startsWith('CLIENT_EARLY_TRAFFIC_SECRET '))!.split(' ')[2]!;
    const keys = PacketProtection.fromSecret(
      nodeProvider,
      getCipherSuite('tls13', 0x1301)!,
      fromHex(secret),
    );
    let pn = 100;
    const seal = (payload: Uint8Array): Uint8Array => {
      const w = new Writer(64);
      const header = {
        type: '0rtt' as const,
        version: QUIC_V1,
        dcid: client.destinationCid,
        scid: client.sourceCid,
      };
      const pnOffset = writeLongHeader(w, header, pn & 0xffffffff, 4, payload.length + 16);
      return keys.protect(w.finish(), pnOffset, pn++, payload);
    };
    return { server, seal };
  }

  it('a sealed PING is opened and processed (the property below is not vacuous)', () => {
    const { server, seal } = accepted();
    const conn = server.connections[0]!;
    const before = conn.stats.packetsReceived;
    // PING then PADDING up to the header-protection sample size.
    server.receive(
      { data: seal(Uint8Array.of(0x01, ...new Uint8Array(20))), remote: CLIENT, local: SERVER },
      1,
    );
    expect(conn.stats.packetsReceived).toBe(before + 1);
    expect(conn.isClosing).toBe(false);
  });

  it('arbitrary payloads only ever close the connection with a QUIC error', () => {
    let current = accepted();
    let closed = 0;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 300 }), (payload) => {
        // Most payloads end the connection: each run gets a fresh one that accepted 0-RTT.
        if (current.server.connections[0]?.isClosing !== false) current = accepted();
        const { server, seal } = current;
        server.receive({ data: seal(payload), remote: CLIENT, local: SERVER }, 1);
        while (server.poll(1)) {}
        server.handleTimeout(2);
        expect(server.stats.internalErrors).toBe(0);
        const reason = server.connections[0]?.closeReason;
        if (reason !== undefined) {
          closed++;
          // Ours: a transport error. Or the payload held a CONNECTION_CLOSE (0x1c/0x1d).
          if (reason.by === 'local') expect(reason.application).toBe(false);
          else expect(reason.by).toBe('peer');
        }
      }),
      // No shrinking: each step needs a fresh single-use ticket, and there are 80.
      { numRuns: 70, endOnFailure: true },
    );
    expect(closed).toBeGreaterThan(0);
  });
});
