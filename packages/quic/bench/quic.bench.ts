/**
 * `pnpm bench` for @x/quic: ours against native ngtcp2 (gtlsserver/gtlsclient,
 * HTTP/3) and quiche (@matrixai/quic) side by side in one run, printed as ratios.
 *   goodput: a download over loopback (MB=100 by default; quiche gets at most
 *            20 MB, it is slow in Node), each stack against itself
 *   handshakes per second: sequential connect + close, after a warm-up
 *   server heap per idle connection with 1,000 connections open
 * --quick: 10 MB, 20 handshakes, 200 connections.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bindEndpoint } from '@x/wire';
import { Endpoint } from '../src/endpoint/endpoint.js';
import { connect } from '../src/endpoint/node.js';
import { freeUdpPort, opensslCertificate, PEER_SCRIPT } from '../src/interop/test-support/peers.js';

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const MB = quick ? 10 : Number(process.env.MB ?? 100);
const HANDSHAKES = quick
  ? { cold: 20, warmup: 20, ours: 20, quiche: 10 }
  : { cold: 500, warmup: 2000, ours: 1000, quiche: 50 };
const IDLE = quick ? 200 : 1000;
const ALPN = 'quic-echo-example';
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

function startChild(
  cmd: string,
  args: string[],
  ready: RegExp,
  ipc = false,
): Promise<{ child: ChildProcess; out: string }> {
  const child = spawn(cmd, args, {
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? (['ipc'] as const) : [])],
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${cmd} did not start: ${out}`)), 20_000);
    const on = (b: Buffer) => {
      out += b.toString();
      if (ready.test(out)) {
        clearTimeout(t);
        resolve({ child, out });
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
  });
}

async function runChild(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} timed out: ${out}`));
    }, timeoutMs);
    child.on('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
  return out;
}

const rows: {
  what: string;
  ours: string;
  theirs: string;
  ratio: number;
  peer: string;
  target?: string;
}[] = [];
const log = (s: string) => process.stderr.write(`${s}\n`);

// ---- our server process -------------------------------------------------------------
const ours = await startChild(
  process.execPath,
  [
    '--expose-gc',
    '--import',
    'tsx',
    '--conditions=x-source',
    join(import.meta.dirname, 'ours-server.ts'),
  ],
  /LISTENING (\d+)/,
  true,
);
const oursPort = Number(/LISTENING (\d+)/.exec(ours.out)![1]);
const heap = () =>
  new Promise<{ heap: number; connections: number }>((resolve) => {
    ours.child.once('message', (m) => resolve(m as { heap: number; connections: number }));
    ours.child.send('heap');
  });

async function oursDownload(bytes: number): Promise<number> {
  const conn = await connect({
    host: '127.0.0.1',
    port: oursPort,
    alpnProtocols: [ALPN],
    insecureSkipVerify: true,
  });
  const t0 = performance.now();
  const s = conn.openStream();
  let got = 0;
  s.on('data', (d: Buffer) => (got += d.length));
  const done = new Promise((r) => s.on('end', r));
  s.end(`GET ${bytes}`);
  await done;
  const ms = performance.now() - t0;
  await conn.close();
  if (got !== bytes) throw new Error(`ours: got ${got} of ${bytes}`);
  return ms;
}

log('ours: warming up (2 MB)');
await oursDownload(2 * 1024 * 1024);
log(`ours: downloading ${MB} MB`);
const oursMs = await oursDownload(MB * 1024 * 1024);
const oursRate = (MB * 1.048576) / (oursMs / 1000);

// ---- ngtcp2 (native, HTTP/3) ---------------------------------------------------------------
const { cert, key } = opensslCertificate();
let ngtcp2Rate: number | undefined;
try {
  const docroot = mkdtempSync(join(tmpdir(), 'quic-bench-docroot-'));
  writeFileSync(join(docroot, 'file'), new Uint8Array(MB * 1024 * 1024));
  writeFileSync(join(docroot, 'small'), 'x');
  const port = await freeUdpPort();
  const qlogDir = join(docroot, 'qlog');
  mkdirSync(qlogDir);
  await startChild(
    'gtlsserver',
    ['-q', '-d', docroot, '127.0.0.1', String(port), key, cert],
    /./,
  ).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 500));
  const dl = mkdtempSync(join(tmpdir(), 'quic-bench-dl-'));
  log(`ngtcp2: downloading ${MB} MB over HTTP/3`);
  const t0 = performance.now();
  await runChild(
    'gtlsclient',
    [
      '-q',
      '--exit-on-all-streams-close',
      '--download',
      dl,
      '127.0.0.1',
      String(port),
      `https://127.0.0.1:${port}/file`,
    ],
    120_000,
  );
  const ms = performance.now() - t0;
  if (statSync(join(dl, 'file')).size !== MB * 1024 * 1024)
    throw new Error('ngtcp2 download incomplete');
  ngtcp2Rate = (MB * 1.048576) / (ms / 1000);
} catch (e) {
  log(`ngtcp2 skipped: ${(e as Error).message} (apt-get install -y ngtcp2-server ngtcp2-client)`);
}
if (ngtcp2Rate) {
  rows.push({
    what: `goodput ${MB} MB download`,
    ours: `${oursRate.toFixed(1)} MB/s`,
    theirs: `${ngtcp2Rate.toFixed(1)} MB/s`,
    ratio: oursRate / ngtcp2Rate,
    peer: 'ngtcp2 gtlsserver/gtlsclient (native, h3)',
    target: '>= 0.33',
  });
}

// ---- quiche via @matrixai/quic ------------------------------------------------------------------
const quiche = await startChild(
  process.execPath,
  [PEER_SCRIPT, 'server', '--port', String(await freeUdpPort()), '--cert', cert, '--key', key],
  /LISTENING (\d+)/,
);
const quichePort = /LISTENING (\d+)/.exec(quiche.out)![1]!;
const qMB = Math.min(MB, 20);
log(`quiche: downloading ${qMB} MB`);
const qOut = await runChild(
  process.execPath,
  [PEER_SCRIPT, 'download', '--port', quichePort, '--size', String(qMB * 1024 * 1024)],
  300_000,
);
const qm = /DOWNLOAD bytes=(\d+) ms=([\d.]+)/.exec(qOut);
if (qm) {
  const rate = Number(qm[1]) / 1e6 / (Number(qm[2]) / 1000);
  rows.push({
    what: `goodput download (quiche: ${qMB} MB)`,
    ours: `${oursRate.toFixed(1)} MB/s`,
    theirs: `${rate.toFixed(1)} MB/s`,
    ratio: oursRate / rate,
    peer: 'quiche/quiche in Node (@matrixai/quic)',
  });
}

// ---- handshakes per second ------------------------------------------------------------------
// Sequential connect + close. A handshake runs each function only a few times,
// so V8 takes a few thousand handshakes to optimise the hot paths: ours went
// from ~320/s over the first 400 to ~490/s after 2,500. Both rates are printed;
// the target applies to the warm one, a long-running server's. quiche's rate does
// not move with warm-up (measured: 32-36/s after 0 or 100), but it gets one too.
const oursHandshake = async () => {
  const c = await connect({
    host: '127.0.0.1',
    port: oursPort,
    alpnProtocols: [ALPN],
    insecureSkipVerify: true,
  });
  await c.close();
};
const handshakeRate = async (n: number) => {
  const t = performance.now();
  for (let i = 0; i < n; i++) await oursHandshake();
  return n / ((performance.now() - t) / 1000);
};
log(
  `handshakes: ours ${HANDSHAKES.cold} cold, ${HANDSHAKES.warmup} more, ${HANDSHAKES.ours} warm; quiche 10 + ${HANDSHAKES.quiche}`,
);
const oursColdHps = await handshakeRate(HANDSHAKES.cold);
await handshakeRate(HANDSHAKES.warmup);
const oursHps = await handshakeRate(HANDSHAKES.ours);
// Four clients at once: the server's capacity rather than one client's latency.
const CONCURRENCY = 4;
const c0 = performance.now();
let begun = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (begun < HANDSHAKES.ours) {
      begun++;
      await oursHandshake();
    }
  }),
);
const oursConcurrentHps = HANDSHAKES.ours / ((performance.now() - c0) / 1000);
/** quiche-peer's handshake loop: `count` handshakes after 10 untimed ones; undefined if it failed. */
async function quicheHandshakeRate(count: number, concurrency = 1): Promise<number | undefined> {
  const out = await runChild(
    process.execPath,
    [
      PEER_SCRIPT,
      'handshakes',
      '--port',
      quichePort,
      '--count',
      String(count),
      '--warmup',
      '10',
      '--concurrency',
      String(concurrency),
    ],
    300_000,
  );
  const m = /HANDSHAKES count=(\d+) ms=([\d.]+)/.exec(out);
  return m ? Number(m[1]) / (Number(m[2]) / 1000) : undefined;
}
const quicheHps = await quicheHandshakeRate(HANDSHAKES.quiche);
if (quicheHps !== undefined) {
  const hps = quicheHps;
  rows.push({
    what: `handshakes per second (sequential, first ${HANDSHAKES.cold} after start)`,
    ours: oursColdHps.toFixed(1),
    theirs: hps.toFixed(1),
    ratio: oursColdHps / hps,
    peer: 'quiche/quiche in Node (its server always sends Retry)',
  });
  rows.push({
    what: `handshakes per second (sequential, warm: after ${HANDSHAKES.cold + HANDSHAKES.warmup})`,
    ours: oursHps.toFixed(1),
    theirs: hps.toFixed(1),
    ratio: oursHps / hps,
    peer: 'quiche/quiche in Node (its server always sends Retry)',
    target: '>= 10',
  });
}
const quicheConcurrentHps = await quicheHandshakeRate(HANDSHAKES.quiche * 2, CONCURRENCY);
if (quicheConcurrentHps !== undefined) {
  const hps = quicheConcurrentHps;
  rows.push({
    what: `handshakes per second (${CONCURRENCY} clients at once, warm)`,
    ours: oursConcurrentHps.toFixed(1),
    theirs: hps.toFixed(1),
    ratio: oursConcurrentHps / hps,
    peer: 'quiche/quiche in Node (its server always sends Retry)',
  });
}

