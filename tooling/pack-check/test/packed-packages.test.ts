import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, rfcSlice, rfcText, rfcValue, toHex } from '@x/test-helpers';
import { afterAll, describe, expect, it } from 'vitest';

const root = repoRoot();
const PACKAGES = ['wire', 'crypto', 'tls13', 'dtls12', 'quic', 'srtp', 'stun'];
const pnpmVersion = (
  JSON.parse(
    execFileSync('node', ['-p', 'JSON.stringify(require("./package.json"))'], {
      cwd: root,
      encoding: 'utf8',
    }),
  ) as { packageManager: string }
).packageManager.split('@')[1]!;
const work = mkdtempSync(join(tmpdir(), 'x-pack-check-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
}

const PROTOCOLS_SCRIPT = `
import { once } from 'node:events';
import { certificateFingerprint, createSelfSignedCertificate, defaultProvider as p } from '@x/crypto';
import { SrtpContext, serializeRtpPacket } from '@x/srtp';
import { bindingRequest, startBindingServer } from '@x/stun';
import { connect as dtlsConnect, createServer as dtlsServer } from '@x/dtls12';
import { connect as tlsConnect, createServer as tlsServer } from '@x/tls13/node';
import { connect as quicConnect, listen as quicListen } from '@x/quic';

const text = (b) => new TextDecoder().decode(b);
const cert = (cn) => {
  const c = createSelfSignedCertificate(p, { commonName: cn, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], notBefore: Date.now() - 6e4, notAfter: Date.now() + 864e5 });
  return { chain: [c.der], der: c.der, privateKey: c.privateKey, fingerprint: certificateFingerprint(p, c.der) };
};

{ // SRTP: protect, unprotect, then the replay is refused.
  const keys = { profile: 'SRTP_AEAD_AES_128_GCM', masterKey: new Uint8Array(16).fill(1), masterSalt: new Uint8Array(12).fill(2) };
  const tx = new SrtpContext(keys), rx = new SrtpContext(keys);
  const rtp = serializeRtpPacket({ padding: false, marker: true, payloadType: 111, sequenceNumber: 1, timestamp: 960, ssrc: 0x1234, csrcs: [] }, new TextEncoder().encode('hello'));
  const srtp = tx.protect(rtp);
  const back = rx.unprotect(srtp);
  let reason = '';
  try { rx.unprotect(srtp); } catch (e) { reason = e.reason; }
  console.log('srtp', text(back.subarray(back.length - 5)), reason);
}
{ // STUN: our binding client against our binding server.
  const server = await startBindingServer({ address: '127.0.0.1' });
  const { mapped } = await bindingRequest({ address: '127.0.0.1', port: server.local.port });
  console.log('stun mapped', mapped.address, mapped.port > 0);
  await server.close();
}
{ // DTLS 1.2 with use_srtp, WebRTC-style fingerprints both ways.
  const s = cert('server'), c = cert('client');
  const server = await dtlsServer({ host: '127.0.0.1', port: 0, certificate: s, fingerprint: c.fingerprint },
    (session) => session.connection.on('data', (d) => session.connection.send(d)));
  const client = await dtlsConnect({ host: '127.0.0.1', port: server.local.port, certificate: c, fingerprint: s.fingerprint, srtpProfiles: [0x0007] });
  const echoed = new Promise((resolve) => client.connection.on('data', resolve));
  client.send(new TextEncoder().encode('hello'));
  const d = await echoed;
  console.log('dtls12', client.connection.cipherSuite.name, client.connection.srtpProfileName, text(d));
  await client.close();
  await server.close();
}
{ // TLS 1.3 over TCP, the client pinning the server's certificate.
  const s = cert('localhost');
  const server = tlsServer({ certificateChain: s.chain, privateKey: s.privateKey }, (sock) => sock.pipe(sock));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const sock = tlsConnect({ host: '127.0.0.1', port: server.address().port, serverName: 'localhost', pinnedFingerprints: [s.fingerprint] });
  await once(sock, 'secureConnect');
  sock.write('hello');
  const [d] = await once(sock, 'data');
  console.log('tls13', sock.cipher, text(d));
  sock.destroy();
  server.close();
}
{ // QUIC echo.
  const s = cert('localhost');
  const server = await quicListen({ host: '127.0.0.1', port: 0, certificateChain: s.chain, privateKey: s.privateKey, alpnProtocols: ['quic-echo-example'] });
  server.on('connection', (conn) => conn.on('stream', (st) => st.pipe(st)));
  const conn = await quicConnect({ host: '127.0.0.1', port: server.address.port, serverName: 'localhost', alpnProtocols: ['quic-echo-example'], pinnedFingerprints: [s.fingerprint] });
  const stream = conn.openStream();
  stream.end('Hello world');
  let got = '';
  for await (const chunk of stream) got += chunk;
  console.log('quic', got);
  await conn.close();
  await server.close();
}
process.exit(0);
`;

describe('published packages', () => {
  it('install from their pnpm pack tarballs into an empty project, derive the RFC 9001 A.1 key and run every protocol over loopback', () => {
    const tarballs = join(work, 'tarballs');
    for (const pkg of PACKAGES) {
      // pnpm pack rewrites workspace: ranges to real versions, as publishing does.
      run(
        'npx',
        ['-y', `pnpm@${pnpmVersion}`, 'pack', '--pack-destination', tarballs],
        join(root, 'packages', pkg),
      );
    }
    const files = readdirSync(tarballs).map((f) => join(tarballs, f));
    expect(files.length).toBe(PACKAGES.length);

    const app = join(work, 'app');
    run('mkdir', ['-p', app], work);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    run('npm', ['install', '--no-audit', '--no-fund', ...files], app);

    writeFileSync(
      join(app, 'derive.mjs'),
      `import { fromHex, toHex, Writer } from '@x/wire';
import { hkdfExpandLabel, hkdfExtract, nodeProvider, nobleProvider } from '@x/crypto';
const salt = fromHex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a');
const dcid = new Writer().bytes(fromHex('8394c8f03e515708')).finish();
for (const p of [nodeProvider, nobleProvider]) {
  const initial = hkdfExtract(p, 'SHA-256', salt, dcid);
  const client = hkdfExpandLabel(p, 'SHA-256', initial, 'client in', new Uint8Array(0), 32);
  console.log(p.name, toHex(hkdfExpandLabel(p, 'SHA-256', client, 'quic key', new Uint8Array(0), 16)));
}
`,
    );
    const out = run('node', ['derive.mjs'], app).trim().split('\n');
    const expected = toHex(
      rfcValue(
        rfcSlice(
          rfcText(9001),
          '   The secrets for protecting client packets',
          '   The secrets for protecting server',
        ),
        'key',
      ),
    );
    expect(out).toEqual([`node ${expected}`, `noble ${expected}`]);

    // Every protocol package, used through its published API over loopback.
    writeFileSync(join(app, 'protocols.mjs'), PROTOCOLS_SCRIPT);
    const lines = run('node', ['protocols.mjs'], app).trim().split('\n');
    expect(lines).toEqual([
      'srtp hello replay',
      'stun mapped 127.0.0.1 true',
      'dtls12 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 SRTP_AEAD_AES_128_GCM hello',
      'tls13 TLS_AES_128_GCM_SHA256 hello',
      'quic Hello world',
    ]);

    // The published .d.ts files type-check a consumer under NodeNext resolution.
    writeFileSync(
      join(app, 'check.ts'),
      `import { Reader, DecodeError } from '@x/wire';
import { type CryptoProvider, defaultProvider, getCipherSuite } from '@x/crypto';
const p: CryptoProvider = defaultProvider;
const r = new Reader(new Uint8Array([0x40, 0x25]));
const n: number = r.varint();
const suite = getCipherSuite('tls13', 0x1301);
export const ok: [number, string | undefined, boolean] = [n, suite?.name, p.name.length > 0 && DecodeError.name === 'DecodeError'];
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: [],
          skipLibCheck: false,
          lib: ['ES2022'],
        },
        files: ['check.ts'],
      }),
    );
    run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], app);
  });
});
