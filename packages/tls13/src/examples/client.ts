/**
 * A TLS 1.3 client: connects, prints `negotiated <suite> <group> <alpn>`,
 * sends stdin (or --message), prints what comes back, and closes once the
 * server closes or 2 s pass without data. Exits 1 naming the alert when the
 * handshake fails.
 *
 *   node dist/examples/client.js --host 127.0.0.1 --port 4433 --servername localhost \
 *     --ca ca.pem --alpn h2,http/1.1 --ciphersuites TLS_AES_128_GCM_SHA256 --groups x25519:secp256r1 \
 *     [--cert c.pem --key k.pem] [--keylog keys.log] [--insecure-fingerprint AB:CD:..] [--message hi]
 */
import { connect } from '../node.js';
import { keyLogTo, list, loadCertificates, loadChain, loadKey, parse } from './options.js';

const o = parse(process.argv.slice(2));
if (o.help || o.port === undefined) {
  process.stdout.write(
    'usage: client --host H --port P [--servername N] [--alpn a,b] [--ciphersuites A:B] [--groups g1:g2] [--ca F] [--cert F --key F] [--keylog F] [--insecure-fingerprint FP] [--message M]\n',
  );
  process.exit(o.help ? 0 : 2);
}

const socket = connect({
  host: o.host ?? '127.0.0.1',
  port: Number(o.port),
  serverName: o.servername ?? o.host ?? 'localhost',
  ...(o.alpn ? { alpnProtocols: list(o.alpn, ',') } : {}),
  ...(o.ciphersuites ? { cipherSuites: list(o.ciphersuites, /[:,]/) } : {}),
  ...(o.groups ? { groups: list(o.groups, /[:,]/) } : {}),
  ...(o.ca ? { trustAnchors: loadCertificates(o.ca) } : {}),
  ...(o['insecure-fingerprint'] ? { pinnedFingerprints: o['insecure-fingerprint'] } : {}),
  ...(o.cert && o.key ? { certificateChain: loadChain(o.cert), privateKey: loadKey(o.key) } : {}),
  keyLog: keyLogTo(o.keylog ?? process.env.SSLKEYLOGFILE),
});

let handshakeDone = false;
let idle: NodeJS.Timeout | undefined;
const armIdle = () => {
  if (idle) clearTimeout(idle);
  idle = setTimeout(() => socket.end(), 2000);
};

socket.on('secureConnect', () => {
  handshakeDone = true;
  process.stdout.write(
    `negotiated ${socket.cipher} ${socket.group} ${socket.alpnProtocol ?? '-'}\n`,
  );
  if (o.message !== undefined) socket.write(o.message);
  else if (!process.stdin.isTTY) process.stdin.pipe(socket, { end: false });
  armIdle();
});
socket.on('data', (d: Buffer) => {
  process.stdout.write(d);
  armIdle();
});
socket.on('end', () => {
  if (idle) clearTimeout(idle);
  socket.end();
  process.stdin.destroy();
});
socket.on('close', () => process.exit(handshakeDone ? 0 : 1));
socket.on('error', (e: Error) => {
  process.stderr.write(`${handshakeDone ? 'connection' : 'handshake'} failed: ${e.message}\n`);
  process.exit(1);
});
