import { nodeProvider } from '@x/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Connection } from '../connection/connection.js';
import { ALPN, CLIENT, SERVER, serverEndpoint } from './test-support/harness.js';

/** A genuine client Initial datagram (ClientHello, padded to 1200 bytes). */
function clientInitial(): Uint8Array {
  const conn = Connection.client(
    { alpnProtocols: [ALPN], insecureSkipVerify: true, provider: nodeProvider },
    SERVER,
    0,
  );
  return conn.send(0)!.datagram;
}

describe('server Endpoint on arbitrary datagrams', () => {
  const initial = clientInitial();

  it('a genuine Initial creates exactly one connection (the property below is not vacuous)', () => {
    const server = serverEndpoint();
    server.receive({ data: initial, remote: CLIENT, local: SERVER }, 0);
    expect(server.connections.length).toBe(1);
    expect(server.poll(0)).toBeDefined();
  });

  it('random bytes never throw and never create connection state', () => {
    const server = serverEndpoint();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 1500 }), (data) => {
        server.receive({ data, remote: CLIENT, local: SERVER }, 0);
        while (server.poll(0)) {}
        server.handleTimeout(1);
        expect(server.connections.length).toBe(0);
        expect(server.stats.internalErrors).toBe(0);
      }),
      { numRuns: 400 },
    );
  });

  it('mutated and truncated genuine Initials never throw and never create state', () => {
    const server = serverEndpoint();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(initial.length - 1), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.integer({ min: 0, max: initial.length }),
        fc.boolean(),
        (flips, cut, truncate) => {
          const data = initial.slice(0, truncate ? cut : initial.length);
          for (const [at, x] of flips) if (at < data.length) data[at] = data[at]! ^ x;
          if (data.length === initial.length && data.every((b, i) => b === initial[i])) return;
          server.receive({ data, remote: CLIENT, local: SERVER }, 0);
          while (server.poll(0)) {}
          // A flip in the unprotected header or the token region may still authenticate
          // only if nothing changed; AEAD and header protection make every other change fail.
          expect(server.connections.length).toBe(0);
          expect(server.stats.internalErrors).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
