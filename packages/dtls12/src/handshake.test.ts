import { certificateFingerprint, defaultProvider, getCipherSuite, nobleProvider } from '@x/crypto';
import { SimNetwork } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { CLIENT_ADDR, makeCertificate, SERVER_ADDR } from '../test/fixtures.js';
import { DtlsClientEndpoint } from './client-endpoint.js';
import type { DtlsOptions } from './config.js';
import { DtlsServer, type DtlsSession } from './dtls-server.js';

const serverCert = makeCertificate('P-256');
const clientCert = makeCertificate('P-256');

function pair(
  client: DtlsOptions,
  server: Omit<DtlsOptions, 'certificate'> & { certificate?: DtlsOptions['certificate'] } = {},
) {
  const net = new SimNetwork({ seed: 1, defaults: { delayMs: 5 } });
  const srv = new DtlsServer({ certificate: serverCert, ...server });
  const sessions: DtlsSession[] = [];
  srv.onSession((s) => sessions.push(s));
  const cli = new DtlsClientEndpoint(SERVER_ADDR, client);
  net.addEndpoint(srv, SERVER_ADDR);
  net.addEndpoint(cli, CLIENT_ADDR);
  return { net, srv, cli, sessions };
}

describe('DTLS 1.2 handshake, ours to ours', () => {
  it('completes with the default suite, x25519, EMS and SRTP_AEAD_AES_128_GCM, exporters equal', () => {
    const { net, cli, sessions } = pair(
      {
        certificate: clientCert,
        fingerprint: certificateFingerprint(defaultProvider, serverCert.der),
      },
      {
        requestClientCertificate: true,
        fingerprint: certificateFingerprint(defaultProvider, clientCert.der),
      },
    );
    net.run({ until: 5_000 });
    const c = cli.connection;
    expect(c.error).toBeUndefined();
    expect(c.state).toBe('connected');
    const s = sessions[0]!.connection;
    expect(s.state).toBe('connected');
    expect(c.cipherSuite?.name).toBe('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
    expect(c.group).toBe('x25519');
    expect(c.srtpProfileName).toBe('SRTP_AEAD_AES_128_GCM');
    expect(c.extendedMasterSecret).toBe(true);
    expect(s.peerCertificates[0]).toEqual(clientCert.der);
    const a = c.exportKeyingMaterial('EXTRACTOR-dtls_srtp', undefined, 56);
    const b = s.exportKeyingMaterial('EXTRACTOR-dtls_srtp', undefined, 56);
    expect(a).toEqual(b);
    // RFC 5764 §4.2 material (split into SRTP keys by @x/srtp's dtlsSrtpContexts).
    const srtpMaterial = (x: typeof c) =>
      x.exportKeyingMaterial('EXTRACTOR-dtls_srtp', undefined, 60);
    expect(srtpMaterial(c)).toEqual(srtpMaterial(s));
  });

  it('a loss-free handshake takes exactly three flights each way, no record dropped, no retransmission', () => {
    const { net, cli, sessions } = pair(
      { certificate: clientCert },
      { requestClientCertificate: true },
    );
    expect(net.run().reason).toBe('idle'); // no timer left armed once both sides are done
    expect(cli.connection.state).toBe('connected');
    expect(sessions[0]!.connection.state).toBe('connected');
    const st = net.totalStats();
    // ClientHello, HelloVerifyRequest, ClientHello+cookie, flight 4, flight 5, flight 6 (each one datagram at MTU 1200).
    expect(st.sent).toBe(6);
    expect(net.now).toBeLessThan(100); // six 5 ms hops: no timer had to fire
  });

  it.each([0xc02b, 0xc02c, 0xcca9])('negotiates suite %s with every group', (suite) => {
    for (const group of ['x25519', 'P-256', 'P-384'] as const) {
      const { net, cli, sessions } = pair({ cipherSuites: [suite], groups: [group] });
      net.run({ until: 5_000 });
      expect(cli.connection.state).toBe('connected');
      expect(cli.connection.cipherSuite?.id).toBe(suite);
      expect(cli.connection.group).toBe(group);
      const got: Uint8Array[] = [];
      sessions[0]!.connection.on('data', (d) => got.push(d));
      cli.connection.send(new TextEncoder().encode('ping'));
      net.wake(cli);
      net.run({ until: 6_000 });
      expect(new TextDecoder().decode(got[0])).toBe('ping');
      expect(getCipherSuite('tls12', suite)).toBeDefined();
    }
  });
});

describe('fragmented ClientHello', () => {
  it('the cookie exchange works when the hello spans datagrams (MTU 128; large post-quantum hellos do this)', () => {
    const { net, cli, sessions } = pair({ mtu: 128 }, { mtu: 128 });
    net.run({ until: 5_000 });
    expect(cli.connection.state).toBe('connected');
    expect(sessions).toHaveLength(1);
    // More than the 6 datagrams of an unfragmented exchange: the hello itself went in pieces.
    expect(net.totalStats().sent).toBeGreaterThan(6);
  });
});

describe('peer authentication', () => {
  it('the verification hook sees the peer leaf and can refuse it (bad_certificate)', () => {
    const seen: string[] = [];
    const { net, cli, sessions } = pair({
      verifyPeerCertificate: ({ leaf, role }) => {
        seen.push(`${role}:${leaf.subject.text}`);
        return false;
      },
    });
    net.run({ until: 5_000 });
    expect(seen).toEqual(['server:CN=localhost']);
    expect(cli.connection.state).toBe('failed');
    expect(cli.connection.error?.alert).toBe(42);
    expect(sessions[0]!.connection.error).toMatchObject({ alert: 42, remote: true });
  });

  it('WebRTC mode: a server with a fingerprint refuses a client that sends no certificate', () => {
    const { net, cli, sessions } = pair(
      {},
      { fingerprint: certificateFingerprint(defaultProvider, clientCert.der) },
    );
    net.run({ until: 5_000 });
    expect(sessions[0]!.connection.error?.alert).toBe(40);
    expect(cli.connection.error).toMatchObject({ alert: 40, remote: true });
  });

  it('WebRTC mode: a client certificate with another fingerprint is refused', () => {
    const other = makeCertificate('P-256');
    const { net, cli, sessions } = pair(
      { certificate: other },
      { fingerprint: certificateFingerprint(defaultProvider, clientCert.der) },
    );
    net.run({ until: 5_000 });
    expect(sessions[0]!.connection.error?.alert).toBe(42);
    expect(cli.connection.state).toBe('failed');
  });

  it('signs and verifies with P-384 and Ed25519 certificates', () => {
    for (const kind of ['P-384', 'ed25519'] as const) {
      const cert = makeCertificate(kind);
      const { net, cli, sessions } = pair(
        { certificate: makeCertificate(kind) },
        { certificate: cert, requestClientCertificate: true },
      );
      net.run({ until: 5_000 });
      expect(cli.connection.error).toBeUndefined();
      expect(cli.connection.state).toBe('connected');
      expect(sessions[0]!.connection.peerCertificates).toHaveLength(1);
    }
  });
});

describe('RSA certificates', () => {
  const rsaServer = makeCertificate('rsa-2048');
  const rsaClient = makeCertificate('rsa-2048');

  it.each([
    ['node', defaultProvider],
    ['noble', nobleProvider],
  ] as const)(
    'an RSA server key selects ECDHE_RSA; RSA client CertificateVerify (%s provider)',
    (_, provider) => {
      const { net, cli, sessions } = pair(
        { certificate: rsaClient, provider },
        { certificate: rsaServer, requireClientCertificate: true, provider },
      );
      net.run({ until: 5_000 });
      expect(cli.connection.error).toBeUndefined();
      expect(cli.connection.cipherSuite?.name).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
      const s = sessions[0]!.connection;
      expect(s.state).toBe('connected');
      expect(s.peerCertificates[0]).toEqual(rsaClient.der);
    },
  );

  it('a client offering only ECDHE_ECDSA suites gets handshake_failure from an RSA server', () => {
    const { net, cli } = pair({ cipherSuites: [0xc02b, 0xc02c] }, { certificate: rsaServer });
    net.run({ until: 5_000 });
    expect(cli.connection.error?.alert).toBe(40); // handshake_failure
  });

  it('an ECDSA server skips an ECDHE_RSA suite even when it prefers it', () => {
    const { net, cli } = pair(
      { cipherSuites: [0xc02f, 0xc02b] },
      { cipherSuites: [0xc02f, 0xc02b] },
    );
    net.run({ until: 5_000 });
    expect(cli.connection.cipherSuite?.id).toBe(0xc02b);
  });
});
