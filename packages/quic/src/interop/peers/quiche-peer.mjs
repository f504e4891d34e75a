#!/usr/bin/env node
import { randomBytes, webcrypto } from 'node:crypto';
import fs from 'node:fs';
// A Cloudflare quiche peer (through the npm package @matrixai/quic) for the interop tests.
//   node quiche-peer.mjs server --port P --cert C --key K [--alpn A]
//     echoes every bidirectional stream (FIN after the peer's FIN); prints "LISTENING <port>".
//   node quiche-peer.mjs client --port P [--streams N] [--size BYTES | --message TEXT] [--alpn A]
//     sends on N streams, compares the echoes, prints "OK streams=N bytes=B" (exit 0) or "FAIL ...".
// Benchmark modes: a server stream whose request is "GET <n>" gets n bytes back instead of an echo;
//   node quiche-peer.mjs download --port P --size N   prints "DOWNLOAD bytes=N ms=T"
//   node quiche-peer.mjs handshakes --port P --count N [--warmup W] [--concurrency K]  prints "HANDSHAKES count=N ms=T"
// quiche's server here always answers a first Initial with a Retry.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { events, QUICClient, QUICServer } from '@matrixai/quic';

// @matrixai/logger is a dependency of @matrixai/quic, resolved from its real location.
const quicPkg = fs.realpathSync(
  new URL('../../../node_modules/@matrixai/quic/package.json', import.meta.url),
);
const {
  default: Logger,
  LogLevel,
  StreamHandler,
} = await import(
  pathToFileURL(path.join(path.dirname(quicPkg), '..', 'logger', 'dist', 'index.js')).href
);
const [mode, ...rest] = process.argv.slice(2);
const args = {};
for (let i = 0; i < rest.length; i += 2) args[rest[i].replace(/^--/, '')] = rest[i + 1];
const alpn = [args.alpn ?? 'quic-echo-example'];
const logger = new Logger('quiche-peer', LogLevel.WARN, [new StreamHandler()]);

