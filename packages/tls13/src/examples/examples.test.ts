/**
 * The built examples (dist/examples/{client,server}.js) against each other
 * and against openssl: the printed `negotiated ...` line, echo, --http, key
 * log, and a named alert on failure.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requirePeer } from '@x/test-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  echoedOrFailed,
  type Peer,
  requireOpenssl,
  runPeer,
  sClientArgs,
  startOpensslServer,
  startPeer,
  tempDir,
  writeIdentity,
} from '../testing/openssl.js';
import { testIdentity } from '../testing/pair.js';

const pkg = fileURLToPath(new URL('../..', import.meta.url));
// Built into a directory of its own: rebuilding dist/ in place could hand a
// half-written file to pack-check, which packs dist/ while tests run.
const build = join(pkg, '.interop', 'examples-build');
const dist = join(build, 'examples');
const dir = tempDir('tls13-examples-');
const id = testIdentity('P-256');
const files = writeIdentity(dir, id);
const other = writeIdentity(dir, testIdentity('ed25519'), 'other');
/** The example server's ready line; the newline proves the port number is whole. */
const LISTENING = /listening \S+ (\d+)\n/;

function client(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(dist, 'client.js'), ...args], {
    encoding: 'utf8',
    timeout: 15000,
    input: '',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('examples', () => {
  let server: Peer;
  let port: number;
  const keylog = join(dir, 'server.keylog');
  beforeAll(async () => {
    // The examples run from the build; compile this package (its dependencies are built by turbo's ^build).
    execFileSync(
      process.execPath,
      [
        join(pkg, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        join(pkg, 'tsconfig.build.json'),
        '--outDir',
        build,
      ],
      { stdio: 'pipe', timeout: 120000 },
    );
    server = await startPeer(
      process.execPath,
      [
        join(dist, 'server.js'),
        '--port',
        '0',
        '--cert',
        files.cert,
        '--key',
        files.key,
        '--keylog',
        keylog,
        '--alpn',
        'echo/1',
      ],
      LISTENING,
    );
    port = Number(LISTENING.exec(server.output())![1]);
  }, 130000);
  afterAll(() => server?.kill());

  it('client prints the negotiation, sends --message and prints the echo', () => {
    const r = client([
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--servername',
      'localhost',
      '--ca',
      files.cert,
      '--alpn',
      'echo/1',
      '--message',
      'hello example',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('negotiated TLS_AES_128_GCM_SHA256 x25519 echo/1\nhello example');
    expect(readFileSync(keylog, 'utf8')).toMatch(
      /^SERVER_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]{64}$/m,
    );
  });

  it('negotiates X25519MLKEM768 and ChaCha20 when asked', () => {
    const r = client([
      '--port',
      String(port),
      '--servername',
      'localhost',
      '--ca',
      files.cert,
      '--groups',
      'X25519MLKEM768',
      '--ciphersuites',
      'TLS_CHACHA20_POLY1305_SHA256',
      '--message',
      'pq',
    ]);
    expect(r.stdout).toBe('negotiated TLS_CHACHA20_POLY1305_SHA256 X25519MLKEM768 -\npq');
  });

  it('accepts a pinned fingerprint with --insecure-fingerprint', () => {
    const fp = execFileSync(
      'openssl',
      ['x509', '-in', files.cert, '-noout', '-fingerprint', '-sha256'],
      { encoding: 'utf8' },
    )
      .split('=')[1]!
      .trim();
    const r = client([
      '--port',
      String(port),
      '--servername',
      'localhost',
      '--insecure-fingerprint',
      fp,
      '--message',
      'pinned',
    ]);
    expect(r.stdout).toContain('pinned');
  });

  it('exits non-zero naming the alert when the certificate is not trusted', () => {
    const r = client([
      '--port',
      String(port),
      '--servername',
      'localhost',
      '--ca',
      other.cert,
      '--message',
      'x',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/handshake failed: (unknown_ca\(48\)|bad_certificate\(42\))/);
  });

  it('server --http answers with a page naming the suite and group', async () => {
    const http = await startPeer(
      process.execPath,
      [join(dist, 'server.js'), '--port', '0', '--cert', files.cert, '--key', files.key, '--http'],
      LISTENING,
    );
    try {
      const p = Number(LISTENING.exec(http.output())![1]);
      const r = client([
        '--port',
        String(p),
        '--servername',
        'localhost',
        '--ca',
        files.cert,
        '--groups',
        'secp384r1',
        '--message',
        'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n',
      ]);
      expect(r.stdout).toMatch(
        /^negotiated TLS_AES_128_GCM_SHA256 secp384r1 -\nHTTP\/1.1 200 OK\r\n/,
      );
      expect(r.stdout).toContain(
        '<b id="suite">TLS_AES_128_GCM_SHA256</b> over <b id="group">secp384r1</b>',
      );
    } finally {
      http.kill();
    }
  });

  it('client with the TLS_AES_128_CCM_SHA256 suite against openssl s_server', async () => {
    requireOpenssl();
    const s = await startOpensslServer(files, ['-ciphersuites', 'TLS_AES_128_CCM_SHA256', '-rev']);
    try {
      const r = client([
        '--port',
        String(s.port),
        '--servername',
        'localhost',
        '--ca',
        files.cert,
        '--ciphersuites',
        'TLS_AES_128_CCM_SHA256',
        '--message',
        'ccm\n',
      ]);
      expect(r.stdout).toMatch(/^negotiated TLS_AES_128_CCM_SHA256 x25519 -\n/);
      expect(r.stdout).toContain('mcc');
    } finally {
      s.kill();
    }
  });

  it('client example against gnutls-serv (in a network namespace with only loopback)', () => {
    // gnutls-serv cannot bind to one address, so it runs under `unshare -n`, where only lo exists.
    requirePeer('gnutls-serv', 'apt-get install -y gnutls-bin');
    requirePeer('unshare', 'apt-get install -y util-linux');
    const out = join(dir, 'gnutls-serv.log');
    const script = [
      'ip link set lo up',
      `gnutls-serv -p 4433 --echo --x509certfile '${files.cert}' --x509keyfile '${files.key}' --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3' > '${out}' 2>&1 &`,
      'S=$!',
      'for i in $(seq 50); do ss -Hltn "sport = :4433" | grep -q . && break; sleep 0.1; done',
      // gnutls-serv --echo answers line by line, so the message goes through stdin with its newline.
      `for g in x25519 secp256r1 secp384r1; do printf 'gnutls-%s\\n' $g | '${process.execPath}' '${join(dist, 'client.js')}' --port 4433 --servername localhost --ca '${files.cert}' --groups $g --ciphersuites TLS_AES_256_GCM_SHA384; done`,
      'kill $S',
    ].join('\n');
    const r = spawnSync('unshare', ['-n', 'sh', '-c', script], {
      encoding: 'utf8',
      timeout: 30000,
    });
    expect(r.stdout).toBe(
      ['x25519', 'secp256r1', 'secp384r1']
        .map((g) => `negotiated TLS_AES_256_GCM_SHA384 ${g} -\ngnutls-${g}\n`)
        .join(''),
    );
  });

  it('server example answers openssl s_client', async () => {
    const r = await runPeer(
      'openssl',
      [...sClientArgs(port), '-CAfile', files.cert, '-alpn', 'echo/1'],
      'from-openssl\n',
      echoedOrFailed('from-openssl'),
    );
    expect(r.output).toContain('ALPN protocol: echo/1');
    expect(r.output.split('from-openssl').length).toBeGreaterThanOrEqual(2);
  });
});
