/** Client and server state machines over the TCP record layer, in memory. */
import { certificateFingerprint, nodeProvider } from '@x/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlertDescription } from './alerts.js';
import { TlsConnection } from './connection.js';
import { collect, connectPair, pump, testIdentity, text } from './testing/pair.js';
import { type SessionTicket, TicketIssuer } from './tickets.js';

const enc = new TextEncoder();

describe('TLS 1.3 handshakes in memory', () => {
  for (const kind of ['P-256', 'P-384', 'ed25519'] as const) {
    it(`authenticates a ${kind} server certificate`, () => {
      const { client, server } = connectPair({}, {}, kind);
      expect(client.error).toBeUndefined();
      expect(server.handshakeComplete).toBe(true);
      expect(client.peerCertificates[0]!.publicKey.kind).toBe(
        kind === 'ed25519' ? 'ed25519' : 'ec',
      );
    });
  }

  for (const group of ['x25519', 'secp256r1', 'secp384r1', 'X25519MLKEM768']) {
    for (const suite of [
      'TLS_AES_128_GCM_SHA256',
      'TLS_AES_256_GCM_SHA384',
      'TLS_CHACHA20_POLY1305_SHA256',
    ]) {
      it(`negotiates ${suite} with ${group}`, () => {
        const { client, server, serverGot } = connectPair(
          { cipherSuites: [suite], groups: [group] },
          { groups: ['x25519', 'secp256r1', 'secp384r1', 'X25519MLKEM768'] },
        );
        expect(client.error).toBeUndefined();
        expect([client.cipherSuite, client.group]).toEqual([suite, group]);
        expect([server.cipherSuite, server.group]).toEqual([suite, group]);
        client.write(enc.encode('x'.repeat(40000)));
        pump(client, server);
        expect(text(serverGot.data)).toBe('x'.repeat(40000));
      });
    }
  }

  it('sends and answers a HelloRetryRequest for a group', () => {
    const { client, server } = connectPair(
      { groups: ['x25519', 'secp384r1'] },
      { groups: ['secp384r1'] },
    );
    expect(client.error).toBeUndefined();
    expect(client.helloRetry && server.helloRetry).toBe(true);
    expect(client.group).toBe('secp384r1');
  });

  it('sends and answers a HelloRetryRequest with a cookie', () => {
    const { client, server } = connectPair({}, { alwaysHelloRetry: true });
    expect(client.error).toBeUndefined();
    expect(server.handshakeComplete).toBe(true);
    expect(client.helloRetry).toBe(true);
  });

  it('ends with no_application_protocol when ALPN has nothing in common', () => {
    const { client, server } = connectPair({ alpnProtocols: ['a'] }, { alpnProtocols: ['b'] });
    expect(server.error?.alert).toBe(AlertDescription.no_application_protocol);
    expect(client.error?.alert).toBe(AlertDescription.no_application_protocol);
    expect(client.error?.fromPeer).toBe(true);
  });

  it('sends SNI and the server sees it', () => {
    const { server } = connectPair({ serverName: 'localhost' });
    expect(server.serverName).toBe('localhost');
  });

  it('rejects a certificate for another host with bad_certificate', () => {
    const { client, server } = connectPair({ serverName: 'example.com' });
    expect(client.error?.alert).toBe(AlertDescription.bad_certificate);
    expect(server.error?.alert).toBe(AlertDescription.bad_certificate);
    expect(server.error?.fromPeer).toBe(true);
  });

  it('accepts a pinned fingerprint instead of a chain, and refuses a wrong one', () => {
    const id = testIdentity('P-256');
    const fp = certificateFingerprint(nodeProvider, id.der);
    const ok = connectPair({ trustAnchors: [], pinnedFingerprints: [`sha-256 ${fp}`] });
    expect(ok.client.error).toBeUndefined();
    const bad = connectPair({
      trustAnchors: [],
      pinnedFingerprints: [fp.replace(/^../, fp.startsWith('00') ? '11' : '00')],
    });
    expect(bad.client.error?.alert).toBe(AlertDescription.bad_certificate);
  });

  it('authenticates the client when asked (and certificate_required without one)', () => {
    const cid = testIdentity('ed25519');
    const { server } = connectPair(
      { certificateChain: [cid.der], privateKey: cid.privateKey },
      { requestClientCertificate: 'require', trustAnchors: [cid.certificate] },
    );
    expect(server.error).toBeUndefined();
    expect(server.peerCertificates[0]!.publicKey.kind).toBe('ed25519');
    const none = connectPair(
      {},
      { requestClientCertificate: 'require', trustAnchors: [cid.certificate] },
    );
    expect(none.server.error?.alert).toBe(AlertDescription.certificate_required);
  });

  it('KeyUpdate: unrequested and requested, data still flows both ways', () => {
    const { client, server, clientGot, serverGot } = connectPair();
    client.keyUpdate(false);
    client.write(enc.encode('a'));
    pump(client, server);
    server.keyUpdate(true);
    server.write(enc.encode('b'));
    pump(client, server);
    client.write(enc.encode('c'));
    pump(client, server);
    expect(client.error ?? server.error).toBeUndefined();
    expect(text(serverGot.data)).toBe('ac');
    expect(text(clientGot.data)).toBe('b');
    expect(client.engine.cx.generation).toEqual({ client: 2, server: 1 });
    expect(server.engine.cx.generation).toEqual({ client: 2, server: 1 });
  });

  it('close_notify ends the peer stream', () => {
    const { client, server, serverGot } = connectPair();
    client.write(enc.encode('bye'));
    client.close();
    pump(client, server);
    expect(text(serverGot.data)).toBe('bye');
    expect(serverGot.closed).toBe(true);
    expect(server.peerClosed).toBe(true);
  });
});

