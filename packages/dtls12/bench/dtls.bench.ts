/**
 * DTLS 1.2 handshakes per second, in memory (no sockets): ours client ↔ ours
 * server, against werift's DTLS client ↔ werift's server in the same run,
 * printed as ours/theirs ratios through the @x/bench table.
 *
 *   pnpm bench            (in packages/dtls12; --quick for a smoke run, --json FILE to keep numbers)
 *
 * Both sides run the same handshake: HelloVerifyRequest cookie exchange,
 * ECDHE-ECDSA-AES128-GCM-SHA256 on P-256 (werift 0.24 signs with P-256 and
 * offers x25519 and P-256), client certificate, use_srtp, extended master
 * secret. werift's handshake is promise-driven, so both sides are timed with
 * the same async loop (sequential handshakes, median of samples).
 */
import { performance } from 'node:perf_hooks';
import { type CryptoProvider, defaultProvider, nobleProvider } from '@x/crypto';
import type { SocketAddress } from '@x/wire';
import { CipherContext, DtlsClient, DtlsServer as WeriftServer } from 'werift';
import {
  type CaseResult,
  compare,
  formatRunInfo,
  formatTable,
  type Measurement,
  parseBenchArgs,
  runInfo,
  writeJson,
} from '../../../tooling/bench/src/index.js';
import { DtlsClientEndpoint } from '../src/client-endpoint.js';
import { DtlsServer } from '../src/dtls-server.js';
import { makeCertificate } from '../test/fixtures.js';

const args = parseBenchArgs();
const info = runInfo('@x/dtls12 handshakes', args.quick ? 'quick' : 'full', args.measure);
const CLIENT: SocketAddress = { address: '10.0.0.1', port: 5000, family: 'IPv4' };
const SERVER: SocketAddress = { address: '10.0.0.2', port: 4444, family: 'IPv4' };

function oursHandshake(
  provider: CryptoProvider,
  serverCert: ReturnType<typeof makeCertificate>,
  clientCert: ReturnType<typeof makeCertificate>,
) {
  return (): void => {
    const srv = new DtlsServer({
      provider,
      certificate: serverCert,
      requestClientCertificate: true,
      groups: ['P-256'],
    });
    const cli = new DtlsClientEndpoint(SERVER, {
      provider,
      certificate: clientCert,
      groups: ['P-256'],
    });
    const c = cli.connection;
    for (let i = 0; i < 100 && c.state === 'handshaking'; i++) {
      for (let d = cli.poll(0); d; d = cli.poll(0))
        srv.receive({ data: d.data, remote: CLIENT, local: SERVER }, 0);
      for (let d = srv.poll(0); d; d = srv.poll(0)) c.receive(d.data, 0);
    }
    if (c.state !== 'connected')
      throw new Error(`our handshake did not complete: ${c.error?.message}`);
  };
}

/** An in-memory werift Transport pair; delivery is deferred like a socket's. */
function transportPair(sync = false) {
  const mk = (port: number) => ({
    type: 'udp',
    address: { address: '127.0.0.1', port, family: 'IPv4' },
    closed: false,
    peer: undefined as unknown as { onData: (d: Buffer, a: [string, number]) => void },
    onData: (_d: Buffer, _a: [string, number]) => {},
    send(data: Buffer) {
      const peer = this.peer;
      if (sync) peer.onData(data, ['127.0.0.1', port]);
      else setImmediate(() => peer.onData(data, ['127.0.0.1', port]));
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  });
  const a = mk(1);
  const b = mk(2);
  a.peer = b;
  b.peer = a;
  return [a, b] as const;
}

async function weriftHandshake(cert: {
  certPem: string;
  keyPem: string;
  signatureHash: { hash: number; signature: number };
}) {
  const [ta, tb] = transportPair();
  const server = new WeriftServer({
    transport: tb as never,
    cert: cert.certPem,
    key: cert.keyPem,
    signatureHash: cert.signatureHash as never,
    certificateRequest: true,
    srtpProfiles: [1] as never,
  });
  const client = new DtlsClient({
    transport: ta as never,
    cert: cert.certPem,
    key: cert.keyPem,
    signatureHash: cert.signatureHash as never,
    srtpProfiles: [1] as never,
  });
  const done = new Promise<void>((resolve) => client.onConnect.once(() => resolve()));
  client.connect();
  await done;
  server.close();
  client.close();
}

type Op = () => Promise<void> | void;

/** One timed sample: sequential operations for at least minTimeMs; ops/s. */
async function sample(op: Op, minTimeMs: number): Promise<{ rate: number; n: number; ms: number }> {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minTimeMs) {
    await op();
    n++;
    t = performance.now();
  }
  return { rate: (n * 1000) / (t - t0), n, ms: t - t0 };
}

function summarize(name: string, taken: { rate: number; n: number; ms: number }[]): Measurement {
  const rates = taken.map((x) => x.rate);
  const sorted = [...rates].sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const q1 = sorted[Math.floor((sorted.length - 1) / 4)]!;
  const q3 = sorted[Math.ceil(((sorted.length - 1) * 3) / 4)]!;
  return {
    name,
    opsPerSec: median,
    minOpsPerSec: sorted[0]!,
    maxOpsPerSec: sorted.at(-1)!,
    spread: (q3 - q1) / 2 / median,
    samples: rates,
    ops: taken.reduce((a, x) => a + x.n, 0),
    timedMs: taken.reduce((a, x) => a + x.ms, 0),
    batch: 1,
  };
}

