/**
 * Interop with node:tls (OpenSSL) on loopback, both directions: every suite x
 * every group, HelloRetryRequest, ALPN, exporters equal on both sides.
 */

import type { Server } from 'node:net';
import { nodeProvider } from '@x/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createServer, type TlsSocket } from '../node.js';
import { close, listen, NODE_CURVE, pemOf, tls, withTimeout } from '../testing/node-peer.js';
import { testIdentity } from '../testing/pair.js';
import { type SessionTicket, TicketIssuer } from '../tickets.js';

const SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const GROUPS = ['x25519', 'secp256r1', 'secp384r1'];
const id = testIdentity('P-256');
const pem = pemOf(id);
const enc = new TextEncoder();

function once<T>(emitter: NodeJS.EventEmitter, event: string): Promise<T> {
  return new Promise((resolve, reject) => {
    emitter.once(event, (v: T) => resolve(v));
    emitter.once('error', reject);
  });
}

async function readAll(s: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of s) out += chunk.toString();
  return out;
}

describe('our client against a node:tls server', () => {
  let server: tls.Server;
  let port: number;
  const exporters: Buffer[] = [];
  beforeAll(async () => {
    server = tls.createServer(
      {
        ...pem,
        minVersion: 'TLSv1.3',
        ecdhCurve: 'X25519:P-256:P-384',
        ALPNProtocols: ['echo/1', 'h2'],
      },
      (s) => {
        exporters.push(s.exportKeyingMaterial(32, 'EXPERIMENTAL-interop', Buffer.from('ctx')));
        s.write(`suite=${s.getCipher().standardName} alpn=${s.alpnProtocol}\n`);
        s.pipe(s);
      },
    );
    port = await listen(server);
  });
  afterAll(() => close(server));

  for (const suite of SUITES) {
    for (const group of GROUPS) {
      it(`${suite} with ${group}`, async () => {
        const sock = connect({
          port,
          host: '127.0.0.1',
          serverName: 'localhost',
          trustAnchors: [id.certificate],
          cipherSuites: [suite],
          groups: [group],
          alpnProtocols: ['echo/1'],
        });
        await withTimeout(once(sock, 'secureConnect'), 5000, 'handshake');
        expect(sock.cipher).toBe(suite);
        expect(sock.group).toBe(group);
        expect(sock.alpnProtocol).toBe('echo/1');
        sock.write('ping');
        sock.end();
        const got = await withTimeout(readAll(sock), 5000, 'echo');
        expect(got).toBe(`suite=${suite} alpn=echo/1\nping`);
        const ours = sock.exportKeyingMaterial('EXPERIMENTAL-interop', enc.encode('ctx'), 32);
        expect(Buffer.from(ours).toString('hex')).toBe(exporters.at(-1)!.toString('hex'));
      });
    }
  }

  it('answers a HelloRetryRequest (our x25519 share, server wants P-256)', async () => {
    const hrrServer = tls.createServer({ ...pem, minVersion: 'TLSv1.3', ecdhCurve: 'P-256' }, (s) =>
      s.end('ok'),
    );
    const p = await listen(hrrServer);
    try {
      const sock = connect({
        port: p,
        host: '127.0.0.1',
        serverName: 'localhost',
        trustAnchors: [id.certificate],
        groups: ['x25519', 'secp256r1'],
      });
      await withTimeout(once(sock, 'secureConnect'), 5000, 'handshake');
      expect(sock.connection.helloRetry).toBe(true);
      expect(sock.group).toBe('secp256r1');
      expect(await withTimeout(readAll(sock), 5000, 'read')).toBe('ok');
    } finally {
      await close(hrrServer);
    }
  });

  it('KeyUpdate: we update and request one; node:tls answers with its own and keeps echoing', async () => {
    const sock = connect({
      port,
      host: '127.0.0.1',
      serverName: 'localhost',
      trustAnchors: [id.certificate],
    });
    await withTimeout(once(sock, 'secureConnect'), 5000, 'handshake');
    sock.keyUpdate(true);
    sock.write('after-update');
    sock.end();
    const got = await withTimeout(readAll(sock), 5000, 'echo');
    expect(got).toContain('after-update');
    expect(sock.connection.engine.cx.generation).toEqual({ client: 1, server: 1 });
  });

  it('resumes a session from a node:tls ticket', async () => {
    const first = connect({
      port,
      host: '127.0.0.1',
      serverName: 'localhost',
      trustAnchors: [id.certificate],
    });
    const ticket = await withTimeout(once<SessionTicket>(first, 'session'), 5000, 'ticket');
    first.end();
    await withTimeout(readAll(first), 5000, 'close');
    const second = connect({
      port,
      host: '127.0.0.1',
      serverName: 'localhost',
      trustAnchors: [id.certificate],
      session: ticket,
    });
    await withTimeout(once(second, 'secureConnect'), 5000, 'handshake');
    expect(second.resumed).toBe(true);
    second.end();
    await withTimeout(readAll(second), 5000, 'close');
  });

  it('fails with the alert when the certificate is not trusted', async () => {
    const other = testIdentity('P-384');
    const sock = connect({
      port,
      host: '127.0.0.1',
      serverName: 'localhost',
      trustAnchors: [other.certificate],
    });
    const err = await withTimeout(
      once<never>(sock, 'secureConnect').catch((e: Error) => e),
      5000,
      'failure',
    );
    expect(String(err)).toMatch(/unknown_ca\(48\)|bad_certificate\(42\)/);
  });
});

