/**
 * ECDHE_RSA with our server (RFC 5246 §7.4.3 ServerKeyExchange signed with
 * the RSA certificate key) against `openssl s_client -dtls1_2`, and RSA
 * client certificates both ways (CertificateVerify, RFC 5246 §7.4.8). The
 * scheme follows the client's signature_algorithms: OpenSSL's default list
 * prefers rsa_pss_rsae_sha256, `-sigalgs RSA+SHA256` forces rsa_pkcs1_sha256.
 * s_client prints what it verified ("Peer signature type"), and the
 * EXTRACTOR-dtls_srtp bytes it prints must equal ours.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  certificateFingerprint,
  createSelfSignedCertificate,
  defaultProvider,
  derToPem,
  nobleProvider,
  nodeProvider,
  parseCertificate,
  parsePrivateKeyPem,
  pemToDer,
  privateKeyToPem,
} from '@x/crypto';
import { requirePeer } from '@x/test-helpers';
import { toHex } from '@x/wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DtlsCertificate } from '../src/config.js';
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
  49199: 'ECDHE-RSA-AES128-GCM-SHA256',
  49200: 'ECDHE-RSA-AES256-GCM-SHA384',
};

let certs: CertFiles;
/** The RSA certificate and key openssl made, as our server's certificate. */
let opensslRsa: DtlsCertificate & { der: Uint8Array };
/** An RSA-2048 certificate made by our node provider (key generation and PKCS #1 v1.5 signing). */
let oursRsa: DtlsCertificate & { der: Uint8Array; certPem: string; keyPem: string };
const peers: PeerProcess[] = [];

beforeAll(() => {
  requirePeer('openssl', 'apt-get install -y openssl');
  certs = writeCertificates();
  const der = pemToDer(readFileSync(certs.rsaCertPem, 'utf8'))[0]!;
  const { privateKey } = parsePrivateKeyPem(readFileSync(certs.rsaKeyPem, 'utf8'));
  opensslRsa = { chain: [der], privateKey, der };
  const now = Date.now();
  const c = createSelfSignedCertificate(nodeProvider, {
    commonName: 'localhost',
    notBefore: now - 86_400_000,
    notAfter: now + 86_400_000,
    key: nodeProvider.generateSigningKey('rsa-2048'),
  });
  const certPem = `${certs.dir}/ours-rsa.pem`;
  const keyPem = `${certs.dir}/ours-rsa.key`;
  writeFileSync(certPem, derToPem(c.der));
  writeFileSync(keyPem, privateKeyToPem(c.privateKey));
  oursRsa = { chain: [c.der], privateKey: c.privateKey, der: c.der, certPem, keyPem };
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  certs?.cleanup();
});

interface Case {
  readonly suite: number;
  /** s_client -sigalgs, or undefined for OpenSSL's default list. */
  readonly sigalgs?: string;
  /** What s_client prints as "Peer signature type". */
  readonly peerSignature: 'RSA-PSS' | 'RSA';
  readonly digest: 'SHA256' | 'SHA384';
  readonly noble?: boolean;
  readonly ourCert?: boolean;
}

