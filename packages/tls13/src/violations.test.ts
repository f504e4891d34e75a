/** Each protocol violation ends in the alert RFC 8446 prescribes, on both sides. */
import { nodeProvider } from '@x/crypto';
import { describe, expect, it } from 'vitest';
import { AlertDescription as A, TlsError } from './alerts.js';
import { ClientEngine } from './client/index.js';
import { TlsConnection } from './connection.js';
import { type ClientHello, decodeClientHello, encodeClientHello } from './messages/client-hello.js';
import { encodeClientSupportedVersions } from './messages/extensions/supported-versions.js';
import { ExtensionType } from './messages/extensions/types.js';
import { decodeHandshake } from './messages/handshake-type.js';
import { decodeServerHello, encodeServerHello, type ServerHello } from './messages/server-hello.js';
import { ServerEngine } from './server/index.js';
import { MessageLayer } from './testing/message-layer.js';
import { connectPair, pump, testIdentity } from './testing/pair.js';
import { TicketIssuer } from './tickets.js';

const id = testIdentity('P-256');
const NOW = Date.now();

function clientHello(edit: (ch: ClientHello) => ClientHello): number | undefined {
  const cl = new MessageLayer();
  new ClientEngine({ serverName: 'localhost', trustAnchors: [id.certificate] }, cl).start(NOW);
  const ch = edit(decodeClientHello(decodeHandshake(cl.messages[0]!.data).body));
  const server = new ServerEngine(
    { certificateChain: [id.der], privateKey: id.privateKey },
    new MessageLayer(),
  );
  server.receiveHandshake('initial', encodeClientHello(ch), NOW);
  return server.error?.alert;
}

function serverHello(edit: (sh: ServerHello) => ServerHello): number | undefined {
  const cl = new MessageLayer();
  const sl = new MessageLayer();
  const client = new ClientEngine(
    { serverName: 'localhost', trustAnchors: [id.certificate], groups: ['x25519', 'secp256r1'] },
    cl,
  );
  client.start(NOW);
  new ServerEngine({ certificateChain: [id.der], privateKey: id.privateKey }, sl).receiveHandshake(
    'initial',
    cl.messages[0]!.data,
    NOW,
  );
  const sh = edit(decodeServerHello(decodeHandshake(sl.messages[0]!.data).body));
  client.receiveHandshake('initial', encodeServerHello(sh), NOW);
  return client.error?.alert;
}

const without = (type: number) => (ch: ClientHello) => ({
  ...ch,
  extensions: ch.extensions.filter((e) => e.type !== type),
});

describe('server alerts for bad ClientHellos', () => {
  it('TLS 1.2-only client: protocol_version', () => {
    expect(clientHello(without(ExtensionType.supported_versions))).toBe(A.protocol_version);
    expect(
      clientHello((ch) => ({
        ...ch,
        extensions: ch.extensions.map((e) =>
          e.type === ExtensionType.supported_versions
            ? { ...e, data: encodeClientSupportedVersions([0x0303]) }
            : e,
        ),
      })),
    ).toBe(A.protocol_version);
  });
  it('no key_share / supported_groups: missing_extension', () => {
    expect(clientHello(without(ExtensionType.key_share))).toBe(A.missing_extension);
    expect(clientHello(without(ExtensionType.signature_algorithms))).toBe(A.missing_extension);
  });
  it('a repeated extension: illegal_parameter', () => {
    expect(
      clientHello((ch) => ({
        ...ch,
        extensions: [
          ...ch.extensions,
          { type: 0xfafa, data: new Uint8Array(0) },
          { type: 0xfafa, data: new Uint8Array(0) },
        ],
      })),
    ).toBe(A.illegal_parameter);
  });
  it('compression methods other than null: illegal_parameter', () => {
    expect(clientHello((ch) => ({ ...ch, legacyCompressionMethods: Uint8Array.of(1, 0) }))).toBe(
      A.illegal_parameter,
    );
  });
  it('no common suite: handshake_failure', () => {
    expect(clientHello((ch) => ({ ...ch, cipherSuites: [0xc02f] }))).toBe(A.handshake_failure);
  });
  it('GREASE and unknown extensions, suites and groups are ignored', () => {
    expect(
      clientHello((ch) => ({
        ...ch,
        cipherSuites: [0x0a0a, ...ch.cipherSuites],
        extensions: [
          { type: 0x1a1a, data: Uint8Array.of(0) },
          { type: 0x7777, data: new Uint8Array(3) },
          ...ch.extensions,
        ],
      })),
    ).toBeUndefined();
  });
  it('a bad x25519 key share: illegal_parameter', () => {
    expect(
      clientHello((ch) => ({
        ...ch,
        extensions: ch.extensions.map((e) =>
          e.type === ExtensionType.key_share
            ? { ...e, data: Uint8Array.of(0, 6, 0, 0x1d, 0, 2, 1, 2) }
            : e,
        ),
      })),
    ).toBe(A.illegal_parameter);
  });
  it('truncated ClientHello body: decode_error', () => {
    const cl = new MessageLayer();
    new ClientEngine({ serverName: 'localhost' }, cl).start(NOW);
    const raw = cl.messages[0]!.data;
    const cut = raw.slice(0, 60);
    cut[1] = 0;
    cut[2] = 0;
    cut[3] = 56;
    const server = new ServerEngine(
      { certificateChain: [id.der], privateKey: id.privateKey },
      new MessageLayer(),
    );
    server.receiveHandshake('initial', cut, NOW);
    expect(server.error?.alert).toBe(A.decode_error);
  });
});

