import { readFileSync } from 'node:fs';
import {
  certificateFingerprint,
  createSelfSignedCertificate,
  nodeProvider,
  type PrivateKey,
  parsePrivateKeyPem,
  pemToDer,
} from '@x/crypto';
import { type CloseReason, type Connection, listen, type QuicStream } from '@x/quic';
import { TicketIssuer } from '@x/tls13';
import type { ParsedArgs } from './args.js';
import { keyLogFile, qlogWriter, tracer } from './observe.js';

export const ALPN = 'quic-echo-example';

function loadIdentity(args: ParsedArgs): { chain: Uint8Array[]; key: PrivateKey } {
  const certFile = args.values.get('cert');
  const keyFile = args.values.get('key');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new Error('--cert and --key go together');
  }
  if (certFile !== undefined && keyFile !== undefined) {
    return {
      chain: pemToDer(readFileSync(certFile, 'utf8')),
      key: parsePrivateKeyPem(readFileSync(keyFile, 'utf8')).privateKey,
    };
  }
  const host = args.values.get('host') ?? '127.0.0.1';
  const self = createSelfSignedCertificate(nodeProvider, {
    commonName: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: [host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host],
    notBefore: Date.now() - 60_000,
    notAfter: Date.now() + 7 * 86_400_000,
  });
  return { chain: [self.der], key: self.privateKey };
}

export async function runServer(args: ParsedArgs): Promise<void> {
  const { chain, key } = loadIdentity(args);
  const qlog = qlogWriter(args.values.get('qlog'), 'server');
  const trace = tracer(args.flags.has('trace'), 'server');
  const options = {
    host: args.values.get('host') ?? '127.0.0.1',
    port: Number(args.values.get('port') ?? 4242),
    retry: args.flags.has('retry'),
    certificateChain: chain,
    privateKey: key,
    alpnProtocols: [ALPN],
    keyLog: keyLogFile(args.values.get('keylog')),
    trace,
    qlogFactory: qlog,
    // One NewSessionTicket per connection, after the handshake, as quic-go's
    // echo server sends (the walkthrough's last handshake message).
    tickets: new TicketIssuer(nodeProvider, { count: 1 }),
    // An echo is safe to process twice, so resumed clients may send it in 0-RTT
    // (each ticket is still single-use).
    earlyData: true,
  };
  const server = await listen(options);
  const fingerprint = certificateFingerprint(nodeProvider, chain[0]!);
  console.log(`listening on ${server.address.address}:${server.address.port} alpn=${ALPN}`);
  console.log(`certificate sha-256 fingerprint ${fingerprint}`);
  server.on('connection', (c) => {
    const conn: Connection = c.connection;
    console.log(`connection from ${conn.remoteAddress.address}:${conn.remoteAddress.port}`);
    c.on('stream', (s: QuicStream) => {
      let n = 0;
      s.on('data', (d: Buffer) => {
        n += d.length;
      });
      s.on('end', () => console.log(`stream ${s.id}: echoed ${n} bytes`));
      s.on('error', (e) => console.log(`stream ${s.id}: ${e.message}`));
      s.pipe(s);
    });
    c.on('close', (r: CloseReason) =>
      console.log(`connection closed (${r.by}) code=${r.errorCode} ${r.reason}`),
    );
  });
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
