/**
 * Arbitrary input at every handshake state: the engine never throws and never
 * loops; it either waits for more bytes or fails with exactly one alert and a
 * TlsError carrying that alert.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TlsError } from './alerts.js';
import { ClientEngine } from './client/index.js';
import { TlsConnection } from './connection.js';
import type { TlsEngine } from './engine.js';
import { ServerEngine } from './server/index.js';
import { MessageLayer } from './testing/message-layer.js';
import { testIdentity } from './testing/pair.js';

const id = testIdentity('P-256');
const NOW = Date.now();

function engines() {
  const cl = new MessageLayer();
  const sl = new MessageLayer();
  const client = new ClientEngine({ serverName: 'localhost', trustAnchors: [id.certificate] }, cl);
  const server = new ServerEngine(
    {
      certificateChain: [id.der],
      privateKey: id.privateKey,
      requestClientCertificate: true,
      trustAnchors: [id.certificate],
    },
    sl,
  );
  client.start(NOW);
  return { client, server, cl, sl };
}

/** A client advanced by `n` server messages, and a server advanced by `m` client messages. */
function clientAt(n: number): TlsEngine {
  const { client, server, cl, sl } = engines();
  server.receiveHandshake('initial', cl.messages[0]!.data, NOW);
  for (const m of sl.messages.slice(0, n)) client.receiveHandshake(m.level, m.data, NOW);
  return client;
}

function serverAt(m: number): TlsEngine {
  const { client, server, cl, sl } = engines();
  const delivered = Math.min(m, 1);
  for (const msg of cl.messages.slice(0, delivered))
    server.receiveHandshake(msg.level, msg.data, NOW);
  if (m > 1) {
    for (const msg of sl.messages) client.receiveHandshake(msg.level, msg.data, NOW);
    for (const msg of cl.messages.slice(1, m)) server.receiveHandshake(msg.level, msg.data, NOW);
  }
  return server;
}

function check(engine: TlsEngine, chunks: Uint8Array[]): void {
  const layer = engine.cx.recordLayer as MessageLayer;
  const before = layer.alerts.length;
  for (const c of chunks) engine.receiveHandshake(engine.cx.readLevel, c, NOW);
  if (engine.error) {
    expect(engine.error).toBeInstanceOf(TlsError);
    expect(layer.alerts.length - before).toBe(1);
    expect(layer.alerts.at(-1)).toBe(engine.error.alert);
  } else {
    expect(layer.alerts.length).toBe(before);
  }
}

/** Bytes shaped like handshake messages (a plausible type and a correct length) or pure noise. */
const handshakeish = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc
    .tuple(
      fc.constantFrom(1, 2, 4, 5, 8, 11, 13, 15, 20, 24, 254, 99),
      fc.uint8Array({ maxLength: 300 }),
    )
    .map(([type, body]) => {
      const m = new Uint8Array(4 + body.length);
      m[0] = type;
      m[1] = 0;
      m[2] = body.length >> 8;
      m[3] = body.length & 0xff;
      m.set(body, 4);
      return m;
    }),
);

describe('engine on arbitrary input', () => {
  // Server messages: SH, EE, CertificateRequest, Certificate, CertificateVerify, Finished.
  for (let n = 0; n <= 5; n++) {
    it(`client in ${clientAt(n).stateName} (after ${n} server messages)`, () => {
      fc.assert(
        fc.property(fc.array(handshakeish, { maxLength: 3 }), (chunks) =>
          check(clientAt(n), chunks),
        ),
        { numRuns: 60 },
      );
    });
  }

  it('client in ExpectTraffic', () => {
    const { client, server, cl, sl } = engines();
    server.receiveHandshake('initial', cl.messages[0]!.data, NOW);
    for (const m of sl.messages) client.receiveHandshake(m.level, m.data, NOW);
    expect(client.stateName).toBe('ExpectTraffic');
    fc.assert(
      fc.property(fc.array(handshakeish, { maxLength: 3 }), (chunks) => {
        const { client: c2, server: s2, cl: l1, sl: l2 } = engines();
        s2.receiveHandshake('initial', l1.messages[0]!.data, NOW);
        for (const m of l2.messages) c2.receiveHandshake(m.level, m.data, NOW);
        check(c2, chunks);
      }),
      { numRuns: 40 },
    );
  });

  for (const m of [0, 1, 2, 3]) {
    it(`server after ${m} client messages (${serverAt(m).stateName})`, () => {
      fc.assert(
        fc.property(fc.array(handshakeish, { maxLength: 3 }), (chunks) =>
          check(serverAt(m), chunks),
        ),
        { numRuns: 60 },
      );
    });
  }

  it('mutated ClientHellos never make the server throw', () => {
    const { cl } = engines();
    const hello = cl.messages[0]!.data;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(hello.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        (edits) => {
          const mutated = hello.slice();
          for (const [at, v] of edits) mutated[at] = v;
          const server = new ServerEngine(
            { certificateChain: [id.der], privateKey: id.privateKey },
            new MessageLayer(),
          );
          check(server, [mutated]);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('TCP connection on arbitrary bytes', () => {
  it('a fresh server and a client waiting for the ServerHello', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (bytes, asServer) => {
        const conn = asServer
          ? TlsConnection.server({ certificateChain: [id.der], privateKey: id.privateKey })
          : TlsConnection.client({ serverName: 'localhost', trustAnchors: [id.certificate] });
        conn.start(NOW);
        conn.takeOutput();
        conn.receive(bytes, NOW);
        if (conn.error) {
          expect(conn.error).toBeInstanceOf(TlsError);
          const out = conn.takeOutput();
          // The alert goes out as a record (plaintext before keys): type 21.
          expect(out !== undefined && out[out.length - 7] === 21).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('records with valid headers and random bodies', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(20, 21, 22, 23, 24),
        fc.uint8Array({ maxLength: 200 }),
        (type, body) => {
          const conn = TlsConnection.server({
            certificateChain: [id.der],
            privateKey: id.privateKey,
          });
          const rec = new Uint8Array(5 + body.length);
          rec.set([type, 3, 3, body.length >> 8, body.length & 0xff]);
          rec.set(body, 5);
          conn.receive(rec, NOW);
          if (conn.error) expect(conn.error).toBeInstanceOf(TlsError);
        },
      ),
      { numRuns: 300 },
    );
  });
});
