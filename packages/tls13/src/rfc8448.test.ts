/**
 * RFC 8448 §3 (simple 1-RTT handshake): with the trace's randoms and x25519
 * keys injected through a provider wrapper, our client reproduces the
 * ClientHello, consumes the trace's server flight (verifying its RSA-PSS
 * CertificateVerify and Finished) and produces the trace's Finished,
 * application data record and every secret; our server reproduces the
 * ServerHello and the handshake secrets.
 */
import { type CryptoProvider, type EcdheGroup, nobleProvider, nodeProvider } from '@x/crypto';
import { type Rfc8448Step, rfc8448Steps, rfcSlice, rfcText, toHex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { TlsConnection } from './connection.js';
import { parseKeyLog } from './keylog.js';
import { decodeClientHello } from './messages/client-hello.js';
import { decodeHandshake } from './messages/handshake-type.js';
import { testIdentity } from './testing/pair.js';
import { wrapProvider } from './testing/provider.js';
import type { SessionTicket } from './tickets.js';

const steps = rfc8448Steps(
  rfcSlice(rfcText(8448), '3.  Simple 1-RTT Handshake', '4.  Resumed 0-RTT Handshake'),
);

function step(actor: string, title: string, nth = 0): Rfc8448Step {
  const found = steps.filter((s) => s.actor === actor && s.title.startsWith(title));
  const s = found[nth];
  if (!s) throw new Error(`no RFC 8448 step ${actor} ${title}`);
  return s;
}
const field = (s: Rfc8448Step, name: string): Uint8Array => {
  const v = s.fields.get(name);
  if (!v) throw new Error(`step ${s.title} has no ${name}`);
  return v;
};

const clientHelloMsg = field(step('client', 'construct a ClientHello'), 'ClientHello');
const serverHelloMsg = field(step('server', 'construct a ServerHello'), 'ServerHello');
const clientKeys = step('client', 'create an ephemeral x25519 key pair');
const serverKeys = step('server', 'create an ephemeral x25519 key pair');
const records = steps.filter((s) => s.title === 'send handshake record');
const appRecords = steps.filter((s) => s.title === 'send application_data record');
const secret = (label: string) =>
  field(step('server', `derive secret "tls13 ${label}"`), 'expanded');

/** A provider whose randomness and x25519 key pairs are the trace's, in order. */
function traceProvider(
  base: CryptoProvider,
  randoms: Uint8Array[],
  keyPair: { privateKey: Uint8Array; publicKey: Uint8Array },
): CryptoProvider {
  const queue = [...randoms];
  return wrapProvider(base, {
    randomBytes: (n: number) => {
      const next = queue.shift();
      if (next && next.length === n) return next.slice();
      return base.randomBytes(n);
    },
    generateKeyPair: (group: EcdheGroup) =>
      group === 'x25519' ? keyPair : base.generateKeyPair(group),
  });
}

for (const base of [nodeProvider, nobleProvider]) {
  describe(`RFC 8448 §3 simple 1-RTT handshake (${base.name})`, () => {
    it('client: reproduces the ClientHello, the client Finished, application data and every secret', () => {
      const traceHello = decodeClientHello(decodeHandshake(clientHelloMsg).body);
      const provider = traceProvider(base, [traceHello.random], {
        privateKey: field(clientKeys, 'private key'),
        publicKey: field(clientKeys, 'public key'),
      });
      const log: string[] = [];
      let ticket: SessionTicket | undefined;
      const received: Uint8Array[] = [];
      const client = TlsConnection.client(
        {
          provider,
          serverName: 'server',
          cipherSuites: [0x1301, 0x1303, 0x1302],
          middleboxCompatibility: false,
          keyLog: (l) => log.push(l),
          // The trace server's certificate is a self-signed RSA one; accept it, but
          // its RSA-PSS CertificateVerify and Finished are still checked.
          verifyPeer: () => true,
          customizeClientHello: (ours) => {
            // Our own key_share, server_name and supported_versions are the trace's bytes;
            // the trace also carries extensions we do not send (ffdhe groups, record_size_limit, ...).
            for (const type of [0, 43, 51]) {
              const mine = ours.extensions.find((e) => e.type === type)!.data;
              const theirs = traceHello.extensions.find((e) => e.type === type)!.data;
              expect(toHex(mine)).toBe(toHex(theirs));
            }
            return { ...ours, extensions: traceHello.extensions };
          },
        },
        { onSessionTicket: (t) => (ticket = t), onData: (d) => received.push(d.slice()) },
      );
      client.start(0);
      expect(toHex(client.takeOutput()!)).toBe(toHex(field(records[0]!, 'complete record')));

      client.receive(field(records[1]!, 'complete record'), 0); // ServerHello
      client.receive(field(records[2]!, 'complete record'), 0); // EE, Certificate, CertificateVerify, Finished
      expect(client.error).toBeUndefined();
      expect(client.handshakeComplete).toBe(true);
      expect(toHex(client.takeOutput()!)).toBe(toHex(field(records[3]!, 'complete record')));

      const keys = parseKeyLog(log.join('\n'));
      const random = toHex(traceHello.random);
      expect(keys.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET')!.get(random)).toBe(
        toHex(secret('c hs traffic')),
      );
      expect(keys.get('SERVER_HANDSHAKE_TRAFFIC_SECRET')!.get(random)).toBe(
        toHex(secret('s hs traffic')),
      );
      expect(keys.get('CLIENT_TRAFFIC_SECRET_0')!.get(random)).toBe(toHex(secret('c ap traffic')));
      expect(keys.get('SERVER_TRAFFIC_SECRET_0')!.get(random)).toBe(toHex(secret('s ap traffic')));
      expect(keys.get('EXPORTER_SECRET')!.get(random)).toBe(toHex(secret('exp master')));
      expect(toHex(client.engine.cx.resumptionMasterSecret!)).toBe(
        toHex(field(step('client', 'derive secret "tls13 res master"'), 'expanded')),
      );

      client.receive(field(records[4]!, 'complete record'), 1000); // NewSessionTicket
      expect(ticket).toBeDefined();
      expect(toHex(ticket!.psk)).toBe(
        toHex(field(step('server', 'generate resumption secret'), 'expanded')),
      );

      // Application data both ways: the trace's 50-byte payload gives the trace's records.
      client.receive(field(appRecords[1]!, 'complete record'), 1000);
      const payload = field(appRecords[0]!, 'payload');
      expect(toHex(received[0]!)).toBe(toHex(field(appRecords[1]!, 'payload')));
      client.write(payload);
      expect(toHex(client.takeOutput()!)).toBe(toHex(field(appRecords[0]!, 'complete record')));
    });

    it('server: reproduces the ServerHello and the handshake secrets', () => {
      const traceServerHello = decodeHandshake(serverHelloMsg).body;
      const serverRandom = traceServerHello.subarray(2, 34);
      const provider = traceProvider(base, [serverRandom], {
        privateKey: field(serverKeys, 'private key'),
        publicKey: field(serverKeys, 'public key'),
      });
      const id = testIdentity('P-256');
      const log: string[] = [];
      const server = TlsConnection.server({
        provider,
        certificateChain: [id.der],
        privateKey: id.privateKey,
        keyLog: (l) => log.push(l),
      });
      server.receive(field(records[0]!, 'complete record'), 0);
      expect(server.error).toBeUndefined();
      const out = server.takeOutput()!;
      const shRecord = field(records[1]!, 'complete record');
      expect(toHex(out.subarray(0, shRecord.length))).toBe(toHex(shRecord));
      const keys = parseKeyLog(log.join('\n'));
      const random = toHex(decodeClientHello(decodeHandshake(clientHelloMsg).body).random);
      expect(keys.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET')!.get(random)).toBe(
        toHex(secret('c hs traffic')),
      );
      expect(keys.get('SERVER_HANDSHAKE_TRAFFIC_SECRET')!.get(random)).toBe(
        toHex(secret('s hs traffic')),
      );
    });
  });
}
