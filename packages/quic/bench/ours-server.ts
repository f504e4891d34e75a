/**
 * The bench's server process: our QUIC stack on node:dgram. A stream whose
 * request is "GET <n>" gets n bytes back (a download, like an HTTP/3 GET);
 * any other stream is echoed. Answers "heap" on IPC with the heap in use after GC.
 */
import { createSelfSignedCertificate, nodeProvider } from '@x/crypto';
import { listen, type QuicStream } from '../src/index.js';

const cert = createSelfSignedCertificate(nodeProvider, {
  commonName: 'localhost',
  notBefore: Date.now() - 60_000,
  notAfter: Date.now() + 86_400_000,
});
const server = await listen({
  host: '127.0.0.1',
  port: 0,
  certificateChain: [cert.der],
  privateKey: cert.privateKey,
  alpnProtocols: ['quic-echo-example'],
  transportParameters: { maxIdleTimeout: 120_000 },
});
const block = new Uint8Array(256 * 1024);
server.on('connection', (c) =>
  c.on('stream', (s: QuicStream) => {
    const parts: Buffer[] = [];
    s.on('data', (d: Buffer) => parts.push(d));
    s.on('end', () => {
      const req = Buffer.concat(parts).toString();
      if (!req.startsWith('GET ')) {
        s.end(Buffer.concat(parts));
        return;
      }
      let left = Number(req.slice(4));
      const pump = () => {
        while (left > 0) {
          const n = Math.min(left, block.length);
          left -= n;
          if (!s.write(block.subarray(0, n))) {
            s.once('drain', pump);
            return;
          }
        }
        s.end();
      };
      pump();
    });
  }),
);
process.on('message', (m) => {
  if (m === 'heap') {
    globalThis.gc?.();
    globalThis.gc?.();
    process.send?.({
      heap: process.memoryUsage().heapUsed,
      connections: server.endpoint.connections.length,
    });
  }
});
console.log(`LISTENING ${server.address.port}`);
process.on('SIGINT', () => process.exit(0));
