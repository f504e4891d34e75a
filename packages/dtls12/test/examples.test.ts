/**
 * The runnable examples as users run them: built (to .interop/examples-build/) and
 * started with node, checking the exact lines the issue specifies.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { certificateFingerprint, defaultProvider } from '@x/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CertFiles, freeUdpPort, PeerProcess, writeCertificates } from './peer-process.js';

const pkg = resolve(import.meta.dirname, '..');
const tsc = resolve(pkg, '../../node_modules/.bin/tsc');
let certs: CertFiles;
const peers: PeerProcess[] = [];

// Built into a directory of its own: rebuilding dist/ in place could hand a
// half-written file to pack-check, which packs dist/ while tests run.
const build = join(pkg, '.interop', 'examples-build');

beforeAll(() => {
  execFileSync(tsc, ['-p', join(pkg, 'tsconfig.build.json'), '--outDir', build], {
    stdio: 'inherit',
    timeout: 60_000,
  });
  certs = writeCertificates();
}, 90_000);
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  certs?.cleanup();
});

async function startServer(extra: string[] = []) {
  const port = await freeUdpPort();
  const server = new PeerProcess('timeout', [
    '30',
    process.execPath,
    join(build, 'examples/server.js'),
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--cert',
    certs.certPem,
    '--key',
    certs.keyPem,
    ...extra,
  ]);
  peers.push(server);
  await server.waitFor(/listening 127\.0\.0\.1:\d+/);
  return { server, port };
}

describe('examples (dist/examples/{client,server}.js)', () => {
  it('client and server print the negotiated line and the same exporter; the server echoes; the client exits 0', async () => {
    const { server, port } = await startServer(['--srtp-profiles', 'SRTP_AES128_CM_HMAC_SHA1_80']);
    const keylog = join(certs.dir, 'keys.log');
    const client = new PeerProcess('timeout', [
      '20',
      process.execPath,
      join(build, 'examples/client.js'),
      '--port',
      String(port),
      '--fingerprint',
      certificateFingerprint(defaultProvider, certs.der),
      '--ciphers',
      'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
      '--curves',
      'secp384r1',
      '--mtu',
      '400',
      '--keylog',
      keylog,
      '--message',
      'hello example',
    ]);
    peers.push(client);
    expect(await client.exited).toBe(0);
    expect(client.output).toContain(
      'negotiated TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 secp384r1 SRTP_AES128_CM_HMAC_SHA1_80\n',
    );
    expect(client.output).toContain('received hello example\n');
    const exporter = client.output.match(/^exporter ([0-9a-f]{120})$/m)?.[1];
    expect(exporter).toBeDefined();
    await server.waitFor(new RegExp(`exporter ${exporter}`));
    await server.waitFor(/closed/); // our close_notify reached it
    expect(readFileSync(keylog, 'utf8')).toMatch(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\n$/);
    await server.stop();
  });

  it('a wrong --fingerprint ends with bad_certificate and a non-zero exit naming it', async () => {
    const { server, port } = await startServer();
    const client = new PeerProcess('timeout', [
      '20',
      process.execPath,
      join(build, 'examples/client.js'),
      '--port',
      String(port),
      '--fingerprint',
      certificateFingerprint(defaultProvider, Uint8Array.of(1, 2, 3)),
    ]);
    peers.push(client);
    expect(await client.exited).toBe(1);
    expect(client.output).toMatch(/handshake failed: alert bad_certificate \(42\)/);
    await server.waitFor(/handshake failed: alert bad_certificate \(42\)/);
    await server.stop();
  });
});
