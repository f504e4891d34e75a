/** Hostile and unexpected input to servers and established associations, and per-peer session handling. */
import { SimNetwork } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DtlsClientEndpoint } from '../src/client-endpoint.js';
import { DtlsServer } from '../src/dtls-server.js';
import { encodeClientHello } from '../src/handshake/messages/client-hello.js';
import { encodeHandshakeMessage } from '../src/handshake/messages/handshake-header.js';
import { ContentType, DTLS1_2, decodeRecords, encodeRecord } from '../src/record/record.js';
import { CLIENT_ADDR, SERVER_ADDR } from './fixtures.js';
import { clientCert, serverCert, setup } from './sim-setup.js';

function clientHelloRecord(
  cookie: Uint8Array,
  extensions: { type: number; data: Uint8Array }[] = [],
): Uint8Array {
  const body = encodeClientHello({
    clientVersion: DTLS1_2,
    random: new Uint8Array(32).fill(7),
    sessionId: new Uint8Array(0),
    cookie,
    cipherSuites: [0xc02b],
    compressionMethods: Uint8Array.of(0),
    extensions,
  });
  return encodeRecord(ContentType.handshake, DTLS1_2, 0, 0, encodeHandshakeMessage(1, 0, body));
}

describe('hostile input to a server', () => {
  it('arbitrary datagrams never throw and never create per-peer state without a valid cookie (fast-check)', () => {
    const valid = clientHelloRecord(new Uint8Array(0));
    const mutated = fc
      .tuple(
        fc.nat(valid.length - 1),
        fc.integer({ min: 1, max: 255 }),
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
      )
      .map(([i, x, cookie]) => {
        const d = clientHelloRecord(cookie);
        d[i % d.length]! ^= x;
        return d;
      });
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 400 }), mutated, fc.constant(valid)), {
          maxLength: 10,
        }),
        (datagrams) => {
          const srv = new DtlsServer({ certificate: serverCert });
          let out = 0;
          for (const data of datagrams) {
            srv.receive({ data, remote: CLIENT_ADDR, local: SERVER_ADDR }, 0);
            for (let d = srv.poll(0); d !== undefined; d = srv.poll(0)) {
              out++;
              // Only HelloVerifyRequests leave, each smaller than what provoked it plus a cookie: no amplification.
              expect(d.data.length).toBeLessThanOrEqual(13 + 12 + 3 + 20);
            }
          }
          expect(srv.sessions.size).toBe(0);
          expect(out).toBeLessThanOrEqual(datagrams.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('arbitrary datagrams to connected peers are dropped without breaking the association (fast-check)', () => {
    const { net, cli, sessions } = setup(5);
    net.run({ until: 5_000 });
    const s = sessions[0]!.connection;
    expect(s.state).toBe('connected');
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(),
        fc.integer({ min: 20, max: 23 }),
        (junk, seq, type) => {
          // Raw junk, and well-formed epoch-1 records with garbage bodies (fail authentication).
          for (const data of [junk, encodeRecord(type, DTLS1_2, 1, seq, junk)]) {
            net.inject({ from: CLIENT_ADDR, to: SERVER_ADDR, data });
            net.inject({ from: SERVER_ADDR, to: CLIENT_ADDR, data });
          }
          net.run({ until: net.now + 1 });
          expect(s.state).toBe('connected');
          expect(cli.connection.state).toBe('connected');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a forged epoch-0 record with a far-ahead sequence number does not shut out the genuine ones', () => {
    const { net, cli, sessions } = setup(10, { retransmit: { initialMs: 100 } }, {}, (n) => {
      n.inject(
        {
          from: SERVER_ADDR,
          to: CLIENT_ADDR,
          data: encodeRecord(ContentType.handshake, DTLS1_2, 0, 2 ** 47, new Uint8Array(0)),
        },
        { at: 0 },
      );
    });
    net.run({ until: 2_000 });
    expect(cli.connection.state).toBe('connected');
    expect(sessions[0]!.connection.state).toBe('connected');
    expect(net.trace.filter((e) => e.kind === 'timeout').length).toBe(0); // nothing had to be resent
  });

  it('a replayed application-data record is delivered once (replay window, RFC 6347 §4.1.2.6)', () => {
    const { net, cli, sessions } = setup(9);
    net.run({ until: 2_000 });
    const s = sessions[0]!.connection;
    const got: string[] = [];
    s.on('data', (d) => got.push(new TextDecoder().decode(d)));
    let captured: Uint8Array | undefined;
    net.linkOneWay(CLIENT_ADDR, SERVER_ADDR, {
      delayMs: 10,
      drop: (d) => {
        captured ??= d.data.slice();
        return false;
      },
    });
    cli.connection.send(new TextEncoder().encode('once'));
    net.wake(cli);
    net.run({ until: net.now + 100 });
    expect(captured).toBeDefined();
    for (let i = 0; i < 3; i++) net.inject({ from: CLIENT_ADDR, to: SERVER_ADDR, data: captured! });
    net.run({ until: net.now + 100 });
    expect(got).toEqual(['once']);
    expect(s.state).toBe('connected');
  });

  it('negotiates DTLS 1.2 from a ClientHello that offers DTLS 1.3 first (Chromium)', () => {
    // supported_versions {DTLS 1.3 = 0xfefc, DTLS 1.2 = 0xfefd} (RFC 9147 §5.3), plus a key_share we ignore.
    const sv = { type: 43, data: Uint8Array.of(4, 0xfe, 0xfc, 0xfe, 0xfd) };
    const keyShare = { type: 51, data: Uint8Array.of(0, 4, 0, 29, 0, 0) };
    const groups = { type: 10, data: Uint8Array.of(0, 2, 0, 29) };
    const srv = new DtlsServer({ certificate: serverCert });
    srv.receive(
      {
        data: clientHelloRecord(new Uint8Array(0), [sv, keyShare, groups]),
        remote: CLIENT_ADDR,
        local: SERVER_ADDR,
      },
      0,
    );
    const hvr = srv.poll(0)!;
    const [rec] = decodeRecords(hvr.data);
    const cookie = rec!.fragment.subarray(12 + 3, 12 + 3 + rec!.fragment[12 + 2]!);
    srv.receive(
      {
        data: clientHelloRecord(cookie, [sv, keyShare, groups]),
        remote: CLIENT_ADDR,
        local: SERVER_ADDR,
      },
      1,
    );
    expect(srv.sessions.size).toBe(1);
    const flight = srv.poll(1)!;
    const sh = decodeRecords(flight.data)[0]!;
    // ServerHello: msg_type 2, server_version 0xfefd, and no supported_versions in its extensions.
    expect(sh.fragment[0]).toBe(2);
    expect((sh.fragment[12]! << 8) | sh.fragment[13]!).toBe(DTLS1_2);
    const conn = [...srv.sessions.values()][0]!.connection;
    expect(conn.state).toBe('handshaking');
    expect(conn.cipherSuite?.id).toBe(0xc02b);
  });
});

describe('per-peer sessions', () => {
  it('a restarted client at the same address gets a new session after the cookie exchange (RFC 6347 §4.2.8)', () => {
    const { net, cli, srv, sessions } = setup(6);
    net.run({ until: 2_000 });
    expect(cli.connection.state).toBe('connected');
    const first = sessions[0]!.connection;
    net.removeEndpoint(cli);
    const again = new DtlsClientEndpoint(SERVER_ADDR, { certificate: clientCert });
    net.addEndpoint(again, CLIENT_ADDR);
    net.run({ until: 4_000 });
    expect(again.connection.state).toBe('connected');
    expect(sessions).toHaveLength(2);
    expect(srv.sessions.size).toBe(1);
    expect([...srv.sessions.values()][0]!.connection).toBe(sessions[1]!.connection);
    expect(first.state).toBe('connected'); // replaced, not torn down by an unauthenticated packet
  });

  it('a client that restarts mid-handshake is served at once, not after the old session times out', () => {
    let blockFlight4 = true;
    const { net, srv, cli, sessions } = setup(11, {}, {}, (n) =>
      n.linkOneWay(SERVER_ADDR, CLIENT_ADDR, {
        delayMs: 10,
        drop: (d) => blockFlight4 && d.index > 1,
      }),
    );
    net.run({ until: 500 });
    expect(sessions).toHaveLength(1); // cookie exchange done, flight 4 lost
    expect(sessions[0]!.connection.state).toBe('handshaking');
    net.removeEndpoint(cli);
    blockFlight4 = false;
    const again = new DtlsClientEndpoint(SERVER_ADDR, { certificate: clientCert });
    net.addEndpoint(again, CLIENT_ADDR);
    net.run({ until: 800 });
    expect(again.connection.state).toBe('connected');
    expect(sessions).toHaveLength(2);
    expect([...srv.sessions.values()]).toEqual([sessions[1]]);
  });

  it('serves several clients at once, each with its own keys', () => {
    const net = new SimNetwork({ seed: 7, defaults: { delayMs: 3 } });
    const srv = new DtlsServer({ certificate: serverCert });
    net.addEndpoint(srv, SERVER_ADDR);
    const clients = Array.from({ length: 5 }, (_, i) => {
      const c = new DtlsClientEndpoint(SERVER_ADDR, {});
      net.addEndpoint(c, { address: '10.0.1.1', port: 6000 + i, family: 'IPv4' });
      return c;
    });
    net.run({ until: 3_000 });
    expect(clients.every((c) => c.connection.state === 'connected')).toBe(true);
    expect(srv.sessions.size).toBe(5);
    const exports = clients.map((c) =>
      Array.from(c.connection.exportKeyingMaterial('x', undefined, 8)).join(),
    );
    expect(new Set(exports).size).toBe(5);
  });
});
