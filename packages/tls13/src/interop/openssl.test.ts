/**
 * Interop with the openssl command line (OpenSSL 3.0 `s_server` / `s_client
 * -tls1_3`) on loopback, both directions: every suite including the
 * TLS_AES_128_CCM_SHA256 suite a user enables, every group, HelloRetryRequest,
 * an RSA-PSS server certificate, 0-RTT, and key logs compared line by line.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { nodeProvider, parseCertificatesPem } from '@x/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseKeyLog } from '../keylog.js';
import { connect, createServer, type TlsSocket } from '../node.js';
import { close, listen, withTimeout } from '../testing/node-peer.js';
import {
  echoedOrFailed,
  type Peer,
  requireOpenssl,
  runPeer,
  SSL_FAILED,
  sClientArgs,
  startOpensslServer,
  tempDir,
  writeIdentity,
} from '../testing/openssl.js';
import { testIdentity } from '../testing/pair.js';
import type { SessionTicket } from '../tickets.js';
import { TicketIssuer } from '../tickets.js';

const SUITES = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_CCM_SHA256',
];
const GROUPS: [ours: string, openssl: string][] = [
  ['x25519', 'X25519'],
  ['secp256r1', 'P-256'],
  ['secp384r1', 'P-384'],
];
const id = testIdentity('P-256');
const dir = tempDir('tls13-openssl-');
const files = writeIdentity(dir, id);

/**
 * Connects our client, sends `message`, and resolves once `want.reply` is in
 * what came back and `want.tickets` NewSessionTickets arrived (or the server
 * closed). The 8 s timer is only a cap: a missing reply then fails the
 * assertions, which show what did arrive.
 */
function ourClient(
  port: number,
  options: Record<string, unknown>,
  message: string,
  want: { reply?: string; tickets?: number },
  keyLog?: string[],
) {
  return withTimeout(
    new Promise<{
      text: string;
      cipher?: string;
      group?: string;
      random: string;
      early: boolean;
      resumed: boolean;
      tickets: SessionTicket[];
    }>((resolve, reject) => {
      const tickets: SessionTicket[] = [];
      const sock = connect({
        port,
        host: '127.0.0.1',
        serverName: 'localhost',
        trustAnchors: [id.certificate],
        keyLog: (l) => keyLog?.push(l),
        ...options,
      });
      let text = '';
      let connected = false;
      let finished = false;
      const done = () => {
        if (finished) return;
        finished = true;
        clearTimeout(cap);
        const random = Buffer.from(sock.connection.engine.cx.clientRandom).toString('hex');
        resolve({
          text,
          cipher: sock.cipher,
          group: sock.group,
          random,
          early: sock.connection.earlyDataAccepted,
          resumed: sock.resumed,
          tickets,
        });
        // close_notify: OpenSSL drops sessions of connections that end uncleanly.
        sock.end();
        setTimeout(() => sock.destroy(), 500).unref();
      };
      const check = () => {
        if (connected && text.includes(want.reply ?? '') && tickets.length >= (want.tickets ?? 0))
          done();
      };
      const cap = setTimeout(done, 8000);
      sock.on('session', (t: SessionTicket) => {
        tickets.push(t);
        check();
      });
      sock.on('secureConnect', () => {
        connected = true;
        if (!options.earlyData) sock.write(message);
        check();
      });
      if (options.earlyData) sock.write(message);
      sock.on('data', (d: Buffer) => {
        text += d.toString();
        check();
      });
      sock.on('error', (e: Error) => {
        clearTimeout(cap);
        reject(e);
      });
      sock.on('end', done);
    }),
    10000,
    'our client',
  );
}

/** s_client has written a whole session to `file` (-sess_out). */
function sessionWritten(file: string): boolean {
  return (
    existsSync(file) && readFileSync(file, 'utf8').includes('-----END SSL SESSION PARAMETERS-----')
  );
}

