/**
 * The node:net binding under bulk load, against node:tls (OpenSSL) both ways:
 * megabytes in writes of every size, echoed back byte for byte. This is what
 * exercises the reused output buffer (kernel backpressure, partial writes)
 * and records split across socket reads.
 */
import { createHash } from 'node:crypto';
import type { Server, Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { concatBytes, equalBytes } from '@x/wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TlsConnection } from './connection.js';
import { connect, createServer, TlsSocket } from './node.js';
import { close, listen, pemOf, tls, withTimeout } from './testing/node-peer.js';
import { collect, testIdentity } from './testing/pair.js';

const id = testIdentity('P-256');
const pem = pemOf(id);
const TOTAL = 6 * 1024 * 1024;

/** Deterministic data and write sizes from 1 byte to 200 KB (more than the 64 KiB output buffer). */
function payload(): { data: Buffer; sizes: number[] } {
  const data = Buffer.allocUnsafe(TOTAL);
  let seed = 12345;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  for (let i = 0; i < TOTAL; i++) data[i] = next() >>> 24;
  const sizes: number[] = [];
  const choices = [1, 5, 100, 16_384, 16_385, 65_536, 65_537, 200_000];
  for (let left = TOTAL; left > 0; ) {
    const n = Math.min(left, choices[next() % choices.length]! + (next() % 7));
    sizes.push(n);
    left -= n;
  }
  return { data, sizes };
}

/** A node:tls (OpenSSL) client of ours, once its handshake completed. */
async function nodeTlsClient(port: number): Promise<tls.TLSSocket> {
  const sock = tls.connect({
    port,
    host: '127.0.0.1',
    servername: 'localhost',
    ca: pem.cert,
    minVersion: 'TLSv1.3',
  });
  try {
    await withTimeout(
      new Promise((resolve) => sock.once('secureConnect', resolve)),
      5000,
      'handshake',
    );
  } catch (e) {
    sock.destroy();
    throw e;
  }
  return sock;
}

/** Sends `data` in writes of `sizes` and checks the echo; the socket is destroyed either way. */
async function expectEchoed(
  sock: NodeJS.ReadWriteStream & { destroy(): void },
  data: Buffer,
  sizes: number[],
) {
  // finally: a timeout must not leave the socket (and its peer) open for the next test.
  try {
    const back = await withTimeout(exchange(sock, data, sizes), 20_000, 'echo');
    expect(back.length).toBe(data.length);
    expect(sha256(back)).toBe(sha256(data));
  } finally {
    sock.destroy();
  }
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Writes every piece as fast as the stream accepts it, then ends; resolves with everything read back. */
function exchange(sock: NodeJS.ReadWriteStream, data: Buffer, sizes: number[]): Promise<Buffer> {
  const got: Buffer[] = [];
  sock.on('data', (d: Buffer) => got.push(Buffer.from(d)));
  let off = 0;
  for (const n of sizes) {
    sock.write(data.subarray(off, off + n));
    off += n;
  }
  sock.end();
  return new Promise((resolve, reject) => {
    sock.on('end', () => resolve(Buffer.concat(got)));
    sock.on('error', reject);
  });
}

describe('node binding: bulk data through node:tls and back', () => {
  let theirServer: tls.Server;
  let theirPort: number;
  let ourServer: Server;
  let ourPort: number;
  beforeAll(async () => {
    theirServer = tls.createServer({ ...pem, minVersion: 'TLSv1.3' }, (s) => s.pipe(s));
    theirPort = await listen(theirServer);
    ourServer = createServer({ certificateChain: [id.der], privateKey: id.privateKey }, (s) =>
      s.pipe(s),
    );
    ourPort = await listen(ourServer);
  });
  afterAll(async () => {
    await close(theirServer);
    await close(ourServer);
  });

  it('our client: 6 MiB echoed by a node:tls server arrive intact', async () => {
    const { data, sizes } = payload();
    const sock = connect({
      port: theirPort,
      host: '127.0.0.1',
      serverName: 'localhost',
      trustAnchors: [id.certificate],
    });
    await expectEchoed(sock, data, sizes);
  });

  it('our server: 6 MiB from a node:tls client echoed back intact', async () => {
    const { data, sizes } = payload();
    const sock = await nodeTlsClient(ourPort);
    await expectEchoed(sock, data, sizes);
  });
});

describe('node binding: the peer ends before the application has read', () => {
  it('our server still echoes every byte it received before the FIN', async () => {
    // The application reads only after the client's close_notify and FIN are
    // in: ending our write side at the FIN would refuse the echo that follows.
    const server = createServer({ certificateChain: [id.der], privateKey: id.privateKey }, (s) => {
      s.pause();
      s.socket.once('end', () => setImmediate(() => s.pipe(s)));
    });
    const port = await listen(server);
    try {
      const data = Buffer.alloc(1 << 20, 7);
      const sock = await nodeTlsClient(port);
      try {
        const back = await withTimeout(exchange(sock, data, [data.length]), 20_000, 'echo');
        expect(back.length).toBe(data.length);
      } finally {
        sock.destroy();
      }
    } finally {
      await close(server);
    }
  });
});

describe('node binding: output buffer reuse', () => {
  it('never overwrites bytes the socket has not finished writing', async () => {
    const server = TlsConnection.server(
      { certificateChain: [id.der], privateKey: id.privateKey },
      collect().handlers,
    );
    const got: Uint8Array[] = [];
    server.handlers.onData = (d) => got.push(d.slice());
    // A socket whose writes can be held back, as the kernel does with a partial write.
    let hold = false;
    const held: [Uint8Array, () => void][] = [];
    const deliver = (chunk: Uint8Array) => {
      server.receive(chunk, Date.now());
      const out = server.takeOutput();
      if (out) wire.push(out);
    };
    const wire = new Duplex({
      highWaterMark: 1 << 20,
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        if (!hold) {
          deliver(chunk);
          callback();
        } else held.push([chunk, callback]);
      },
    });
    const client = new TlsSocket(wire as unknown as Socket, (s) =>
      TlsConnection.client(
        { serverName: 'localhost', trustAnchors: [id.certificate] },
        { onHandshakeComplete: () => s._onHandshakeComplete(), onError: (e) => s._onError(e) },
      ),
    );
    client.connection.start(Date.now());
    client.flush();
    // The wire's 'data' events come on later ticks.
    for (let i = 0; i < 50 && !client.connection.handshakeComplete; i++)
      await new Promise((resolve) => setImmediate(resolve));
    expect(client.connection.handshakeComplete).toBe(true);
    hold = true;
    const first = new Uint8Array(40_000).fill(1);
    const second = new Uint8Array(40_000).fill(2);
    client.write(first);
    // The first write is still in the socket (writableLength > 0) but under its
    // highWaterMark, so the second is sealed at once.
    expect(wire.writableLength).toBeGreaterThan(0);
    client.write(second);
    for (let i = 0; i < 50 && held.length > 0; i++) {
      const [chunk, callback] = held.shift()!;
      deliver(chunk);
      callback();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(server.error).toBeUndefined();
    expect(equalBytes(concatBytes(...got), concatBytes(first, second))).toBe(true);
  });
});