/**
 * Both sides measured with samples interleaved (ours, theirs, ours, ...), as
 * the @x/bench harness does for synchronous cases, so load from other
 * processes hits both alike. werift is promise-driven, hence this async loop.
 */
async function measureAsyncPair(
  oursName: string,
  ours: Op,
  theirsName: string,
  theirs: Op,
): Promise<[Measurement, Measurement]> {
  const { minTimeMs, warmupMs, samples } = args.measure;
  await sample(ours, warmupMs);
  await sample(theirs, warmupMs);
  const a: Awaited<ReturnType<typeof sample>>[] = [];
  const b: Awaited<ReturnType<typeof sample>>[] = [];
  for (let s = 0; s < samples; s++) {
    a.push(await sample(ours, minTimeMs));
    b.push(await sample(theirs, minTimeMs));
  }
  return [summarize(oursName, a), summarize(theirsName, b)];
}

/** A connected pair of ours; returns one op = a 1200-byte record sent by the client and opened by the server. */
function oursRecordPair(
  serverCert: ReturnType<typeof makeCertificate>,
  clientCert: ReturnType<typeof makeCertificate>,
) {
  const srv = new DtlsServer({ certificate: serverCert, cipherSuites: [0xc02b], mtu: 1500 });
  const cli = new DtlsClientEndpoint(SERVER, {
    certificate: clientCert,
    cipherSuites: [0xc02b],
    mtu: 1500,
  });
  const c = cli.connection;
  for (let i = 0; i < 10 && c.state === 'handshaking'; i++) {
    for (let d = cli.poll(0); d; d = cli.poll(0))
      srv.receive({ data: d.data, remote: CLIENT, local: SERVER }, 0);
    for (let d = srv.poll(0); d; d = srv.poll(0)) c.receive(d.data, 0);
  }
  let received = 0;
  [...srv.sessions.values()][0]!.connection.on('data', (d) => {
    received += d.length;
  });
  const payload = new Uint8Array(1200).fill(7);
  return (): void => {
    c.send(payload);
    const d = c.poll(0)!;
    srv.receive({ data: d, remote: CLIENT, local: SERVER }, 0);
    if (received === 0) throw new Error('record not delivered');
  };
}

/** A connected werift pair; one op = a 1200-byte record from client to server, awaited on arrival. */
async function weriftRecordPair(cert: {
  certPem: string;
  keyPem: string;
  signatureHash: { hash: number; signature: number };
}) {
  // Synchronous delivery: the record path is measured, not event-loop turns.
  const [ta, tb] = transportPair(true);
  const server = new WeriftServer({
    transport: tb as never,
    cert: cert.certPem,
    key: cert.keyPem,
    signatureHash: cert.signatureHash as never,
  });
  const client = new DtlsClient({
    transport: ta as never,
    cert: cert.certPem,
    key: cert.keyPem,
    signatureHash: cert.signatureHash as never,
  });
  const done = new Promise<void>((resolve) => client.onConnect.once(() => resolve()));
  client.connect();
  await done;
  let wake: (() => void) | undefined;
  server.onData.subscribe(() => wake?.());
  const payload = Buffer.alloc(1200, 7);
  return async (): Promise<void> => {
    const arrived = new Promise<void>((r) => {
      wake = r;
    });
    await client.send(payload);
    await arrived;
  };
}

async function main(): Promise<void> {
  const serverCert = makeCertificate('P-256');
  const clientCert = makeCertificate('P-256');
  const wCert = await CipherContext.createSelfSignedCertificateWithKey(
    { hash: 4, signature: 3 } as never,
    'secp256r1' as never,
  );
  const rows: CaseResult[] = [];

  const oursNode = oursHandshake(defaultProvider, serverCert, clientCert);
  oursNode(); // sanity: completes
  await weriftHandshake(wCert as never);

  process.stderr.write('measuring ours (node:crypto) vs werift ...\n');
  const [ours, theirs] = await measureAsyncPair(
    'handshake ours',
    oursNode,
    'handshake werift',
    () => weriftHandshake(wCert as never),
  );
  rows.push({
    name: 'DTLS 1.2 handshake (client+server, in memory)',
    oursLabel: 'ours/node',
    theirsLabel: 'werift 0.24.4',
    ours,
    theirs,
  });

  process.stderr.write('measuring ours (noble) vs ours (node:crypto) ...\n');
  const [noble, node2] = await measureAsyncPair(
    'handshake ours noble',
    oursHandshake(nobleProvider, serverCert, clientCert),
    'handshake ours node',
    oursNode,
  );
  rows.push({
    name: 'DTLS 1.2 handshake (client+server, in memory)',
    oursLabel: 'ours/noble',
    theirsLabel: 'ours/node',
    ours: noble,
    theirs: node2,
  });

  process.stderr.write('measuring 1200-byte application records, ours vs werift ...\n');
  const [recOurs, recTheirs] = await measureAsyncPair(
    'record ours',
    oursRecordPair(serverCert, clientCert),
    'record werift',
    await weriftRecordPair(wCert as never),
  );
  rows.push({
    name: 'application record seal+open (AES-128-GCM)',
    bytes: 1200,
    oursLabel: 'ours/node',
    theirsLabel: 'werift 0.24.4',
    ours: recOurs,
    theirs: recTheirs,
  });

  const table = compare(rows);
  console.log(formatRunInfo(info));
  console.log(formatTable(table));
  if (args.json) writeJson(args.json, info, table);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