function expectSameKeys(ours: string[], theirsFile: string, random: string): void {
  const a = parseKeyLog(ours.join('\n'));
  const b = parseKeyLog(readFileSync(theirsFile, 'utf8'));
  for (const label of [
    'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
    'SERVER_HANDSHAKE_TRAFFIC_SECRET',
    'CLIENT_TRAFFIC_SECRET_0',
    'SERVER_TRAFFIC_SECRET_0',
    'EXPORTER_SECRET',
  ]) {
    const theirs = b.get(label)?.get(random);
    expect(theirs, `${label} in the OpenSSL key log`).toBeDefined();
    expect(a.get(label)?.get(random), label).toBe(theirs);
  }
}

describe('our client against openssl s_server', () => {
  let server: Peer & { port: number };
  const keylog = join(dir, 'server.keylog');
  beforeAll(async () => {
    requireOpenssl();
    server = await startOpensslServer(files, [
      '-groups',
      'X25519:P-256:P-384',
      '-ciphersuites',
      SUITES.join(':'),
      '-keylogfile',
      keylog,
      '-rev',
      '-num_tickets',
      '0',
    ]);
  });
  afterAll(() => server?.kill());

  for (const suite of SUITES) {
    for (const [group, name] of GROUPS) {
      it(`${suite} with ${name}`, async () => {
        const log: string[] = [];
        const r = await ourClient(
          server.port,
          { cipherSuites: [suite], groups: [group] },
          'hello openssl\n',
          { reply: 'lssnepo olleh' },
          log,
        );
        expect(r.cipher).toBe(suite);
        expect(r.group).toBe(group);
        expect(r.text).toContain('lssnepo olleh');
        expectSameKeys(log, keylog, r.random);
      });
    }
  }

  it('answers a HelloRetryRequest from a P-256-only server', async () => {
    const hrr = await startOpensslServer(files, ['-groups', 'P-256', '-rev']);
    try {
      const r = await ourClient(hrr.port, { groups: ['x25519', 'secp256r1'] }, 'abc\n', {
        reply: 'cba',
      });
      expect(r.group).toBe('secp256r1');
      expect(r.text).toContain('cba');
    } finally {
      hrr.kill();
    }
  });

  it('verifies an RSA-PSS CertificateVerify from an RSA certificate', async () => {
    const key = join(dir, 'rsa.key');
    const cert = join(dir, 'rsa.crt');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
      ],
      { stdio: 'pipe', timeout: 20000 },
    );
    const rsa = await startOpensslServer({ cert, key }, ['-rev']);
    try {
      const r = await ourClient(
        rsa.port,
        { trustAnchors: parseCertificatesPem(readFileSync(cert, 'utf8')) },
        'rsa\n',
        { reply: 'asr' },
      );
      expect(r.text).toContain('asr');
    } finally {
      rsa.kill();
    }
  });

  it('sends 0-RTT data that s_server -early_data accepts', async () => {
    const early = await startOpensslServer(files, ['-early_data', '-num_tickets', '1']);
    try {
      // s_server without -rev echoes nothing: the ticket is what the first connection waits for.
      const first = await ourClient(early.port, {}, 'first\n', { tickets: 1 });
      expect(first.tickets.length).toBe(1);
      expect(first.tickets[0]!.maxEarlyData).toBeGreaterThan(0);
      // OpenSSL sends a ticket after a resumption too: by then it has read the early data.
      const second = await ourClient(
        early.port,
        { session: first.tickets[0], earlyData: true },
        'zero-rtt-data\n',
        { tickets: 1 },
      );
      expect(second.resumed).toBe(true);
      expect(second.early).toBe(true);
      // s_server prints what it read in its own time (stdout and stderr apart).
      await early.waitFor((o) => o.includes('zero-rtt-data') && /Early data received/i.test(o));
      expect(early.output()).toContain('zero-rtt-data');
      expect(early.output()).toMatch(/Early data received/i);
    } finally {
      early.kill();
    }
  });
});