if (mode === 'server') {
  const key = await webcrypto.subtle.exportKey(
    'raw',
    await webcrypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign', 'verify']),
  );
  const imp = (k) =>
    webcrypto.subtle.importKey('raw', k, { name: 'HMAC', hash: 'SHA-256' }, true, [
      'sign',
      'verify',
    ]);
  const server = new QUICServer({
    logger,
    crypto: {
      key,
      ops: {
        sign: async (k, d) => webcrypto.subtle.sign('HMAC', await imp(k), d),
        verify: async (k, d, s) => webcrypto.subtle.verify('HMAC', await imp(k), s, d),
      },
    },
    config: {
      key: fs.readFileSync(args.key, 'utf8'),
      cert: fs.readFileSync(args.cert, 'utf8'),
      applicationProtos: alpn,
      verifyPeer: false,
      maxIdleTimeout: 10000,
    },
  });
  server.addEventListener(events.EventQUICServerConnection.name, (evt) => {
    const conn = evt.detail;
    console.log(`CONN from ${conn.remoteHost}:${conn.remotePort}`);
    conn.addEventListener(events.EventQUICConnectionStream.name, async (sevt) => {
      const stream = sevt.detail;
      let n = 0;
      try {
        const writer = stream.writable.getWriter();
        const got = [];
        for await (const chunk of stream.readable) {
          n += chunk.byteLength;
          if (got.length === 0 && Buffer.from(chunk).subarray(0, 4).toString() === 'GET ')
            got.push(chunk);
          else if (got.length > 0) got.push(chunk);
          else await writer.write(chunk);
        }
        if (got.length > 0) {
          let left = Number(
            Buffer.concat(got.map((c) => Buffer.from(c)))
              .toString()
              .slice(4),
          );
          const block = new Uint8Array(65536);
          while (left > 0) {
            const c = block.subarray(0, Math.min(left, block.length));
            await writer.write(c);
            left -= c.length;
          }
        }
        await writer.close();
        console.log(`stream ${stream.streamId} echoed ${n} bytes`);
      } catch (e) {
        console.log(`stream ${stream.streamId} error: ${e?.message ?? e}`);
      }
    });
  });
  await server.start({ host: '127.0.0.1', port: Number(args.port) });
  console.log(`LISTENING ${server.port}`);
  const stop = async () => {
    try {
      await server.stop({ force: true });
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else if (mode === 'download' || mode === 'handshakes') {
  const make = () =>
    QUICClient.createQUICClient({
      logger,
      localHost: '127.0.0.1',
      host: '127.0.0.1',
      port: Number(args.port),
      serverName: 'localhost',
      crypto: {
        ops: { randomBytes: async (buf) => void webcrypto.getRandomValues(new Uint8Array(buf)) },
      },
      config: { applicationProtos: alpn, verifyPeer: false, maxIdleTimeout: 10000 },
    });
  if (mode === 'handshakes') {
    const count = Number(args.count ?? 20);
    // --concurrency K: K clients connect and close in a loop at once, `count` handshakes in all.
    const concurrency = Number(args.concurrency ?? 1);
    // --warmup W: W untimed handshakes first, so the JIT has compiled the hot paths.
    for (let i = 0; i < Number(args.warmup ?? 0); i++) {
      const c = await make();
      await c.destroy({ isApp: true, errorCode: 0, force: true });
    }
    let started = 0;
    const loop = async () => {
      while (started < count) {
        started++;
        const c = await make();
        await c.destroy({ isApp: true, errorCode: 0, force: true });
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, loop));
    console.log(`HANDSHAKES count=${count} ms=${(performance.now() - t0).toFixed(1)}`);
  } else {
    const size = Number(args.size);
    const client = await make();
    const t0 = performance.now();
    const stream = client.connection.newStream('bidi');
    const writer = stream.writable.getWriter();
    await writer.write(Buffer.from(`GET ${size}`));
    await writer.close();
    let got = 0;
    for await (const c of stream.readable) got += c.byteLength;
    console.log(`DOWNLOAD bytes=${got} ms=${(performance.now() - t0).toFixed(1)}`);
    await client.destroy({ isApp: true, errorCode: 0, force: true });
  }
  process.exit(0);
} else {
  const n = Number(args.streams ?? 1);
  setTimeout(
    () => {
      console.log('FAIL timeout');
      process.exit(1);
    },
    Number(args.timeout ?? 20000),
  ).unref();
  let client;
  try {
    client = await QUICClient.createQUICClient({
      logger,
      localHost: '127.0.0.1',
      host: '127.0.0.1',
      port: Number(args.port),
      serverName: 'localhost',
      crypto: {
        ops: { randomBytes: async (buf) => void webcrypto.getRandomValues(new Uint8Array(buf)) },
      },
      config: { applicationProtos: alpn, verifyPeer: false, maxIdleTimeout: 10000 },
    });
  } catch (e) {
    console.log('FAIL connect:', e?.message ?? e, e?.cause?.message ?? '');
    process.exit(1);
  }
  let ok = true;
  let total = 0;
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const payload = args.message
        ? Buffer.from(`${args.message} #${i}`)
        : randomBytes(Number(args.size ?? 10000));
      const stream = client.connection.newStream('bidi');
      const writer = stream.writable.getWriter();
      const reading = (async () => {
        const parts = [];
        for await (const c of stream.readable) parts.push(Buffer.from(c));
        return Buffer.concat(parts);
      })();
      await writer.write(payload);
      await writer.close();
      const echoed = await reading;
      const same = Buffer.compare(echoed, payload) === 0;
      ok &&= same;
      total += echoed.length;
      console.log(
        `stream ${stream.streamId}: sent ${payload.length} got ${echoed.length} ${same ? 'match' : 'MISMATCH'}`,
      );
    }),
  );
  await client.destroy({ isApp: true, errorCode: 0, force: false });
  console.log(ok ? `OK streams=${n} bytes=${total}` : 'FAIL mismatch');
  process.exit(ok ? 0 : 1);
}
