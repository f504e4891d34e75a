import { describe, expect, it } from 'vitest';
import { connect, listen, type QuicStream } from './node.js';
import { ALPN, testCertificate } from './test-support/harness.js';

async function readAll(s: QuicStream): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const chunk of s) parts.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(parts));
}

describe('listen / connect on node:dgram (loopback)', () => {
  it('echoes over Duplex streams, with and without Retry', async () => {
    for (const retry of [false, true]) {
      const cert = testCertificate();
      const server = await listen({
        host: '127.0.0.1',
        port: 0,
        retry,
        certificateChain: [cert.der],
        privateKey: cert.privateKey,
        alpnProtocols: [ALPN],
      });
      server.on('connection', (c) => {
        c.on('stream', (s: QuicStream) => s.pipe(s));
      });
      try {
        const conn = await connect({
          host: '127.0.0.1',
          port: server.address.port,
          alpnProtocols: [ALPN],
          serverName: 'localhost',
          insecureSkipVerify: true,
        });
        expect(conn.alpnProtocol).toBe(ALPN);
        const payload = new Uint8Array(300_000).map((_, i) => i & 0xff);
        const streams = [0, 1, 2].map(() => conn.openStream());
        const results = streams.map((s) => readAll(s));
        for (const s of streams) s.end(payload);
        for (const r of await Promise.all(results))
          expect(Buffer.compare(Buffer.from(r), Buffer.from(payload))).toBe(0);
        // A client whose Initial is resent before the Retry arrives (a loaded machine) gets another.
        if (retry) expect(server.endpoint.stats.retriesSent).toBeGreaterThanOrEqual(1);
        else expect(server.endpoint.stats.retriesSent).toBe(0);
        const reason = await conn.close(0, 'bye');
        expect(reason.by).toBe('local');
      } finally {
        await server.close();
      }
    }
  }, 20_000);
});
