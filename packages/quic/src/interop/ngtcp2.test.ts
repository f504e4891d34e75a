/**
 * Handshake-level interop with ngtcp2 (GnuTLS backend), Debian's gtlsserver and
 * gtlsclient: a second independent QUIC stack. They speak HTTP/3 only, so the
 * tests complete the QUIC handshake with ALPN h3 (and, with -V, a Retry) and
 * check what each side saw; no HTTP/3 is exchanged.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSelfSignedCertificate, nodeProvider } from '@x/crypto';
import { requirePeer } from '@x/test-helpers';
import { TicketIssuer } from '@x/tls13';
import { afterEach, describe, expect, it } from 'vitest';
import type { QuicSessionTicket } from '../connection/early-data.js';
import type { CloseReason } from '../connection/state.js';
import { connect, listen, type QuicConnection } from '../endpoint/node.js';
import { freeUdpPort, opensslCertificate, waitForUdpListener } from './test-support/peers.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Our server's certificate, naming 127.0.0.1 (where gtlsclient connects). */
function loopbackCertificate() {
  return createSelfSignedCertificate(nodeProvider, {
    commonName: 'localhost',
    ipAddresses: ['127.0.0.1'],
    notBefore: Date.now() - 60_000,
    notAfter: Date.now() + 86_400_000,
  });
}

function run(cmd: string, args: string[]) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  return { child, output: () => out };
}