describe('openssl s_client against our server with an RSA certificate', () => {
  const cases: Case[] = [
    { suite: 0xc02f, peerSignature: 'RSA-PSS', digest: 'SHA256' },
    { suite: 0xc030, peerSignature: 'RSA-PSS', digest: 'SHA256' },
    { suite: 0xc02f, sigalgs: 'RSA+SHA256', peerSignature: 'RSA', digest: 'SHA256' },
    { suite: 0xc030, sigalgs: 'RSA+SHA384', peerSignature: 'RSA', digest: 'SHA384' },
    { suite: 0xc030, sigalgs: 'rsa_pss_rsae_sha384', peerSignature: 'RSA-PSS', digest: 'SHA384' },
    { suite: 0xc02f, peerSignature: 'RSA-PSS', digest: 'SHA256', noble: true },
    { suite: 0xc030, sigalgs: 'RSA+SHA256', peerSignature: 'RSA', digest: 'SHA256', noble: true },
    { suite: 0xc02f, peerSignature: 'RSA-PSS', digest: 'SHA256', ourCert: true },
  ];
  it.each(cases)(
    'suite $suite sigalgs $sigalgs (noble: $noble, our certificate: $ourCert): $peerSignature $digest, exporter equal',
    async ({ suite, sigalgs, peerSignature, digest, noble, ourCert }) => {
      const certificate = ourCert ? oursRsa : opensslRsa;
      const sessions: EchoSession[] = [];
      const server = await createServer(
        {
          host: '127.0.0.1',
          certificate,
          mtu: 1200,
          ...(noble ? { provider: nobleProvider } : {}),
        },
        recordEchoSessions(sessions),
      );
      const p = opensslDtlsClient(server.local.port, [
        '-cipher',
        OPENSSL_SUITE[suite]!,
        ...(sigalgs ? ['-sigalgs', sigalgs] : []),
        ...srtpExportArgs('SRTP_AEAD_AES_128_GCM'),
      ]);
      peers.push(p);
      try {
        const theirs = (await p.waitFor(/Keying material: ([0-9A-F]+)/))[1];
        expect(sessions[0]?.exporter).toBe(theirs);
        expect(sessions[0]?.suite).toBe(suite);
        expect(p.output).toContain(`Cipher is ${OPENSSL_SUITE[suite]}`);
        // What s_client verified in our ServerKeyExchange.
        expect(p.output).toContain(`Peer signature type: ${peerSignature}`);
        expect(p.output).toContain(`Peer signing digest: ${digest}`);
        p.child.stdin.write('rsa-echo\n');
        await p.waitFor(/Keying material[^\n]*\n[\s\S]*rsa-echo/);
        p.child.stdin.end();
        expect(await p.exited).toBe(0);
      } finally {
        await p.stop();
        await server.close();
      }
    },
  );

  it('verifies an RSA client certificate’s CertificateVerify (s_client -cert rsa.pem)', async () => {
    const sessions: { exporter?: string; peer?: Uint8Array }[] = [];
    const server = await createServer(
      {
        host: '127.0.0.1',
        certificate: opensslRsa,
        fingerprint: certificateFingerprint(defaultProvider, oursRsa.der),
        requireClientCertificate: true,
      },
      (s) => {
        const info: (typeof sessions)[number] = {};
        sessions.push(info);
        s.connection.on('connected', () => {
          info.exporter = toHex(
            s.connection.exportKeyingMaterial('EXTRACTOR-dtls_srtp', undefined, 60),
          ).toUpperCase();
          info.peer = s.connection.peerCertificates[0];
        });
      },
    );
    const p = opensslDtlsClient(server.local.port, [
      '-cert',
      oursRsa.certPem,
      '-key',
      oursRsa.keyPem,
      '-cipher',
      OPENSSL_SUITE[0xc02f]!,
      ...srtpExportArgs('SRTP_AEAD_AES_128_GCM'),
    ]);
    peers.push(p);
    try {
      const theirs = (await p.waitFor(/Keying material: ([0-9A-F]+)/))[1];
      expect(sessions[0]?.exporter).toBe(theirs);
      // Our server accepted the RSA client certificate (and its CertificateVerify).
      expect(sessions[0]?.peer).toEqual(oursRsa.der);
      expect(parseCertificate(sessions[0]!.peer!).publicKey.kind).toBe('rsa');
    } finally {
      await p.stop();
      await server.close();
    }
  });
});

describe('our client with an RSA certificate against openssl s_server -Verify', () => {
  it.each([
    { noble: false, sigalgs: undefined, expectType: 'RSA-PSS' },
    { noble: true, sigalgs: 'RSA+SHA256', expectType: 'RSA' },
  ])(
    'noble: $noble, client sigalgs $sigalgs: s_server verifies our CertificateVerify ($expectType)',
    async ({ noble, sigalgs, expectType }) => {
      const port = await freeUdpPort();
      const p = new PeerProcess('timeout', [
        '30',
        'openssl',
        's_server',
        '-dtls1_2',
        '-accept',
        `127.0.0.1:${port}`,
        '-cert',
        certs.rsaCertPem,
        '-key',
        certs.rsaKeyPem,
        '-cipher',
        OPENSSL_SUITE[0xc030]!,
        ...(sigalgs ? ['-client_sigalgs', sigalgs] : []),
        '-Verify',
        '1',
        '-verify_return_error',
        '-CAfile',
        oursRsa.certPem,
        ...srtpExportArgs('SRTP_AEAD_AES_128_GCM'),
      ]);
      peers.push(p);
      await p.waitFor(/ACCEPT/);
      const sock = await connect({
        host: '127.0.0.1',
        port,
        certificate: oursRsa,
        srtpProfiles: [7],
        timeoutMs: 10_000,
        retransmit: { initialMs: 200 },
        ...(noble ? { provider: nobleProvider } : {}),
      });
      try {
        const ours = toHex(
          sock.connection.exportKeyingMaterial('EXTRACTOR-dtls_srtp', undefined, 60),
        ).toUpperCase();
        expect(sock.connection.cipherSuite?.id).toBe(0xc030);
        expect((await p.waitFor(/Keying material: ([0-9A-F]+)/))[1]).toBe(ours);
        expect(p.output).toMatch(/Client certificate\n-----BEGIN CERTIFICATE-----/);
        expect(p.output).toContain(`Peer signature type: ${expectType}`);
        await sock.close();
      } finally {
        await p.stop();
      }
    },
  );
});
