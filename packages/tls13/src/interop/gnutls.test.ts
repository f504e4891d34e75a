/**
 * Interop with GnuTLS (a second independent implementation): gnutls-cli
 * against our server, every suite x every group, with the RFC 8446 §7.5
 * exporter compared on both sides, and session resumption with -r.
 * (gnutls-serv cannot bind to loopback only, so it is not started here.)
 */
import type { Server } from 'node:net';
import { nodeProvider } from '@x/crypto';
import { requirePeer } from '@x/test-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type TlsSocket } from '../node.js';
import { close, listen } from '../testing/node-peer.js';
import { runPeer, tempDir, writeIdentity } from '../testing/openssl.js';
import { testIdentity } from '../testing/pair.js';
import { TicketIssuer } from '../tickets.js';

const SUITES: [ours: string, gnutls: string][] = [
  ['TLS_AES_128_GCM_SHA256', 'AES-128-GCM'],
  ['TLS_AES_256_GCM_SHA384', 'AES-256-GCM'],
  ['TLS_CHACHA20_POLY1305_SHA256', 'CHACHA20-POLY1305'],
  ['TLS_AES_128_CCM_SHA256', 'AES-128-CCM'],
];
const GROUPS: [ours: string, gnutls: string][] = [
  ['x25519', 'X25519'],
  ['secp256r1', 'SECP256R1'],
  ['secp384r1', 'SECP384R1'],
];
/** gnutls-cli failed: `*** Handshake has failed`, `*** ... error: ...`, `*** Received alert [..]`. */
const FAILED = /^\*\*\* .*(fail|error|alert)/im;

describe('gnutls-cli against our server', () => {
  const id = testIdentity('P-256');
  const files = writeIdentity(tempDir('tls13-gnutls-'), id);
  let server: Server;
  let port: number;
  const sockets: TlsSocket[] = [];
  beforeAll(async () => {
    requirePeer('gnutls-cli', 'apt-get install -y gnutls-bin');
    server = createServer(
      {
        certificateChain: [id.der],
        privateKey: id.privateKey,
        cipherSuites: SUITES.map((s) => s[0]),
        tickets: new TicketIssuer(nodeProvider),
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

  const base = () => [
    '--port',
    String(port),
    '--x509cafile',
    files.cert,
    '--verify-hostname',
    'localhost',
    '--sni-hostname',
    'localhost',
  ];

  for (const [suite, cipher] of SUITES) {
    for (const [group, name] of GROUPS) {
      it(`${suite} with ${group}`, async () => {
        const priority = `NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+${cipher}:-GROUP-ALL:+GROUP-${name}`;
        const r = await runPeer(
          'gnutls-cli',
          [
            ...base(),
            '--priority',
            priority,
            '--keymatexport',
            'EXPERIMENTAL-gnutls',
            '--keymatexportsize',
            '24',
            '127.0.0.1',
          ],
          'hello-gnutls\n',
          (o) => o.includes('hello-gnutls') || FAILED.test(o),
        );
        expect(r.output).toContain(
          `(TLS1.3-X.509)-(ECDHE-${name})-(ECDSA-SECP256R1-SHA256)-(${cipher})`,
        );
        expect(r.output.split('hello-gnutls').length).toBeGreaterThanOrEqual(2);
        const theirs = /Key material: ([0-9A-Fa-f]+)/.exec(r.output)?.[1]?.toLowerCase();
        expect(theirs).toBeDefined();
        const ours = Buffer.from(
          sockets.at(-1)!.exportKeyingMaterial('EXPERIMENTAL-gnutls', new Uint8Array(0), 24),
        ).toString('hex');
        expect(ours).toBe(theirs);
        expect(sockets.at(-1)!.cipher).toBe(suite);
        expect(sockets.at(-1)!.group).toBe(group);
      });
    }
  }

  it('resumes a session with -r', async () => {
    const r = await runPeer(
      'gnutls-cli',
      [...base(), '--priority', 'NORMAL:-VERS-ALL:+VERS-TLS1.3', '-r', '127.0.0.1'],
      '',
      // Simple Client Mode follows the second handshake, resumed or not: stdin is read from then on.
      (o) => o.includes('Simple Client Mode') || FAILED.test(o),
    );
    expect(r.output).toMatch(/This is a resumed session/);
  });
});