describe('interop: ngtcp2 (gtlsserver / gtlsclient)', () => {
  for (const retry of [false, true]) {
    it(`our client completes a handshake with gtlsserver ${retry ? 'after its Retry' : ''}`, async () => {
      const bin = requirePeer('gtlsserver', 'apt-get install -y ngtcp2-server');
      const { cert, key } = opensslCertificate();
      const port = await freeUdpPort();
      const docroot = mkdtempSync(join(tmpdir(), 'ngtcp2-docroot-'));
      const server = run(bin, [
        '-q',
        '-d',
        docroot,
        ...(retry ? ['-V'] : []),
        '127.0.0.1',
        String(port),
        key,
        cert,
      ]);
      await waitForUdpListener(port);
      const lines: string[] = [];
      const conn = await connect({
        host: '127.0.0.1',
        port,
        alpnProtocols: ['h3'],
        serverName: 'localhost',
        insecureSkipVerify: true,
        trace: (l) => lines.push(l),
        handshakeTimeout: 10_000,
      });
      expect(conn.alpnProtocol).toBe('h3');
      expect(lines.some((l) => l.startsWith('recv retry'))).toBe(retry);
      // The server confirms the handshake with HANDSHAKE_DONE.
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`no HANDSHAKE_DONE: ${lines.join('\n')}`)),
          5000,
        );
        const check = setInterval(() => {
          if (conn.connection.isHandshakeConfirmed) {
            clearTimeout(t);
            clearInterval(check);
            resolve();
          }
        }, 20);
      });
      const reason = await conn.close(0x100, 'H3_NO_ERROR');
      expect(reason.by).toBe('local');
      expect(server.child.exitCode).toBeNull();
    }, 30_000);
  }

  it('gtlsclient completes a handshake with our server (ALPN h3)', async () => {
    const bin = requirePeer('gtlsclient', 'apt-get install -y ngtcp2-client');
    const cert = loopbackCertificate();
    const server = await listen({
      host: '127.0.0.1',
      port: 0,
      retry: true,
      certificateChain: [cert.der],
      privateKey: cert.privateKey,
      alpnProtocols: ['h3'],
    });
    const established = new Promise<QuicConnection>((resolve) =>
      server.on('connection', (c: QuicConnection) => c.once('connected', () => resolve(c))),
    );
    const conns: QuicConnection[] = [];
    server.on('connection', (c: QuicConnection) => conns.push(c));
    try {
      const port = server.address.port;
      const client = run(bin, [
        '--exit-on-first-stream-close',
        '--timeout=5s',
        '127.0.0.1',
        String(port),
        `https://127.0.0.1:${port}/`,
      ]);
      const c = await Promise.race([
        established,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`no handshake: ${client.output()}`)), 15_000),
        ),
      ]);
      expect(c.alpnProtocol).toBe('h3');
      expect(server.endpoint.stats.retriesSent).toBeGreaterThanOrEqual(1);
      expect(c.connection.isHandshakeConfirmed).toBe(true);
      // We are no HTTP/3 server: end the connection with H3_NO_ERROR and expect gtlsclient to see it.
      const closed = new Promise<CloseReason>((r) => c.once('close', r));
      c.connection.close(0x100, 'not an HTTP/3 server');
      c.flush();
      await closed;
      await new Promise<void>((resolve) => {
        if (client.child.exitCode !== null) resolve();
        client.child.once('exit', () => resolve());
        setTimeout(resolve, 8000);
      });
      expect(client.output()).not.toMatch(/TLS handshake (failed|error)/i);
    } finally {
      await server.close();
    }
  }, 30_000);
  it('our client resumes with gtlsserver’s ticket and sends 0-RTT, which ngtcp2 accepts and processes', async () => {
    const bin = requirePeer('gtlsserver', 'apt-get install -y ngtcp2-server');
    const { cert, key } = opensslCertificate();
    const port = await freeUdpPort();
    const docroot = mkdtempSync(join(tmpdir(), 'ngtcp2-docroot-'));
    run(bin, ['-q', '-d', docroot, '127.0.0.1', String(port), key, cert]);
    await waitForUdpListener(port);
    const options = {
      host: '127.0.0.1',
      port,
      alpnProtocols: ['h3'],
      serverName: 'localhost',
      insecureSkipVerify: true,
    };
    const first = await connect(options);
    const ticket = await new Promise<QuicSessionTicket>((resolve, reject) => {
      first.once('session-ticket', resolve);
      setTimeout(() => reject(new Error('gtlsserver sent no session ticket')), 5000);
    });
    await first.close(0x100, 'H3_NO_ERROR');
    // RFC 9001 §4.6.1: a QUIC ticket that allows 0-RTT says 0xffffffff.
    expect(ticket.maxEarlyData).toBe(0xffffffff);
    const lines: string[] = [];
    const conn = await connect({
      ...options,
      session: ticket,
      earlyData: true,
      trace: (l) => lines.push(l),
    });
    expect(conn.connection.isInEarlyData).toBe(true);
    // A unidirectional stream of a reserved HTTP/3 type (RFC 9114 §6.2.3): the
    // peer must read its type and then abort reading, so its STOP_SENDING
    // proves it processed our 0-RTT data.
    const uni = conn.openStream(false);
    uni.write(Uint8Array.of(0x21, 0x01, 0x02, 0x03));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no confirmation: ${lines.join('\n')}`)), 5000);
      const check = setInterval(() => {
        if (
          conn.connection.isHandshakeConfirmed &&
          lines.some((l) => l.includes('STOP_SENDING(id=2'))
        ) {
          clearTimeout(t);
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    expect(lines.some((l) => /^sent 0rtt .*STREAM\(id=2 off=0 len=4\)/.test(l))).toBe(true);
    expect(lines.some((l) => /^sent 1rtt .*STREAM\(id=2 off=0/.test(l))).toBe(false);
    expect(conn.connection.resumed).toBe(true);
    expect(conn.earlyDataAccepted).toBe(true);
    await conn.close(0x100, 'H3_NO_ERROR');
  }, 30_000);

  it('gtlsclient resumes with our ticket and sends its request in 0-RTT, which we accept', async () => {
    const bin = requirePeer('gtlsclient', 'apt-get install -y ngtcp2-client');
    const cert = loopbackCertificate();
    const serverTrace: string[] = [];
    const server = await listen({
      host: '127.0.0.1',
      port: 0,
      certificateChain: [cert.der],
      privateKey: cert.privateKey,
      alpnProtocols: ['h3'],
      tickets: new TicketIssuer(nodeProvider, { count: 1 }),
      earlyData: true,
      trace: (l) => serverTrace.push(l),
    });
    const dir = mkdtempSync(join(tmpdir(), 'ngtcp2-session-'));
    const conns: QuicConnection[] = [];
    // We are no HTTP/3 server: once the ticket is out, end each connection with H3_NO_ERROR.
    server.on('connection', (c: QuicConnection) => {
      conns.push(c);
      c.once('connected', () =>
        setTimeout(() => {
          c.connection.close(0x100, 'not an HTTP/3 server');
          c.flush();
        }, 300),
      );
    });
    try {
      const port = server.address.port;
      const once = async () => {
        const client = run(bin, [
          '--exit-on-first-stream-close',
          '--timeout=5s',
          `--session-file=${join(dir, 'session')}`,
          `--tp-file=${join(dir, 'tp')}`,
          '127.0.0.1',
          String(port),
          `https://127.0.0.1:${port}/`,
        ]);
        await new Promise<void>((resolve) => {
          if (client.child.exitCode !== null) resolve();
          client.child.once('exit', () => resolve());
          setTimeout(resolve, 8000);
        });
        return client.output();
      };
      const firstOut = await once();
      expect(conns.length, firstOut).toBe(1);
      expect(conns[0]!.connection.resumed).toBe(false);
      const secondOut = await once();
      expect(conns.length, secondOut).toBe(2);
      const second = conns[1]!.connection;
      expect(second.resumed).toBe(true);
      expect(second.earlyDataAccepted).toBe(true);
      // gtlsclient's request streams (HTTP/3 control, QPACK and the GET) arrived in 0-RTT packets.
      expect(serverTrace.some((l) => /^recv 0rtt .*STREAM\(/.test(l))).toBe(true);
    } finally {
      await server.close();
    }
  }, 40_000);
});
