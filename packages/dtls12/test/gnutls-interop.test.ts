/**
 * Interop with GnuTLS 3.7 (a second independent DTLS stack): gnutls-serv
 * --udp --echo against our client, and gnutls-cli --udp against our server,
 * one suite each way, with use_srtp and the exporter gnutls-cli prints.
 * gnutls-serv listens on every interface (it has no bind option); we only
 * ever connect to it on 127.0.0.1.
 */
import { certificateFingerprint, defaultProvider } from '@x/crypto';
import { requirePeer } from '@x/test-helpers';
import { toHex } from '@x/wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createServer } from '../src/node.js';
import { type CertFiles, freeUdpPort, PeerProcess, writeCertificates } from './peer-process.js';

let certs: CertFiles;
const peers: PeerProcess[] = [];
beforeAll(() => {
  requirePeer('gnutls-serv', 'apt-get install -y gnutls-bin');
  requirePeer('gnutls-cli', 'apt-get install -y gnutls-bin');
  certs = writeCertificates();
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  certs?.cleanup();
});

const PRIORITY = '--priority=NORMAL:-VERS-ALL:+VERS-DTLS1.2';

describe('GnuTLS interop', () => {
  it('our client ↔ gnutls-serv --udp --echo: TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, SRTP_AES128_CM_HMAC_SHA1_80, MTU 300', async () => {
    const port = await freeUdpPort();
    const p = new PeerProcess('timeout', [
      '30',
      'gnutls-serv',
      '--udp',
      '-p',
      String(port),
      '--echo',
      `--x509certfile=${certs.certPem}`,
      `--x509keyfile=${certs.keyPem}`,
      '--srtp-profiles=SRTP_AES128_CM_HMAC_SHA1_80',
      '--mtu=300',
      PRIORITY,
    ]);
    peers.push(p);
    try {
      await p.waitFor(/listening on IPv4 0\.0\.0\.0 port \d+\.\.\.done/);
      const sock = await connect({
        host: '127.0.0.1',
        port,
        certificate: certs.cert,
        cipherSuites: [0xc02c],
        srtpProfiles: [0x0001],
        mtu: 300,
        fingerprint: certificateFingerprint(defaultProvider, certs.der),
        timeoutMs: 10_000,
      });
      expect(sock.connection.cipherSuite?.name).toBe('TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384');
      expect(sock.connection.srtpProfileName).toBe('SRTP_AES128_CM_HMAC_SHA1_80');
      expect(sock.connection.extendedMasterSecret).toBe(true);
      const echoed = new Promise<string>((resolve) =>
        sock.connection.on('data', (d) => resolve(new TextDecoder().decode(d))),
      );
      sock.send(new TextEncoder().encode('ping-gnutls'));
      expect(await echoed).toBe('ping-gnutls');
      await p.waitFor(/Processing 11 bytes command: ping-gnutls/);
      await sock.close();
    } finally {
      await p.stop();
    }
  });

  it('gnutls-cli --udp ↔ our server: x25519, AES-128-GCM, exporter equal to what gnutls-cli printed', async () => {
    const exporters: string[] = [];
    const server = await createServer(
      { host: '127.0.0.1', certificate: certs.cert, mtu: 300, requestClientCertificate: true },
      (s) => {
        const c = s.connection;
        c.on('connected', () =>
          exporters.push(toHex(c.exportKeyingMaterial('EXTRACTOR-dtls_srtp', undefined, 60))),
        );
        c.on('data', (d) => c.send(d));
      },
    );
    const p = new PeerProcess('timeout', [
      '20',
      'gnutls-cli',
      '--udp',
      '-p',
      String(server.local.port),
      '--srtp-profiles=SRTP_AES128_CM_HMAC_SHA1_80',
      '--keymatexport=EXTRACTOR-dtls_srtp',
      '--keymatexportsize=60',
      '--mtu=300',
      PRIORITY,
      `--x509certfile=${certs.certPem}`,
      `--x509keyfile=${certs.keyPem}`,
      `--x509cafile=${certs.certPem}`,
      '--verify-hostname=localhost',
      '127.0.0.1',
    ]);
    peers.push(p);
    try {
      const theirs = (await p.waitFor(/- Key material: ([0-9a-f]+)/))[1];
      expect(p.output).toContain('(DTLS1.2-X.509)-(ECDHE-X25519)-(ECDSA-SHA256)-(AES-128-GCM)');
      expect(p.output).toContain('- SRTP profile: SRTP_AES128_CM_HMAC_SHA1_80');
      expect(p.output).toMatch(/- Options: .*extended master secret/);
      expect(exporters).toEqual([theirs]);
      p.child.stdin.write('echo-gnutls\n');
      await p.waitFor(/Handshake was completed[\s\S]*echo-gnutls/);
      p.child.stdin.end();
      expect(await p.exited).toBe(0);
    } finally {
      await p.stop();
      await server.close();
    }
  });

  it('without extended_master_secret on one side (%NO_SESSION_HASH) the RFC 5246 master secret is used, exporter still equal', async () => {
    const seen: { ems: boolean; exporter: string }[] = [];
    const server = await createServer({ host: '127.0.0.1', certificate: certs.cert }, (s) => {
      const c = s.connection;
      c.on('connected', () =>
        seen.push({
          ems: c.extendedMasterSecret,
          exporter: toHex(c.exportKeyingMaterial('EXTRACTOR-dtls_srtp', undefined, 60)),
        }),
      );
    });
    const p = new PeerProcess('timeout', [
      '20',
      'gnutls-cli',
      '--udp',
      '-p',
      String(server.local.port),
      '--srtp-profiles=SRTP_AES128_CM_HMAC_SHA1_80',
      '--keymatexport=EXTRACTOR-dtls_srtp',
      '--keymatexportsize=60',
      '--priority=NORMAL:-VERS-ALL:+VERS-DTLS1.2:%NO_SESSION_HASH',
      '--insecure',
      '127.0.0.1',
    ]);
    peers.push(p);
    try {
      const theirs = (await p.waitFor(/- Key material: ([0-9a-f]+)/))[1];
      expect(p.output).not.toMatch(/extended master secret/);
      expect(seen).toEqual([{ ems: false, exporter: theirs }]);
      p.child.stdin.end();
      await p.exited;
    } finally {
      await p.stop();
      await server.close();
    }
  });

  it('our client ↔ gnutls-serv --nocookie: the first ClientHello is answered directly and enters the transcript', async () => {
    const port = await freeUdpPort();
    const p = new PeerProcess('timeout', [
      '30',
      'gnutls-serv',
      '--udp',
      '--nocookie',
      '-p',
      String(port),
      '--echo',
      `--x509certfile=${certs.certPem}`,
      `--x509keyfile=${certs.keyPem}`,
      PRIORITY,
    ]);
    peers.push(p);
    try {
      await p.waitFor(/listening on IPv4 0\.0\.0\.0 port \d+\.\.\.done/);
      const sock = await connect({ host: '127.0.0.1', port, srtpProfiles: [], timeoutMs: 10_000 });
      const echoed = new Promise<string>((resolve) =>
        sock.connection.on('data', (d) => resolve(new TextDecoder().decode(d))),
      );
      sock.send(new TextEncoder().encode('no-cookie'));
      expect(await echoed).toBe('no-cookie');
      expect(sock.connection.srtpProfile).toBeUndefined();
      await sock.close();
    } finally {
      await p.stop();
    }
  });
});
