/**
 * @x/tls13 against node:tls, same run, same loopback TCP: full handshakes per
 * second (sequential connections, ECDSA P-256 certificate, x25519,
 * TLS_AES_128_GCM_SHA256) and bulk throughput (MB/s one way over one
 * connection), printed as ratios ours/theirs. Sides alternate (A B A B ...) so
 * load changes hit both; each row is the median of `--samples` rounds (9, or 3
 * with `--quick`). `--filter handshake` or `--filter bulk` runs one case.
 */
import type { AddressInfo, Server } from 'node:net';
import * as tls from 'node:tls';
import { parseBenchArgs } from '@x/bench';
import { derToPem, nodeProvider, privateKeyToPem } from '@x/crypto';
import { connect, createServer } from '../src/node.js';
import { testIdentity } from '../src/testing/pair.js';

const args = parseBenchArgs();
const quick = args.quick;
const ROUNDS = args.measure.samples;
const runs = (c: 'handshake' | 'bulk') => args.filter === undefined || c.includes(args.filter);
const HANDSHAKES = quick ? 50 : 300;
/** A handshake runs each function a few times; V8 needs some hundreds before the hot paths are optimised. */
const WARMUP_HANDSHAKES = quick ? 20 : 500;
const BULK = (quick ? 16 : 64) * 1024 * 1024;
const CHUNK = 64 * 1024;

const id = testIdentity('P-256', nodeProvider);
const pem = { cert: derToPem(id.der), key: privateKeyToPem(id.privateKey) };
const SUITE = 'TLS_AES_128_GCM_SHA256';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

interface Pair {
  name: string;
  server: Server;
  port: number;
  /** One full handshake, then close. */
  handshake(): Promise<void>;
  /** Sends `bytes` one way; resolves when the server counted them all. */
  bulk(bytes: number): Promise<void>;
}

let received = 0;
let onCount: (() => void) | undefined;
let target = 0;
function count(n: number): void {
  received += n;
  if (received >= target && onCount) {
    const f = onCount;
    onCount = undefined;
    f();
  }
}

async function ours(): Promise<Pair> {
  const server = createServer(
    {
      certificateChain: [id.der],
      privateKey: id.privateKey,
      cipherSuites: [SUITE],
      groups: ['x25519'],
    },
    (s) => {
      s.on('data', (d: Buffer) => count(d.length));
      s.on('end', () => s.end());
      s.on('error', () => {});
    },
  );
  const port = await listen(server);
  const opts = {
    port,
    host: '127.0.0.1',
    serverName: 'localhost',
    trustAnchors: [id.certificate],
    cipherSuites: [SUITE],
    groups: ['x25519'],
  };
  return {
    name: '@x/tls13',
    server,
    port,
    handshake: () =>
      new Promise((resolve, reject) => {
        const s = connect(opts, () => {
          s.destroy();
          resolve();
        });
        s.on('error', reject);
      }),
    bulk: (bytes) => bulk(connect(opts), 'secureConnect', bytes),
  };
}

async function theirs(): Promise<Pair> {
  const server = tls.createServer(
    { ...pem, minVersion: 'TLSv1.3', ciphers: SUITE, ecdhCurve: 'X25519' },
    (s) => {
      s.on('data', (d: Buffer) => count(d.length));
      s.on('end', () => s.end());
      s.on('error', () => {});
    },
  );
  const port = await listen(server);
  const opts = {
    port,
    host: '127.0.0.1',
    servername: 'localhost',
    ca: pem.cert,
    minVersion: 'TLSv1.3' as const,
    ciphers: SUITE,
    ecdhCurve: 'X25519',
  };
  return {
    name: 'node:tls',
    server,
    port,
    handshake: () =>
      new Promise((resolve, reject) => {
        const s = tls.connect(opts, () => {
          s.destroy();
          resolve();
        });
        s.on('error', reject);
      }),
    bulk: (bytes) => bulk(tls.connect(opts), 'secureConnect', bytes),
  };
}

function bulk(
  sock: NodeJS.WritableStream & NodeJS.EventEmitter & { destroy(): void },
  ready: string,
  bytes: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    received = 0;
    target = bytes;
    onCount = () => {
      sock.destroy();
      resolve();
    };
    sock.on('error', reject);
    sock.once(ready, () => {
      const chunk = Buffer.alloc(CHUNK, 7);
      let sent = 0;
      const pump = () => {
        while (sent < bytes) {
          sent += CHUNK;
          if (!sock.write(chunk)) {
            sock.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
  });
}

async function timeHandshakes(p: Pair, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await p.handshake();
  return n / ((performance.now() - t0) / 1000);
}

async function timeBulk(p: Pair, bytes: number): Promise<number> {
  const t0 = performance.now();
  await p.bulk(bytes);
  return bytes / 1e6 / ((performance.now() - t0) / 1000);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const a = await ours();
  const b = await theirs();
  // Warm-up: JIT and OpenSSL state on both sides.
  if (runs('handshake')) {
    await timeHandshakes(a, WARMUP_HANDSHAKES);
    await timeHandshakes(b, WARMUP_HANDSHAKES);
  }
  if (runs('bulk')) {
    await timeBulk(a, 4 * 1024 * 1024);
    await timeBulk(b, 4 * 1024 * 1024);
  }
  const hs: [number[], number[]] = [[], []];
  const mb: [number[], number[]] = [[], []];
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? [a, b] : [b, a];
    if (runs('handshake'))
      for (const p of order) hs[p === a ? 0 : 1].push(await timeHandshakes(p, HANDSHAKES));
    if (runs('bulk')) for (const p of order) mb[p === a ? 0 : 1].push(await timeBulk(p, BULK));
  }
  const row = (what: string, unit: string, x: number[], y: number[]) => {
    const o = median(x);
    const t = median(y);
    return `| ${what} | ${o.toFixed(1)} ${unit} | ${t.toFixed(1)} ${unit} | ${(o / t).toFixed(2)} |`;
  };
  process.stdout.write(
    `# @x/tls13 vs node:tls (${quick ? 'quick' : 'full'}, node ${process.version}, loopback TCP, ${SUITE}, x25519, ECDSA P-256)\n\n`,
  );
  process.stdout.write('| case | ours | theirs | ours/theirs |\n|---|---|---|---|\n');
  if (runs('handshake'))
    process.stdout.write(
      `${row(`full handshakes (${HANDSHAKES} sequential, after ${WARMUP_HANDSHAKES}, median of ${ROUNDS})`, '/s', hs[0], hs[1])}\n`,
    );
  if (runs('bulk'))
    process.stdout.write(
      `${row(`bulk one way (${BULK / 1024 / 1024} MiB, 64 KiB writes, median of ${ROUNDS})`, 'MB/s', mb[0], mb[1])}\n`,
    );
  a.server.close();
  b.server.close();
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
