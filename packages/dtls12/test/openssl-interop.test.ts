/**
 * Interop with OpenSSL 3 on loopback, both roles (the proof):
 * `openssl s_server -dtls1_2 -use_srtp ...` against our client and
 * `openssl s_client` against our server, at -mtu 300 so every certificate
 * flight is fragmented, comparing the EXTRACTOR-dtls_srtp bytes OpenSSL prints.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateFingerprint, defaultProvider, type EcdheGroup, nobleProvider } from '@x/crypto';
import { requirePeer } from '@x/test-helpers';
import { toHex } from '@x/wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DtlsError } from '../src/errors.js';
import { connect, createServer } from '../src/node.js';
import {
  type CertFiles,
  type EchoSession,
  freeUdpPort,
  opensslDtlsClient,
  PeerProcess,
  recordEchoSessions,
  srtpExportArgs,
  writeCertificates,
} from './peer-process.js';

const OPENSSL_SUITE: Record<number, string> = {
  49195: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  49196: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  52393: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  49199: 'ECDHE-RSA-AES128-GCM-SHA256',
  49200: 'ECDHE-RSA-AES256-GCM-SHA384',
  52392: 'ECDHE-RSA-CHACHA20-POLY1305',
};
const OPENSSL_GROUP: Record<EcdheGroup, string> = {
  x25519: 'X25519',
  'P-256': 'P-256',
  'P-384': 'P-384',
};
const OPENSSL_SRTP: Record<number, string> = {
  1: 'SRTP_AES128_CM_SHA1_80',
  2: 'SRTP_AES128_CM_SHA1_32',
  7: 'SRTP_AEAD_AES_128_GCM',
  8: 'SRTP_AEAD_AES_256_GCM',
};

/** OpenSSL also checks the peer's ECDSA certificate curve (P-256) against its group list. */
const withP256 = (g: EcdheGroup): string => (g === 'P-256' ? 'P-256' : `${OPENSSL_GROUP[g]}:P-256`);

let certs: CertFiles;
const peers: PeerProcess[] = [];

beforeAll(() => {
  requirePeer('openssl', 'apt-get install -y openssl');
  certs = writeCertificates();
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  certs?.cleanup();
});

async function startServer(opts: { suite: number; group: EcdheGroup; srtp: string; rsa: boolean }) {
  const port = await freeUdpPort();
  const keylog = join(certs.dir, `s_server-${port}.keylog`);
  const p = new PeerProcess('timeout', [
    '30',
    'openssl',
    's_server',
    '-dtls1_2',
    '-accept',
    `127.0.0.1:${port}`,
    '-cert',
    opts.rsa ? certs.rsaCertPem : certs.certPem,
    '-key',
    opts.rsa ? certs.rsaKeyPem : certs.keyPem,
    '-cipher',
    OPENSSL_SUITE[opts.suite]!,
    '-groups',
    withP256(opts.group),
    ...srtpExportArgs(opts.srtp),
    '-mtu',
    '300',
    '-verify',
    '1',
    '-keylogfile',
    keylog,
  ]);
  peers.push(p);
  // s_server leaves on stdin EOF: the pipe stays open until stop().
  await p.waitFor(/ACCEPT/);
  return { p, port, keylog };
}

