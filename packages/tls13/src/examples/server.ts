/**
 * A TLS 1.3 server: echoes each connection's data, or with --http answers
 * HTTP/1.1 requests with a page naming the negotiated suite and group (ALPN
 * http/1.1 unless --alpn says otherwise; a browser can load it).
 * Prints `listening <host> <port>` once bound (--port 0 picks a free port).
 *
 *   node dist/examples/server.js --port 4433 --cert cert.pem --key key.pem \
 *     [--alpn h2,http/1.1] [--ciphersuites ...] [--groups ...] [--keylog F] [--http] [--ca F]
 */
import type { AddressInfo } from 'node:net';
import { createServer, type TlsSocket } from '../node.js';
import { keyLogTo, list, loadCertificates, loadChain, loadKey, parse } from './options.js';

const o = parse(process.argv.slice(2));
if (o.help || o.cert === undefined || o.key === undefined) {
  process.stdout.write(
    'usage: server --port P --cert F --key F [--host H] [--alpn a,b] [--ciphersuites A:B] [--groups g1:g2] [--keylog F] [--http] [--ca F] [--insecure-fingerprint FP]\n',
  );
  process.exit(o.help ? 0 : 2);
}

const server = createServer({
  certificateChain: loadChain(o.cert),
  privateKey: loadKey(o.key),
  // --http speaks HTTP/1.1, so it says so in ALPN unless told otherwise: browsers offer h2 first
  // and, without ALPN, would be left to assume HTTP/1.1 (RFC 7301 §3.2 lets the server pick).
  ...(o.alpn
    ? { alpnProtocols: list(o.alpn, ',') }
    : o.http
      ? { alpnProtocols: ['http/1.1'] }
      : {}),
  ...(o.ciphersuites ? { cipherSuites: list(o.ciphersuites, /[:,]/) } : {}),
  groups: list(o.groups, /[:,]/) ?? ['X25519MLKEM768', 'x25519', 'secp256r1', 'secp384r1'],
  ...(o.ca ? { requestClientCertificate: true, trustAnchors: loadCertificates(o.ca) } : {}),
  ...(o['insecure-fingerprint']
    ? { requestClientCertificate: true, pinnedFingerprints: o['insecure-fingerprint'] }
    : {}),
  keyLog: keyLogTo(o.keylog ?? process.env.SSLKEYLOGFILE),
});

function page(s: TlsSocket): string {
  const body = `<!doctype html><title>@x/tls13</title><p>TLS 1.3 with <b id="suite">${s.cipher}</b> over <b id="group">${s.group}</b>, ALPN <b id="alpn">${s.alpnProtocol ?? '-'}</b></p>\n`;
  return `HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: keep-alive\r\n\r\n${body}`;
}

server.on('secureConnection', (s: TlsSocket) => {
  process.stdout.write(`connection ${s.cipher} ${s.group} ${s.alpnProtocol ?? '-'}\n`);
  s.on('error', () => {});
  if (!o.http) {
    s.pipe(s);
    return;
  }
  let pending = '';
  s.on('data', (d: Buffer) => {
    pending += d.toString('latin1');
    // One response per complete request head (no request bodies are expected).
    for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
      pending = pending.slice(end + 4);
      s.write(page(s));
    }
  });
  s.on('end', () => s.end());
});
server.on('tlsClientError', (e: Error) => process.stderr.write(`handshake failed: ${e.message}\n`));
server.listen(Number(o.port ?? 4433), o.host ?? '127.0.0.1', () => {
  const a = server.address() as AddressInfo;
  process.stdout.write(`listening ${a.address} ${a.port}\n`);
});