// ---- server memory per idle connection ---------------------------------------------------------
log(`memory: ${IDLE} idle connections`);
const before = await heap();
const clientEp = new Endpoint();
const handle = await bindEndpoint(clientEp, { address: '127.0.0.1', port: 0 });
const remote = { address: '127.0.0.1', port: oursPort, family: 'IPv4' as const };
const conns = [];
for (let i = 0; i < IDLE; i++) {
  conns.push(
    clientEp.connect(
      {
        alpnProtocols: [ALPN],
        insecureSkipVerify: true,
        transportParameters: { maxIdleTimeout: 120_000 },
      },
      remote,
      performance.now(),
    ),
  );
  handle.flush();
  if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20));
}
const deadline = performance.now() + 60_000;
while (conns.some((c) => !c.isEstablished) && performance.now() < deadline)
  await new Promise((r) => setTimeout(r, 100));
await new Promise((r) => setTimeout(r, 500));
const after = await heap();
const perConn = (after.heap - before.heap) / Math.max(1, after.connections);
rows.push({
  what: `server heap per idle connection (${after.connections} open)`,
  ours: `${(perConn / 1024).toFixed(1)} KB`,
  theirs: '20 KB target',
  ratio: 20 / (perConn / 1024),
  peer: 'issue target (no peer measured)',
  target: '>= 1 (under 20 KB)',
});
await handle.close();

// ---- report -----------------------------------------------------------------------------------
console.log(
  `\n@x/quic bench (${quick ? 'quick' : 'full'}; load ${(await import('node:os')).loadavg()[0]!.toFixed(2)})\n`,
);
console.log('| case | ours | theirs | ours/theirs | peer | target |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of rows)
  console.log(
    `| ${r.what} | ${r.ours} | ${r.theirs} | ${r.ratio.toFixed(2)} | ${r.peer} | ${r.target ?? ''} |`,
  );
process.exit(0);