describe('a node:tls client against our server', () => {
  let server: Server;
  let port: number;
  const sockets: TlsSocket[] = [];
  beforeAll(async () => {
    server = createServer(
      {
        certificateChain: [id.der],
        privateKey: id.privateKey,
        alpnProtocols: ['echo/1'],
        groups: ['x25519', 'secp256r1', 'secp384r1'],
        tickets: new TicketIssuer(nodeProvider),
      },
      (s) => {
        sockets.push(s);
        s.write(`suite=${s.cipher} group=${s.group} alpn=${s.alpnProtocol}\n`);
        s.pipe(s);
      },
    );
    port = await listen(server);
  });
  afterAll(() => close(server));

  for (const suite of SUITES) {
    for (const group of GROUPS) {
      it(`${suite} with ${group}`, async () => {
        const c = tls.connect({
          port,
          host: '127.0.0.1',
          servername: 'localhost',
          ca: pem.cert,
          ciphers: suite,
          ecdhCurve: NODE_CURVE[group]!,
          ALPNProtocols: ['echo/1'],
          minVersion: 'TLSv1.3',
        });
        await withTimeout(once(c, 'secureConnect'), 5000, 'handshake');
        expect(c.getCipher().standardName).toBe(suite);
        const theirs = c.exportKeyingMaterial(48, 'EXPERIMENTAL-x', Buffer.from([1, 2]));
        c.write('pong');
        c.end();
        const got = await withTimeout(readAll(c), 5000, 'echo');
        expect(got).toBe(`suite=${suite} group=${group} alpn=echo/1\npong`);
        const ours = sockets
          .at(-1)!
          .exportKeyingMaterial('EXPERIMENTAL-x', Uint8Array.of(1, 2), 48);
        expect(Buffer.from(ours).toString('hex')).toBe(theirs.toString('hex'));
      });
    }
  }

  it('a node:tls client resumes with our ticket', async () => {
    const opts = {
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: pem.cert,
      minVersion: 'TLSv1.3' as const,
      ALPNProtocols: ['echo/1'],
    };
    const first = tls.connect(opts);
    const session = await withTimeout(once<Buffer>(first, 'session'), 5000, 'ticket');
    first.end();
    await withTimeout(readAll(first), 5000, 'close');
    const second = tls.connect({ ...opts, session });
    await withTimeout(once(second, 'secureConnect'), 5000, 'handshake');
    expect(second.isSessionReused()).toBe(true);
    second.end();
    await withTimeout(readAll(second), 5000, 'close');
    expect(sockets.at(-1)!.resumed).toBe(true);
  });

  it('sends a HelloRetryRequest when the client has no share for our groups', async () => {
    const hrrServer = createServer(
      { certificateChain: [id.der], privateKey: id.privateKey, groups: ['secp384r1'] },
      (s) => {
        s.end(`hrr=${s.connection.helloRetry} group=${s.group}`);
      },
    );
    const p = await listen(hrrServer);
    try {
      const c = tls.connect({
        port: p,
        host: '127.0.0.1',
        servername: 'localhost',
        ca: pem.cert,
        ecdhCurve: 'X25519:P-384',
        minVersion: 'TLSv1.3',
      });
      expect(await withTimeout(readAll(c), 5000, 'read')).toBe('hrr=true group=secp384r1');
    } finally {
      await close(hrrServer);
    }
  });

  it('ends with no_application_protocol when ALPN has nothing in common', async () => {
    const c = tls.connect({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: pem.cert,
      ALPNProtocols: ['h3'],
      minVersion: 'TLSv1.3',
    });
    const err = await withTimeout(
      once<never>(c, 'secureConnect').catch((e: Error) => e),
      5000,
      'failure',
    );
    expect(String(err)).toMatch(/no application protocol|alert number 120/i);
  });
});
