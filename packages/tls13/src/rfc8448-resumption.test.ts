/**
 * RFC 8448 §4 (resumed 0-RTT handshake): the ticket and resumption secret of
 * §3 offered with the trace's random, key and ticket age give the trace's
 * ClientHello including its PSK binder, the early traffic and early exporter
 * secrets, the 0-RTT record, then EndOfEarlyData and Finished.
 */
import { type EcdheGroup, nobleProvider, nodeProvider } from '@x/crypto';
import { type Rfc8448Step, rfc8448Steps, rfcSlice, rfcText, toHex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { TlsConnection } from './connection.js';
import { parseKeyLog } from './keylog.js';
import { decodeClientHello } from './messages/client-hello.js';
import { decodeMaxEarlyData } from './messages/extensions/misc.js';
import { decodeOfferedPsks } from './messages/extensions/psk.js';
import { ExtensionType, findExtension } from './messages/extensions/types.js';
import { decodeHandshake } from './messages/handshake-type.js';
import { decodeNewSessionTicket } from './messages/new-session-ticket.js';
import { wrapProvider } from './testing/provider.js';
import type { SessionTicket } from './tickets.js';

const text = rfcText(8448);
const s3 = rfc8448Steps(
  rfcSlice(text, '3.  Simple 1-RTT Handshake', '4.  Resumed 0-RTT Handshake'),
);
const s4 = rfc8448Steps(rfcSlice(text, '4.  Resumed 0-RTT Handshake', '5.  HelloRetryRequest'));

function find(steps: Rfc8448Step[], actor: string, title: string, nth = 0): Rfc8448Step {
  const s = steps.filter((x) => x.actor === actor && x.title.startsWith(title))[nth];
  if (!s) throw new Error(`no step ${title}`);
  return s;
}
const f = (s: Rfc8448Step, name: string): Uint8Array => {
  const v = s.fields.get(name);
  if (!v) throw new Error(`no ${name} in ${s.title}`);
  return v;
};

const nst = decodeNewSessionTicket(
  decodeHandshake(f(find(s3, 'server', 'construct a NewSessionTicket'), 'NewSessionTicket')).body,
);
const resumptionPsk = f(find(s3, 'server', 'generate resumption secret'), 'expanded');
const records = s4.filter((s) => s.title === 'send handshake record');
// The trace's "ClientHello" field is the binder-less prefix; the record carries the whole message.
const traceHello = decodeClientHello(decodeHandshake(f(records[0]!, 'payload')).body);
const traceAge = decodeOfferedPsks(
  findExtension(traceHello.extensions, ExtensionType.pre_shared_key)!,
).identities[0]!.obfuscatedTicketAge;
const keys4 = find(s4, 'client', 'create an ephemeral x25519 key pair');
const appRecords = s4.filter((s) => s.title === 'send application_data record');

for (const base of [nodeProvider, nobleProvider]) {
  describe(`RFC 8448 §4 resumed 0-RTT handshake (${base.name})`, () => {
    it('reproduces the ClientHello with its binder, the early secrets, the 0-RTT record and the client flight', () => {
      const now = 1_000_000;
      const session: SessionTicket = {
        suite: 0x1301,
        ticket: nst.ticket,
        psk: resumptionPsk,
        ticketAgeAdd: nst.ticketAgeAdd,
        lifetime: nst.ticketLifetime,
        // The trace's obfuscated_ticket_age = age + ticket_age_add (mod 2^32), so the age in ms is:
        receivedAt: now - ((traceAge - nst.ticketAgeAdd) >>> 0),
        maxEarlyData: decodeMaxEarlyData(findExtension(nst.extensions, ExtensionType.early_data)!),
        alpn: undefined,
        serverName: 'server',
      };
      const provider = wrapProvider(base, {
        randomBytes: (n: number) => (n === 32 ? traceHello.random.slice() : base.randomBytes(n)),
        generateKeyPair: (g: EcdheGroup) =>
          g === 'x25519'
            ? { privateKey: f(keys4, 'private key'), publicKey: f(keys4, 'public key') }
            : base.generateKeyPair(g),
      });
      const log: string[] = [];
      const client = TlsConnection.client({
        provider,
        serverName: 'server',
        cipherSuites: [0x1301, 0x1303, 0x1302],
        middleboxCompatibility: false,
        session,
        earlyData: true,
        keyLog: (l) => log.push(l),
        verifyPeer: () => true,
        // The trace sends extensions we do not (ffdhe groups, record_size_limit); pre_shared_key is ours.
        customizeClientHello: (ours) => ({
          ...ours,
          extensions: traceHello.extensions.filter((e) => e.type !== ExtensionType.pre_shared_key),
        }),
      });
      client.start(now);
      expect(toHex(client.takeOutput()!)).toBe(toHex(f(records[0]!, 'complete record')));
      const keyLog = () => parseKeyLog(log.join('\n'));
      const random = toHex(traceHello.random);
      expect(keyLog().get('CLIENT_EARLY_TRAFFIC_SECRET')!.get(random)).toBe(
        toHex(f(find(s4, 'client', 'derive secret "tls13 c e traffic"'), 'expanded')),
      );
      expect(keyLog().get('EARLY_EXPORTER_SECRET')!.get(random)).toBe(
        toHex(f(find(s4, 'client', 'derive secret "tls13 e exp master"'), 'expanded')),
      );

      client.write(f(appRecords[0]!, 'payload'));
      expect(toHex(client.takeOutput()!)).toBe(toHex(f(appRecords[0]!, 'complete record')));

      client.receive(f(records[1]!, 'complete record'), now); // ServerHello
      client.receive(f(records[2]!, 'complete record'), now); // EncryptedExtensions, Finished
      expect(client.error).toBeUndefined();
      expect(client.resumed && client.earlyDataAccepted).toBe(true);
      // EndOfEarlyData under the early keys, then Finished under the handshake keys.
      expect(toHex(client.takeOutput()!)).toBe(
        toHex(f(records[3]!, 'complete record')) + toHex(f(records[4]!, 'complete record')),
      );
      expect(keyLog().get('CLIENT_TRAFFIC_SECRET_0')!.get(random)).toBe(
        toHex(f(find(s4, 'server', 'derive secret "tls13 c ap traffic"'), 'expanded')),
      );
    });
  });
}