describe('openssl s_client against our server', () => {
  let server: Server;
  let port: number;
  const tickets = new TicketIssuer(nodeProvider, { count: 1 });
  const sockets: TlsSocket[] = [];
  const serverKeyLog: string[] = [];
  beforeAll(async () => {
    requireOpenssl();
    server = createServer(
      {
        certificateChain: [id.der],
        privateKey: id.privateKey,
        cipherSuites: SUITES,
        tickets,
        maxEarlyData: 16384,
        keyLog: (l) => serverKeyLog.push(l),
      },
      (s) => {
        sockets.push(s);
        s.on('error', () => {});
        s.pipe(s);
      },
    );
    port = await listen(server);
  });
  afterAll(() => close(server));

  for (const suite of SUITES) {
    for (const [, name] of GROUPS) {
      it(`${suite} with ${name}`, async () => {
        const keylog = join(dir, `client-${suite}-${name}.keylog`);
        const r = await runPeer(
          'openssl',
          [
            ...sClientArgs(port),
            '-ciphersuites',
            suite,
            '-groups',
            name,
            '-CAfile',
            files.cert,
            '-verify_return_error',
            '-keylogfile',
            keylog,
          ],
          'ping-from-openssl\n',
          echoedOrFailed('ping-from-openssl'),
        );
        expect(r.output).toContain(`Cipher is ${suite}`);
        expect(r.output).toMatch(/Verify return code: 0 \(ok\)/);
        expect(r.output.split('ping-from-openssl').length).toBeGreaterThanOrEqual(2);
        // s_client's key log and ours agree on every secret of this connection.
        const random = Buffer.from(sockets.at(-1)!.connection.engine.cx.clientRandom).toString(
          'hex',
        );
        expectSameKeys(serverKeyLog, keylog, random);
      });
    }
  }

  it('answers a KeyUpdate requested by s_client (K command)', async () => {
    // Each piece only after the reply to the one before: s_client takes a read
    // as the K command only when it starts with K, so pieces must not coalesce.
    const r = await runPeer(
      'openssl',
      [...sClientArgs(port), '-CAfile', files.cert],
      [
        { when: /Verify return code/, write: 'before-update\n' },
        { when: /before-update/, write: 'K\n' },
        { when: /KEYUPDATE/, write: 'after-update\n' },
      ],
      echoedOrFailed('after-update'),
    );
    expect(r.output).toContain('KEYUPDATE');
    expect(r.output).toContain('before-update');
    expect(r.output).toContain('after-update');
    const s = sockets.at(-1)!;
    expect(s.connection.engine.cx.generation).toEqual({ client: 1, server: 1 });
  });

  it('resumes with 0-RTT from s_client -sess_in -early_data', async () => {
    const sess = join(dir, 'sess.pem');
    const first = await runPeer(
      'openssl',
      [...sClientArgs(port), '-CAfile', files.cert, '-sess_out', sess],
      'one\n',
      // s_client writes -sess_out when our NewSessionTicket arrives. (Its "Post-Handshake
      // New Session Ticket arrived" line sits in stdout's buffer until exit: no signal.)
      (o) => (/^one$/m.test(o) && sessionWritten(sess)) || SSL_FAILED.test(o),
    );
    expect(first.output).toMatch(/^New, TLSv1.3/m);
    const earlyFile = join(dir, 'early.txt');
    writeFileSync(earlyFile, 'early-bytes\n');
    const second = await runPeer(
      'openssl',
      [...sClientArgs(port), '-CAfile', files.cert, '-sess_in', sess, '-early_data', earlyFile],
      '',
      // A rejected early data is never resent, so no echo would come.
      (o) => o.includes('early-bytes') || /Early data was rejected/.test(o) || SSL_FAILED.test(o),
    );
    expect(second.output).toMatch(/^Reused, TLSv1.3/m);
    expect(second.output).toContain('Early data was accepted');
    expect(second.output).toContain('early-bytes');
  });
});