describe('TCP record framing', () => {
  it('reassembles records split at any points, including inside headers', () => {
    const id = testIdentity('P-256');
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 30 }),
        (sizes) => {
          const s = collect();
          const server = TlsConnection.server(
            { certificateChain: [id.der], privateKey: id.privateKey },
            s.handlers,
          );
          const client = TlsConnection.client({
            serverName: 'localhost',
            trustAnchors: [id.certificate],
          });
          const now = Date.now();
          client.start(now);
          const feed = (bytes: Uint8Array, to: TlsConnection) => {
            let off = 0;
            for (let i = 0; off < bytes.length; i++) {
              const n = sizes[i % sizes.length]!;
              to.receive(bytes.subarray(off, off + n), now);
              off += n;
            }
          };
          feed(client.takeOutput()!, server);
          client.receive(server.takeOutput()!, now);
          client.write(enc.encode('y'.repeat(20000)));
          client.write(new Uint8Array(0));
          client.write(enc.encode('z'));
          feed(client.takeOutput()!, server);
          expect(server.error).toBeUndefined();
          expect(text(s.got.data)).toBe(`${'y'.repeat(20000)}z`);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('resumption and 0-RTT over TCP', () => {
  function firstConnection(issuer: TicketIssuer, maxEarlyData = 0) {
    const tickets: SessionTicket[] = [];
    const pair = connectPair(
      { onSessionTicket: (t) => tickets.push(t) },
      { tickets: issuer, maxEarlyData },
    );
    expect(pair.client.error).toBeUndefined();
    expect(tickets.length).toBe(2);
    return tickets;
  }

  it('resumes with a ticket (PSK with ECDHE); each ticket is single-use', () => {
    const issuer = new TicketIssuer(nodeProvider);
    const [ticket] = firstConnection(issuer);
    const second = connectPair({ session: ticket }, { tickets: issuer });
    expect(second.client.error).toBeUndefined();
    expect(second.client.resumed && second.server.resumed).toBe(true);
    expect(second.client.peerCertificates.length).toBe(0);
    const third = connectPair({ session: ticket }, { tickets: issuer });
    expect(third.client.error).toBeUndefined();
    expect(third.client.resumed).toBe(false);
  });

  it('sends 0-RTT data the server accepts once', () => {
    const issuer = new TicketIssuer(nodeProvider);
    const [ticket] = firstConnection(issuer, 16384);
    const id = testIdentity('P-256');
    const s = collect();
    const server = TlsConnection.server(
      {
        certificateChain: [id.der],
        privateKey: id.privateKey,
        tickets: issuer,
        maxEarlyData: 16384,
      },
      s.handlers,
    );
    const client = TlsConnection.client({
      serverName: 'localhost',
      trustAnchors: [id.certificate],
      session: ticket,
      earlyData: true,
    });
    client.start(Date.now());
    client.write(enc.encode('early'));
    pump(client, server);
    expect(client.error ?? server.error).toBeUndefined();
    expect(client.earlyDataAccepted && server.earlyDataAccepted).toBe(true);
    client.write(enc.encode('+late'));
    pump(client, server);
    expect(text(s.got.data)).toBe('early+late');
  });

  it('refuses 0-RTT with a ticket issued under another earlyDataContext, and still resumes', () => {
    const issuer = new TicketIssuer(nodeProvider);
    const under = (context: number) => ({
      tickets: issuer,
      maxEarlyData: 16384,
      earlyDataContext: Uint8Array.of(context),
    });
    const tickets: SessionTicket[] = [];
    connectPair({ onSessionTicket: (t) => tickets.push(t) }, under(1));
    expect(tickets.length).toBe(2);
    const same = connectPair({ session: tickets[0], earlyData: true }, under(1));
    expect(same.client.error).toBeUndefined();
    expect(same.client.earlyDataAccepted).toBe(true);
    const other = connectPair({ session: tickets[1], earlyData: true }, under(2));
    expect(other.client.error).toBeUndefined();
    expect(other.client.resumed).toBe(true);
    expect(other.client.earlyDataAccepted).toBe(false);
  });

  it('refuses 0-RTT when the ticket age the client gives is 60 s off ours (RFC 8446 §8.3), and still resumes', () => {
    const issuer = new TicketIssuer(nodeProvider);
    const [fresh, stale] = firstConnection(issuer, 16384);
    const ok = connectPair(
      { session: fresh, earlyData: true },
      { tickets: issuer, maxEarlyData: 16384 },
    );
    expect(ok.client.earlyDataAccepted).toBe(true);
    // A client whose ticket claims to be a minute older than the server knows it is.
    const skewed = { ...stale!, receivedAt: stale!.receivedAt - 60_000 };
    const late = connectPair(
      { session: skewed, earlyData: true },
      { tickets: issuer, maxEarlyData: 16384 },
    );
    expect(late.client.error).toBeUndefined();
    expect(late.client.resumed).toBe(true);
    expect(late.client.earlyDataAccepted).toBe(false);
  });

  it('after a HelloRetryRequest the 0-RTT attempt is dropped and the data goes again as 1-RTT', () => {
    const issuer = new TicketIssuer(nodeProvider);
    const [ticket] = firstConnection(issuer, 16384);
    const id = testIdentity('P-256');
    const s = collect();
    const server = TlsConnection.server(
      {
        certificateChain: [id.der],
        privateKey: id.privateKey,
        tickets: issuer,
        maxEarlyData: 16384,
        groups: ['secp256r1'],
      },
      s.handlers,
    );
    const client = TlsConnection.client({
      serverName: 'localhost',
      trustAnchors: [id.certificate],
      session: ticket,
      earlyData: true,
      groups: ['x25519', 'secp256r1'],
    });
    client.start(Date.now());
    client.write(enc.encode('early'));
    pump(client, server);
    expect(client.error ?? server.error).toBeUndefined();
    expect(client.helloRetry).toBe(true);
    expect(client.earlyDataAccepted).toBe(false);
    expect(client.resumed).toBe(true);
    expect(text(s.got.data)).toBe('early');
  });

  it('a server that refuses 0-RTT skips it, and the client sends the data again after the handshake', () => {
    const issuer = new TicketIssuer(nodeProvider);
    const [ticket] = firstConnection(issuer, 16384);
    const id = testIdentity('P-256');
    const s = collect();
    const server = TlsConnection.server(
      { certificateChain: [id.der], privateKey: id.privateKey, tickets: issuer, maxEarlyData: 0 },
      s.handlers,
    );
    const client = TlsConnection.client({
      serverName: 'localhost',
      trustAnchors: [id.certificate],
      session: ticket,
      earlyData: true,
    });
    client.start(Date.now());
    client.write(enc.encode('early'));
    pump(client, server);
    expect(client.error ?? server.error).toBeUndefined();
    expect(client.earlyDataAccepted).toBe(false);
    expect(client.resumed).toBe(true);
    expect(text(s.got.data)).toBe('early');
  });
});