describe('our client against openssl s_server (-mtu 300)', () => {
  const cases: { suite: number; group: EcdheGroup; srtp: number; noble?: boolean }[] = [
    { suite: 0xc02b, group: 'x25519', srtp: 7 },
    { suite: 0xc02b, group: 'x25519', srtp: 7, noble: true },
    { suite: 0xc02f, group: 'P-256', srtp: 1, noble: true }, // noble's own RSA verification
    { suite: 0xc02c, group: 'P-256', srtp: 8 },
    { suite: 0xcca9, group: 'P-384', srtp: 1 },
    { suite: 0xc02f, group: 'x25519', srtp: 2 },
    { suite: 0xc030, group: 'P-384', srtp: 7 },
    { suite: 0xcca8, group: 'P-256', srtp: 1 },
    { suite: 0xc02b, group: 'P-256', srtp: 1 },
    { suite: 0xc02b, group: 'P-384', srtp: 2 },
  ];
  it.each(cases)(
    'suite $suite group $group srtp $srtp (noble provider: $noble): handshake, app data, exporter equal',
    async ({ suite, group, srtp, noble }) => {
      const rsa = suite === 0xc02f || suite === 0xc030 || suite === 0xcca8;
      const { p, port, keylog } = await startServer({
        suite,
        group,
        srtp: OPENSSL_SRTP[srtp]!,
        rsa,
      });
      const keyLog: string[] = [];
      const sock = await connect({
        host: '127.0.0.1',
        port,
        certificate: certs.cert,
        srtpProfiles: [srtp],
        // RFC 8422 §5.1.1: in TLS 1.2 supported_groups also names the curves we accept in ECDSA certificates.
        groups: group === 'P-256' ? [group] : [group, 'P-256'],
        mtu: 300,
        timeoutMs: 10_000,
        keyLog: (l) => keyLog.push(l),
        retransmit: { initialMs: 200 },
        ...(noble ? { provider: nobleProvider } : {}),
      });
      const c = sock.connection;
      expect(c.cipherSuite?.id).toBe(suite);
      expect(c.group).toBe(group);
      expect(c.srtpProfile).toBe(srtp);
      expect(c.extendedMasterSecret).toBe(true);
      const ours = toHex(
        c.exportKeyingMaterial('EXTRACTOR-dtls_srtp', undefined, 60),
      ).toUpperCase();
      const theirs = (await p.waitFor(/Keying material: ([0-9A-F]+)/))[1];
      expect(ours).toBe(theirs);
      expect(p.output).toContain(`SRTP Extension negotiated, profile=${OPENSSL_SRTP[srtp]}`);
      // s_server saw our client certificate (CertificateRequest → Certificate + CertificateVerify).
      expect(p.output).toMatch(/Client certificate\n-----BEGIN CERTIFICATE-----/);
      const msg = `hello-${suite.toString(16)}-${group}`;
      sock.send(new TextEncoder().encode(`${msg}\n`));
      await p.waitFor(new RegExp(msg));
      await sock.close();
      await p.waitFor(/DONE/); // s_server prints DONE on close_notify
      // Our NSS key log line (client_random + extended master secret) equals the one OpenSSL wrote.
      expect(keyLog[0]).toMatch(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/);
      expect(readFileSync(keylog, 'utf8').toLowerCase()).toContain(keyLog[0]!.toLowerCase());
      await p.stop();
    },
  );

  it('fails with bad_certificate when the server fingerprint does not match (WebRTC mode)', async () => {
    const { p, port } = await startServer({
      suite: 0xc02b,
      group: 'x25519',
      srtp: 'SRTP_AEAD_AES_128_GCM',
      rsa: false,
    });
    const wrong = certificateFingerprint(defaultProvider, new Uint8Array(10));
    const err = await connect({
      host: '127.0.0.1',
      port,
      certificate: certs.cert,
      fingerprint: wrong,
      mtu: 300,
      timeoutMs: 10_000,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(DtlsError);
    expect((err as DtlsError).alert).toBe(42);
    await p.waitFor(/alert bad certificate|bad certificate/i);
    await p.stop();
  });

  it('parses and ignores a NewSessionTicket (it is part of the Finished transcript, RFC 5077 §3.3)', async () => {
    const { p, port } = await startServer({
      suite: 0xc02b,
      group: 'x25519',
      srtp: 'SRTP_AEAD_AES_128_GCM',
      rsa: false,
    });
    const sock = await connect({
      host: '127.0.0.1',
      port,
      groups: ['x25519', 'P-256'],
      certificate: certs.cert,
      offerSessionTicket: true,
      timeoutMs: 10_000,
    });
    expect(sock.connection.state).toBe('connected'); // the server Finished verified over the ticket message
    const theirs = (await p.waitFor(/Keying material: ([0-9A-F]+)/))[1];
    expect(
      toHex(
        sock.connection.exportKeyingMaterial('EXTRACTOR-dtls_srtp', undefined, 60),
      ).toUpperCase(),
    ).toBe(theirs);
    await sock.close();
    await p.stop();
  });

  it('accepts the server by its fingerprint', async () => {
    const { p, port } = await startServer({
      suite: 0xc02b,
      group: 'x25519',
      srtp: 'SRTP_AEAD_AES_128_GCM',
      rsa: false,
    });
    const sock = await connect({
      host: '127.0.0.1',
      port,
      groups: ['x25519', 'P-256'],
      certificate: certs.cert,
      fingerprint: certificateFingerprint(defaultProvider, certs.der),
      timeoutMs: 10_000,
    });
    expect(sock.connection.peerCertificates[0]).toEqual(certs.der);
    await sock.close();
    await p.stop();
  });
});

describe('openssl s_client against our server (-mtu 300)', () => {
  const cases: {
    suite: number;
    group: EcdheGroup;
    srtp: string;
    expect: number;
    noble?: boolean;
  }[] = [
    // The client lists CM first; our server picks by its own preference (GCM first).
    {
      suite: 0xc02b,
      group: 'x25519',
      srtp: 'SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM',
      expect: 7,
    },
    {
      suite: 0xc02c,
      group: 'P-256',
      srtp: 'SRTP_AES128_CM_SHA1_32:SRTP_AEAD_AES_256_GCM',
      expect: 8,
    },
    { suite: 0xcca9, group: 'P-384', srtp: 'SRTP_AES128_CM_SHA1_80', expect: 1 },
    { suite: 0xc02b, group: 'P-256', srtp: 'SRTP_AEAD_AES_128_GCM', expect: 7, noble: true },
  ];
  it.each(cases)(
    'suite $suite group $group (noble provider: $noble): handshake, echo, exporter equal, close_notify',
    async ({ suite, group, srtp, expect: profile, noble }) => {
      const clientFp = certificateFingerprint(defaultProvider, certs.der);
      const sessions: EchoSession[] = [];
      const server = await createServer(
        {
          host: '127.0.0.1',
          certificate: certs.cert,
          mtu: 300,
          groups: [group],
          ...(noble ? { provider: nobleProvider } : {}),
          fingerprint: clientFp,
          requestClientCertificate: true,
        },
        recordEchoSessions(sessions),
      );
      const p = opensslDtlsClient(server.local.port, [
        '-cert',
        certs.certPem,
        '-key',
        certs.keyPem,
        '-cipher',
        OPENSSL_SUITE[suite]!,
        '-groups',
        withP256(group),
        ...srtpExportArgs(srtp),
        '-mtu',
        '300',
      ]);
      peers.push(p);
      try {
        const theirs = (await p.waitFor(/Keying material: ([0-9A-F]+)/))[1];
        expect(sessions[0]?.exporter).toBe(theirs);
        expect(sessions[0]?.suite).toBe(suite);
        expect(sessions[0]?.srtp).toBe(profile);
        expect(p.output).toContain('Protocol  : DTLSv1.2');
        p.child.stdin.write('echo-me-please\n');
        // s_client prints what it receives: our echo.
        await p.waitFor(/Keying material[^\n]*\n[\s\S]*echo-me-please/);
        p.child.stdin.end(); // s_client sends close_notify on EOF
        expect(await p.exited).toBe(0);
        for (let i = 0; i < 50 && !sessions[0]?.closed; i++)
          await new Promise((r) => setTimeout(r, 20));
        expect(sessions[0]?.closed).toBe(true);
      } finally {
        await p.stop();
        await server.close();
      }
    },
  );
});

describe('renegotiation is refused (RFC 5746, RFC 5246 §7.2.2)', () => {
  it("answers s_client's renegotiation ClientHello with a no_renegotiation warning", async () => {
    const errors: number[] = [];
    const server = await createServer({ host: '127.0.0.1', certificate: certs.cert }, (s) => {
      s.connection.on('error', (e) => errors.push(e.alert));
    });
    const p = opensslDtlsClient(server.local.port, ['-groups', 'X25519:P-256']);
    peers.push(p);
    try {
      await p.waitFor(/Protocol {2}: DTLSv1\.2/);
      expect(p.output).toContain('Secure Renegotiation IS supported'); // we sent renegotiation_info
      p.child.stdin.write('R\n'); // s_client: start a renegotiation
      await p.waitFor(/RENEGOTIATING/);
      // OpenSSL treats our warning as final and aborts with a fatal handshake_failure of its own.
      await p.waitFor(/no renegotiation/);
      for (let i = 0; i < 50 && errors.length === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(errors).toEqual([40]);
    } finally {
      await p.stop();
      await server.close();
    }
  });
});
