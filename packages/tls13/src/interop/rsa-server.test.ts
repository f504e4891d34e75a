/**
 * Our server with an RSA certificate (RFC 8446 §4.2.3, §4.4.3): CertificateVerify
 * is rsa_pss_rsae_* with the client's preferred hash, never rsa_pkcs1_*. Checked
 * with `openssl s_client -tls1_3` (which prints the signature it verified) and a
 * node:tls client (exporter equal), with keys from our node provider and from
 * `openssl req`, signed by both providers; and our client's RSA CertificateVerify
 * checked by a node:tls server.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { join } from 'node:path';
import {
  type CryptoProvider,
  createSelfSignedCertificate,
  derToPem,
  nobleProvider,
  nodeProvider,
  type PrivateKey,
  parsePrivateKeyPem,
  pemToDer,
  privateKeyToPem,
} from '@x/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createServer, type TlsSocket } from '../node.js';
import { close, listen, tls, withTimeout } from '../testing/node-peer.js';
import {
  echoedOrFailed,
  requireOpenssl,
  runPeer,
  sClientArgs,
  tempDir,
} from '../testing/openssl.js';

const dir = tempDir('tls13-rsa-');
const now = Date.now();
const ours = createSelfSignedCertificate(nodeProvider, {
  commonName: 'localhost',
  dnsNames: ['localhost'],
  ipAddresses: ['127.0.0.1'],
  notBefore: now - 3600_000,
  notAfter: now + 86400_000,
  key: nodeProvider.generateSigningKey('rsa-2048'),
});
const oursPem = join(dir, 'ours-rsa.crt');
writeFileSync(oursPem, derToPem(ours.der));

interface Running {
  server: Server;
  port: number;
  sockets: TlsSocket[];
  errors: Error[];
}

async function start(
  chain: Uint8Array[],
  privateKey: PrivateKey,
  provider: CryptoProvider,
): Promise<Running> {
  const sockets: TlsSocket[] = [];
  const errors: Error[] = [];
  const server = createServer({ certificateChain: chain, privateKey, provider }, (s) => {
    sockets.push(s);
    s.on('error', () => {});
    s.pipe(s);
  });
  server.on('tlsClientError', (e: Error) => errors.push(e));
  return { server, port: await listen(server), sockets, errors };
}

function sClient(port: number, caFile: string, sigalgs?: string) {
  return runPeer(
    'openssl',
    [
      ...sClientArgs(port),
      '-CAfile',
      caFile,
      '-verify_return_error',
      ...(sigalgs ? ['-sigalgs', sigalgs] : []),
    ],
    'ping-rsa\n',
    // s_client prints the echo after its session details; stop once it came back
    // or the handshake visibly failed.
    echoedOrFailed('ping-rsa'),
  );
}

describe('openssl s_client -tls1_3 against our server with an RSA certificate', () => {
  const running: Running[] = [];
  let node: Running;
  let noble: Running;
  beforeAll(async () => {
    requireOpenssl();
    node = await start([ours.der], ours.privateKey, nodeProvider);
    noble = await start([ours.der], ours.privateKey, nobleProvider);
    running.push(node, noble);
  });
  afterAll(async () => {
    for (const r of running) await close(r.server);
  });

  it.each([
    { provider: 'node', sigalgs: undefined, digest: 'SHA256' },
    { provider: 'node', sigalgs: 'rsa_pss_rsae_sha384', digest: 'SHA384' },
    { provider: 'node', sigalgs: 'rsa_pss_rsae_sha512:rsa_pss_rsae_sha256', digest: 'SHA512' },
    { provider: 'noble', sigalgs: undefined, digest: 'SHA256' },
    { provider: 'noble', sigalgs: 'rsa_pss_rsae_sha384', digest: 'SHA384' },
  ])(
    '$provider provider, client sigalgs $sigalgs: RSA-PSS $digest CertificateVerify verifies',
    async ({ provider, sigalgs, digest }) => {
      const r = provider === 'node' ? node : noble;
      const out = await sClient(r.port, oursPem, sigalgs);
      expect(out.output).toMatch(/Verify return code: 0 \(ok\)/);
      expect(out.output).toContain('Peer signature type: RSA-PSS');
      expect(out.output).toContain(`Peer signing digest: ${digest}`);
      expect(out.output.split('ping-rsa').length).toBeGreaterThanOrEqual(2);
    },
  );

  it('refuses a client that offers only rsa_pkcs1 (never PKCS #1 v1.5 in CertificateVerify)', async () => {
    const before = node.errors.length;
    const out = await sClient(node.port, oursPem, 'RSA+SHA256:RSA+SHA384');
    expect(out.output).toMatch(/alert handshake failure|alert number 40/);
    expect(out.output).not.toContain('Peer signature type');
    expect(
      node.errors
        .slice(before)
        .map((e) => e.message)
        .join('\n'),
    ).toMatch(/no signature scheme our rsa key/);
  });

  it('serves an RSA key and certificate made by openssl (PKCS #1 "RSA PRIVATE KEY" file)', async () => {
    const key = join(dir, 'openssl-rsa.key');
    const cert = join(dir, 'openssl-rsa.crt');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:3072',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-days',
        '2',
      ],
      { stdio: 'ignore', timeout: 30_000 },
    );
    const pkcs1 = join(dir, 'openssl-rsa.pkcs1.key');
    execFileSync('openssl', ['pkey', '-in', key, '-traditional', '-out', pkcs1], {
      stdio: 'ignore',
      timeout: 10_000,
    });
    const { privateKey } = parsePrivateKeyPem(readFileSync(pkcs1, 'utf8'));
    const r = await start(pemToDer(readFileSync(cert, 'utf8')), privateKey, nodeProvider);
    running.push(r);
    const out = await sClient(r.port, cert, 'rsa_pss_rsae_sha256');
    expect(out.output).toMatch(/Verify return code: 0 \(ok\)/);
    expect(out.output).toContain('Peer signature type: RSA-PSS');
    expect(out.output).toContain('Server public key is 3072 bit');
  });
});

describe('a node:tls client against our server with an RSA certificate', () => {
  let r: Running;
  beforeAll(async () => {
    r = await start([ours.der], ours.privateKey, nodeProvider);
  });
  afterAll(() => close(r.server));

  it.each([undefined, 'rsa_pss_rsae_sha384', 'rsa_pss_rsae_sha512'])(
    'sigalgs %s: handshake, echo, exporter equal',
    async (sigalgs) => {
      const c = tls.connect({
        port: r.port,
        host: '127.0.0.1',
        servername: 'localhost',
        ca: derToPem(ours.der),
        minVersion: 'TLSv1.3',
        ...(sigalgs ? { sigalgs } : {}),
      });
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          c.once('secureConnect', resolve);
          c.once('error', reject);
        }),
        5000,
        'handshake',
      );
      expect(c.authorized).toBe(true);
      expect(c.getProtocol()).toBe('TLSv1.3');
      const theirs = c.exportKeyingMaterial(32, 'EXPERIMENTAL-rsa', Buffer.from([7]));
      c.write('pong');
      const echoed = await withTimeout(
        new Promise<string>((resolve) => c.once('data', (d: Buffer) => resolve(d.toString()))),
        5000,
        'echo',
      );
      expect(echoed).toBe('pong');
      const mine = r.sockets.at(-1)!.exportKeyingMaterial('EXPERIMENTAL-rsa', Uint8Array.of(7), 32);
      expect(Buffer.from(mine).toString('hex')).toBe(theirs.toString('hex'));
      c.end();
    },
  );

  it('a node:tls client offering only rsa_pkcs1_sha256 is refused', async () => {
    const c = tls.connect({
      port: r.port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: derToPem(ours.der),
      minVersion: 'TLSv1.3',
      sigalgs: 'rsa_pkcs1_sha256',
    });
    const err = await withTimeout(
      new Promise<Error>((resolve) => {
        c.once('secureConnect', () => resolve(new Error('connected')));
        c.once('error', resolve);
      }),
      5000,
      'refusal',
    );
    expect(err.message).toMatch(/handshake failure/i);
    c.destroy();
  });
});

describe('our client with an RSA client certificate against a node:tls server', () => {
  it('node:tls verifies our rsa_pss_rsae CertificateVerify and accepts the certificate', async () => {
    const pem = derToPem(ours.der);
    const seen: { authorized: boolean; bits?: number }[] = [];
    const server = tls.createServer(
      {
        // The server's own identity: any certificate will do; ours doubles as the client CA.
        cert: pem,
        key: privateKeyToPem(ours.privateKey),
        requestCert: true,
        rejectUnauthorized: true,
        ca: pem,
        minVersion: 'TLSv1.3',
      },
      (s) => {
        seen.push({ authorized: s.authorized, bits: s.getPeerCertificate().bits });
        s.end('client-ok\n');
      },
    );
    const port = await listen(server);
    try {
      const sock = connect({
        port,
        host: '127.0.0.1',
        serverName: 'localhost',
        trustAnchors: [ours.certificate],
        certificateChain: [ours.der],
        privateKey: ours.privateKey,
      });
      const text = await withTimeout(
        new Promise<string>((resolve, reject) => {
          let got = '';
          sock.on('data', (d: Uint8Array) => (got += Buffer.from(d).toString()));
          sock.once('close', () => resolve(got));
          sock.once('error', reject);
        }),
        5000,
        'client auth',
      );
      expect(text).toBe('client-ok\n');
      expect(seen).toEqual([{ authorized: true, bits: 2048 }]);
    } finally {
      await close(server);
    }
  });
});
