import { nodeProvider } from '@x/crypto';
import type { SocketAddress } from '@x/wire';
import { equalBytes } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { Endpoint } from './endpoint.js';
import {
  ALPN,
  CLIENT,
  clientEndpoint,
  concat,
  drainEvents,
  type EchoClient,
  echoClient,
  network,
  runUntil,
  SERVER,
  serverEndpoint,
} from './test-support/harness.js';

describe('Endpoint in SimNetwork', () => {
  it('completes a handshake and echoes a message on a clean link', () => {
    const net = network(1);
    const server = serverEndpoint();
    const client = clientEndpoint();
    net.addEndpoint(server, SERVER);
    net.addEndpoint(client, CLIENT);
    const message = new TextEncoder().encode('Hello world');
    const c = echoClient(net, client, message);
    net.run({ until: 2000 });
    expect(c.connected).toBe(true);
    const [id] = [...c.received.keys()];
    expect(c.finished.has(id!)).toBe(true);
    expect(new TextDecoder().decode(concat(c.received.get(id!)!))).toBe('Hello world');
    expect(c.conn.alpnProtocol).toBe('quic-echo-example');
    expect(server.stats.internalErrors).toBe(0);
    expect(client.stats.internalErrors).toBe(0);
  });
});

function pattern(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + (i >> 8)) & 0xff;
  return out;
}

describe('Endpoint under a hostile simulated link', () => {
  // The 10 MB (about 2 s here: the simulator has no bandwidth limit).
  const size = 10 * 1024 * 1024;
  it(`transfers ${size >> 20} MB intact both ways under 10% loss, reordering, duplication and 1% corruption`, () => {
    const net = network(7, {
      delayMs: 15,
      jitterMs: 5,
      loss: 0.1,
      reorder: 0.1,
      reorderDelayMs: 20,
      duplicate: 0.05,
      corrupt: 0.01,
    });
    const server = serverEndpoint();
    const client = clientEndpoint();
    net.addEndpoint(server, SERVER);
    net.addEndpoint(client, CLIENT);
    const payload = pattern(size);
    const c = echoClient(net, client, payload);
    runUntil(net, () => c.finished.size === 1, 1_200_000);
    expect(c.connected).toBe(true);
    const [id] = [...c.received.keys()];
    expect(c.finished.has(id!)).toBe(true);
    expect(concat(c.received.get(id!)!).length).toBe(size);
    // The link really was hostile: packets were lost, duplicated and corrupted.
    const stats = net.totalStats();
    expect(stats.dropped.loss).toBeGreaterThan(100);
    expect(stats.corrupted).toBeGreaterThan(10);
    expect(stats.duplicated).toBeGreaterThan(10);
    expect(equalBytes(concat(c.received.get(id!)!), payload)).toBe(true);
    expect(server.stats.internalErrors).toBe(0);
    expect(client.stats.internalErrors).toBe(0);
  }, 600_000);

  it('echoes several concurrent streams', () => {
    const net = network(3, { loss: 0.05 });
    const server = serverEndpoint();
    const client = clientEndpoint();
    net.addEndpoint(server, SERVER);
    net.addEndpoint(client, CLIENT);
    const payload = pattern(50_000);
    const c = echoClient(net, client, payload, 5);
    runUntil(net, () => c.finished.size === 5, 30_000);
    expect(c.received.size).toBe(5);
    for (const [id, parts] of c.received) {
      expect(c.finished.has(id)).toBe(true);
      expect(equalBytes(concat(parts), payload)).toBe(true);
    }
  }, 30_000);
});

describe('Endpoint with many connections', () => {
  it('serves 30 clients at once, keeps nextDeadline the earliest connection timer, and forgets closed ones', () => {
    const net = network(11, { delayMs: 5 });
    const server = serverEndpoint({ transportParameters: { maxIdleTimeout: 5_000 } });
    net.addEndpoint(server, SERVER);
    const clients: EchoClient[] = [];
    const endpoints: Endpoint[] = [];
    for (let i = 0; i < 30; i++) {
      const ep = clientEndpoint();
      endpoints.push(ep);
      net.addEndpoint(ep, { address: `10.0.1.${i + 1}`, port: 40000 + i, family: 'IPv4' });
      clients.push(echoClient(net, ep, new TextEncoder().encode(`message ${i}`)));
    }
    const earliest = () => {
      let t: number | undefined;
      for (const c of server.connections) {
        const d = c.timeout();
        if (d !== undefined && (t === undefined || d < t)) t = d;
      }
      return t;
    };
    for (let until = 10; until <= 400; until += 7) {
      net.run({ until });
      // The heap-kept deadline equals a scan of every connection's timer.
      expect(server.nextDeadline()).toBe(earliest());
    }
    for (const [i, c] of clients.entries()) {
      expect(c.connected).toBe(true);
      const [id] = [...c.received.keys()];
      expect(c.finished.has(id!)).toBe(true);
      expect(new TextDecoder().decode(concat(c.received.get(id!)!))).toBe(`message ${i}`);
    }
    expect(server.connections.length).toBe(30);
    // A write on one idle connection among 30 is sent without anything else happening.
    const one = clients[17]!;
    const id = one.conn.openStream(true)!;
    one.received.set(id, []);
    one.conn.streamWrite(id, new TextEncoder().encode('late'), true);
    // What a driver's flush() does after an application call.
    net.wake(endpoints[17]!);
    runUntil(net, () => one.finished.has(id), 2_000);
    expect(new TextDecoder().decode(concat(one.received.get(id)!))).toBe('late');
    // Idle timeouts close every connection; the server drops them all.
    net.run({ until: net.now + 20_000 });
    expect(server.connections.length).toBe(0);
    expect(server.nextDeadline()).toBeUndefined();
    expect(server.stats.internalErrors).toBe(0);
  });
});

describe('Endpoint stateless reset detection', () => {
  it('finds the one connection among 20 whose server restarted and sent a stateless reset', () => {
    const net = network(12, { delayMs: 5 });
    const key = nodeProvider.randomBytes(32);
    const servers: SocketAddress[] = [];
    for (let i = 0; i < 20; i++) {
      const address: SocketAddress = { address: `10.0.3.${i + 1}`, port: 4433, family: 'IPv4' };
      net.addEndpoint(serverEndpoint({}, { statelessResetKey: key }), address);
      servers.push(address);
    }
    const client = new Endpoint({ onActivity: drainEvents });
    net.addEndpoint(client, CLIENT);
    const conns = servers.map((s) =>
      client.connect(
        { alpnProtocols: [ALPN], insecureSkipVerify: true, serverName: 'localhost' },
        s,
        net.now,
      ),
    );
    net.wake(client);
    runUntil(net, () => conns.every((c) => c.isHandshakeConfirmed), 5_000);
    // Server 7 restarts with the same reset key and no connection state.
    net.removeEndpoint(servers[7]!);
    net.addEndpoint(serverEndpoint({}, { statelessResetKey: key }), servers[7]!);
    const victim = conns[7]!;
    victim.streamWrite(victim.openStream()!, new TextEncoder().encode('anyone there?'), true);
    net.wake(client);
    net.run({ until: net.now + 1_000 });
    expect(victim.closeReason?.by).toBe('stateless-reset');
    expect(client.connections).not.toContain(victim);
    expect(client.connections.length).toBe(19);
    for (const c of client.connections) expect(c.closeReason).toBeUndefined();
  });
});
