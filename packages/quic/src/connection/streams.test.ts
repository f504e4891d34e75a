import { equalBytes } from '@x/wire';
import { describe, expect, it } from 'vitest';
import {
  CLIENT,
  clientEndpoint,
  drainEvents,
  echoClient,
  network,
  rawPair,
  readAll,
  runUntil,
  SERVER,
  serverEndpoint,
} from '../endpoint/test-support/harness.js';

const bytes = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (i * seed + 11) & 0xff);

describe('streams', () => {
  it('RESET_STREAM and STOP_SENDING reach the peer with their error codes', () => {
    const { client, server, settle } = rawPair(21);
    const a = client.openStream()!;
    client.streamWrite(a, bytes(1000));
    settle();
    client.streamReset(a, 7);
    settle();
    const sEvents = drainEvents(server());
    expect(sEvents).toContainEqual({ kind: 'stream-reset', id: a, errorCode: 7 });
    expect(readAll(server(), a).reset).toBe(7);
    // STOP_SENDING from the server on a new client stream: the client answers with RESET_STREAM.
    const b = client.openStream()!;
    client.streamWrite(b, bytes(10));
    settle();
    server().streamStopSending(b, 9);
    settle();
    expect(drainEvents(client)).toContainEqual({ kind: 'stream-stopped', id: b, errorCode: 9 });
    expect(drainEvents(server())).toContainEqual({ kind: 'stream-reset', id: b, errorCode: 9 });
  });

  it('MAX_STREAMS: the peer limit blocks new streams until finished ones are credited back', () => {
    const { client, server, settle } = rawPair(
      22,
      {},
      { transportParameters: { initialMaxStreamsBidi: 2 } },
    );
    const ids = [client.openStream(), client.openStream()];
    expect(ids.every((i) => i !== undefined)).toBe(true);
    expect(client.openStream()).toBeUndefined();
    let done = 0;
    for (let round = 0; round < 5; round++) {
      for (const id of ids) if (id !== undefined) client.streamWrite(id, bytes(100), true);
      settle();
      for (const e of drainEvents(server())) {
        if (e.kind === 'stream-readable' && readAll(server(), e.id).fin)
          server().streamWrite(e.id, bytes(5), true);
      }
      settle();
      for (const id of ids) if (id !== undefined && readAll(client, id).fin) done++;
      settle();
      ids.splice(0, ids.length, client.openStream(), client.openStream());
    }
    expect(done).toBe(10);
  });

  it('flow control: small windows grow through MAX_DATA / MAX_STREAM_DATA and 300 kB arrives intact', () => {
    const { client, server, net, settle } = rawPair(
      23,
      {},
      {
        transportParameters: { initialMaxData: 16_384, initialMaxStreamDataBidiRemote: 4096 },
      },
    );
    const payload = bytes(300_000, 3);
    const id = client.openStream()!;
    client.streamWrite(id, payload, true);
    const parts: Uint8Array[] = [];
    let fin = false;
    runUntil(
      net,
      () => {
        settle(50);
        const r = readAll(server(), id);
        if (r.data.length) parts.push(r.data);
        fin ||= r.fin;
        return fin;
      },
      60_000,
    );
    expect(server().isClosing).toBe(false);
    const got = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      got.set(p, at);
      at += p.length;
    }
    expect(equalBytes(got, payload)).toBe(true);
  });

  it('unidirectional streams in both directions (client: 2, 6..; server: 3, 7..)', () => {
    const { client, server, settle } = rawPair(24);
    const up = client.openStream(false)!;
    expect(up % 4).toBe(2);
    client.streamWrite(up, bytes(50), true);
    settle();
    expect(drainEvents(server())).toContainEqual({ kind: 'stream-opened', id: up });
    expect(readAll(server(), up).fin).toBe(true);
    const down = server().openStream(false)!;
    expect(down % 4).toBe(3);
    server().streamWrite(down, bytes(60), true);
    settle();
    const r = readAll(client, down);
    expect(r.data.length).toBe(60);
    expect(r.fin).toBe(true);
    // A unidirectional stream has no sending part at the receiver.
    expect(() => client.streamWrite(down, bytes(1))).toThrow(RangeError);
  });
});

describe('closing', () => {
  it('an application CONNECTION_CLOSE carries its code and reason to the peer, which drains', () => {
    const { client, server, settle } = rawPair(25);
    const conn = server();
    client.close(42, 'bye');
    settle(3000);
    expect(conn.closeReason).toEqual({
      by: 'peer',
      errorCode: 42,
      application: true,
      reason: 'bye',
    });
    expect(client.isClosed).toBe(true);
    expect(conn.isClosed).toBe(true);
  });

  it('ALPN mismatch ends the handshake with CRYPTO_ERROR 0x178 (no_application_protocol)', () => {
    const { client } = rawPair(26, {}, {}, { alpnProtocols: ['h3'] });
    expect(client.isEstablished).toBe(false);
    expect(client.closeReason?.by).toBe('peer');
    expect(client.closeReason?.errorCode).toBe(0x100 + 120);
  });
});

describe('address validation tokens', () => {
  it('a NEW_TOKEN token lets the next connection skip the Retry', () => {
    const net = network(27);
    const server = serverEndpoint({ retry: true });
    const client = clientEndpoint();
    net.addEndpoint(server, SERVER);
    net.addEndpoint(client, CLIENT);
    const hello = new TextEncoder().encode('hi');
    const tokens: Uint8Array[] = [];
    const first = echoClient(net, client, hello);
    runUntil(net, () => first.finished.size === 1, 5000);
    for (const e of drainEvents(first.conn)) if (e.kind === 'new-token') tokens.push(e.token);
    // echoClient's handler drained 'new-token' already; the server sent exactly one.
    expect(server.stats.retriesSent).toBe(1);
    const second = echoClient(net, client, hello, 1, { token: tokens[0] ?? first.newTokens[0] });
    runUntil(net, () => second.finished.size === 1, 5000);
    expect(second.finished.size).toBe(1);
    expect(server.stats.retriesSent).toBe(1);
    expect(server.connections.at(-1)!.addressValidated).toBe(true);
  });
});

describe('TLS state after the handshake', () => {
  it('a server frees it by default; with retainTls both sides export the same keying material', () => {
    const freed = rawPair(28);
    expect(freed.server().alpnProtocol).toBe('quic-echo-example');
    expect(() =>
      freed.server().exportKeyingMaterial('EXPORTER-test', new Uint8Array(0), 32),
    ).toThrow(/retainTls/);
    const kept = rawPair(29, {}, { retainTls: true });
    const a = kept.client.exportKeyingMaterial('EXPORTER-test', new Uint8Array(0), 32);
    const b = kept.server().exportKeyingMaterial('EXPORTER-test', new Uint8Array(0), 32);
    expect(equalBytes(a, b)).toBe(true);
  });
});

describe('congestion window (RFC 9002 §7.8)', () => {
  it('does not grow while the application leaves it unused, and grows once data fills it', () => {
    const { client, server, settle } = rawPair(71);
    const initial = client.congestionWindow;
    const id = client.openStream()!;
    // 4 s of 500-byte messages every 20 ms: about 25 KB/s, far under the window.
    for (let i = 0; i < 200; i++) {
      client.streamWrite(id, bytes(500, i));
      settle(20);
    }
    expect(readAll(server(), id).data.length).toBe(200 * 500);
    expect(client.congestionWindow).toBe(initial);
    client.streamWrite(id, bytes(600_000), true);
    settle(3000);
    expect(readAll(server(), id).fin).toBe(true);
    expect(client.congestionWindow).toBeGreaterThan(initial);
  });
});