describe('client alerts for bad ServerHellos', () => {
  it('a suite we did not offer: illegal_parameter', () => {
    expect(serverHello((sh) => ({ ...sh, cipherSuite: 0x1304 }))).toBe(A.illegal_parameter);
  });
  it('a changed session id echo: illegal_parameter', () => {
    expect(serverHello((sh) => ({ ...sh, legacySessionIdEcho: new Uint8Array(32).fill(9) }))).toBe(
      A.illegal_parameter,
    );
  });
  it('no supported_versions: protocol_version', () => {
    expect(serverHello(without(ExtensionType.supported_versions) as never)).toBe(
      A.protocol_version,
    );
  });
  it('an extension we did not offer: unsupported_extension', () => {
    expect(
      serverHello((sh) => ({
        ...sh,
        extensions: [...sh.extensions, { type: 0x7777, data: new Uint8Array(0) }],
      })),
    ).toBe(A.unsupported_extension);
  });
  it('no key_share: missing_extension', () => {
    expect(serverHello(without(ExtensionType.key_share) as never)).toBe(A.missing_extension);
  });
});

describe('record layer alerts', () => {
  it('a flipped bit in a protected record: bad_record_mac', () => {
    const { client, server } = connectPair();
    client.write(new TextEncoder().encode('data'));
    const rec = client.takeOutput()!;
    rec[rec.length - 1]! ^= 1;
    server.receive(rec, NOW);
    expect(server.error?.alert).toBe(A.bad_record_mac);
    expect(server.takeOutput()).toBeDefined();
  });
  it('a record longer than 2^14 + 256: record_overflow', () => {
    const server = TlsConnection.server({ certificateChain: [id.der], privateKey: id.privateKey });
    server.receive(Uint8Array.of(22, 3, 3, 0x41, 0x01), NOW);
    expect(server.error?.alert).toBe(A.record_overflow);
  });
  it('ChangeCipherSpec after the handshake: unexpected_message', () => {
    const { client, server } = connectPair();
    server.receive(Uint8Array.of(20, 3, 3, 0, 1, 1), NOW);
    expect(server.error?.alert).toBe(A.unexpected_message);
    expect(client.error).toBeUndefined();
  });
  it('application data before the handshake: unexpected_message', () => {
    const server = TlsConnection.server({ certificateChain: [id.der], privateKey: id.privateKey });
    server.receive(Uint8Array.of(23, 3, 3, 0, 1, 1), NOW);
    expect(server.error?.alert).toBe(A.unexpected_message);
  });
  it('a peer alert becomes a TlsError marked fromPeer', () => {
    const { client, server } = connectPair({ serverName: 'wrong.example' });
    expect(client.error?.alert).toBe(A.bad_certificate);
    expect(server.error).toBeInstanceOf(TlsError);
    expect(server.error?.fromPeer).toBe(true);
    pump(client, server);
  });
  it('a forged ticket is not redeemed', () => {
    expect(new TicketIssuer(nodeProvider).redeem(new Uint8Array(64), NOW)).toBeUndefined();
  });
});
