import { readFileSync } from 'node:fs';
import { createSelfSignedCertificate, nodeProvider, parseCertificate, pemToDer } from '@x/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, listen, type QuicStream } from '../endpoint/node.js';
import {
  opensslCertificate,
  type RunningPeer,
  requireQuiche,
  startPeer,
} from './test-support/peers.js';

const ALPN = 'quic-echo-example';

async function echo(s: QuicStream, payload: Uint8Array): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of s) parts.push(chunk as Buffer);
  })();
  s.end(payload);
  await done;
  return new Uint8Array(Buffer.concat(parts));
}

describe('interop: our client -> quiche echo server (always Retry)', () => {
  let peer: RunningPeer;
  let port: number;
  let certPem: string;
  beforeAll(async () => {
    requireQuiche();
    const { cert, key } = opensslCertificate();
    certPem = readFileSync(cert, 'utf8');
    // Port 0: the peer binds a port no other test can take between our choice and its bind.
    peer = startPeer(['server', '--port', '0', '--cert', cert, '--key', key]);
    port = Number(/LISTENING (\d+)/.exec(await peer.waitFor(/LISTENING \d+/, 15_000))![1]);
  }, 30_000);
  afterAll(() => peer?.kill());

  it('verifies quiche’s certificate, follows its Retry and echoes "Hello world"', async () => {
    const lines: string[] = [];
    const conn = await connect({
      host: '127.0.0.1',
      port,
      alpnProtocols: [ALPN],
      serverName: 'localhost',
      trustAnchors: [parseCertificate(pemToDer(certPem, 'CERTIFICATE')[0]!)],
      trace: (l) => lines.push(l),
    });
    expect(conn.alpnProtocol).toBe(ALPN);
    expect(lines.some((l) => l.startsWith('recv retry'))).toBe(true);
    const got = await echo(conn.openStream(), new TextEncoder().encode('Hello world'));
    expect(new TextDecoder().decode(got)).toBe('Hello world');
    await conn.close();
    await peer.waitFor(/stream 0 echoed 11 bytes/, 15_000);
  }, 20_000);

  it('echoes four concurrent 200 kB streams', async () => {
    const conn = await connect({
      host: '127.0.0.1',
      port,
      alpnProtocols: [ALPN],
      insecureSkipVerify: true,
    });
    const payload = nodeProvider.randomBytes(200_000);
    const results = await Promise.all([0, 1, 2, 3].map(() => echo(conn.openStream(), payload)));
    for (const r of results) expect(Buffer.compare(Buffer.from(r), Buffer.from(payload))).toBe(0);
    await conn.close();
    await peer.waitFor(/(echoed 200000 bytes[\s\S]*){4}/, 15_000);
  }, 30_000);
});

describe('interop: quiche client -> our echo server', () => {
  for (const retry of [false, true]) {
    it(`echoes 3 streams of 100 kB ${retry ? 'with' : 'without'} Retry`, async () => {
      requireQuiche();
      const cert = createSelfSignedCertificate(nodeProvider, {
        commonName: 'localhost',
        dnsNames: ['localhost'],
        notBefore: Date.now() - 60_000,
        notAfter: Date.now() + 86_400_000,
      });
      const server = await listen({
        host: '127.0.0.1',
        port: 0,
        retry,
        certificateChain: [cert.der],
        privateKey: cert.privateKey,
        alpnProtocols: [ALPN],
      });
      server.on('connection', (c) => c.on('stream', (s: QuicStream) => s.pipe(s)));
      const peer = startPeer([
        'client',
        '--port',
        String(server.address.port),
        '--streams',
        '3',
        '--size',
        '100000',
      ]);
      try {
        expect(await peer.exited(25_000)).toBe(0);
        expect(peer.output()).toMatch(/OK streams=3 bytes=300000/);
        // A client whose Initial is resent before the Retry arrives (a loaded machine) gets another.
        if (retry) expect(server.endpoint.stats.retriesSent).toBeGreaterThanOrEqual(1);
        else expect(server.endpoint.stats.retriesSent).toBe(0);
        expect(server.endpoint.stats.internalErrors).toBe(0);
      } finally {
        peer.kill();
        await server.close();
      }
    }, 30_000);
  }
});

// About 6 s each here; QUIC_INTEROP_SMALL=1 leaves them out on a slow machine.
describe.skipIf(process.env.QUIC_INTEROP_SMALL === '1')('interop with quiche: 10 MB', () => {
  it('our client echoes 10 MB through the quiche server', async () => {
    requireQuiche();
    const { cert, key } = opensslCertificate();
    const peer = startPeer(['server', '--port', '0', '--cert', cert, '--key', key]);
    try {
      const port = Number(/LISTENING (\d+)/.exec(await peer.waitFor(/LISTENING \d+/, 15_000))![1]);
      const conn = await connect({
        host: '127.0.0.1',
        port,
        alpnProtocols: [ALPN],
        insecureSkipVerify: true,
      });
      const payload = nodeProvider.randomBytes(10 * 1024 * 1024);
      const got = await echo(conn.openStream(), payload);
      expect(Buffer.compare(Buffer.from(got), Buffer.from(payload))).toBe(0);
      await conn.close();
    } finally {
      peer.kill();
    }
  }, 300_000);

  it('the quiche client echoes 10 MB through our server', async () => {
    requireQuiche();
    const cert = createSelfSignedCertificate(nodeProvider, {
      commonName: 'localhost',
      notBefore: Date.now() - 60_000,
      notAfter: Date.now() + 86_400_000,
    });
    const server = await listen({
      host: '127.0.0.1',
      port: 0,
      retry: true,
      certificateChain: [cert.der],
      privateKey: cert.privateKey,
      alpnProtocols: [ALPN],
    });
    server.on('connection', (c) => c.on('stream', (s: QuicStream) => s.pipe(s)));
    const peer = startPeer([
      'client',
      '--port',
      String(server.address.port),
      '--streams',
      '1',
      '--size',
      String(10 * 1024 * 1024),
      '--timeout',
      '280000',
    ]);
    try {
      expect(await peer.exited(290_000)).toBe(0);
      expect(peer.output()).toMatch(/OK streams=1 bytes=10485760/);
    } finally {
      peer.kill();
      await server.close();
    }
  }, 300_000);
});
