import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { str, TestEndpoint, text } from '../test-support/endpoints.js';
import type { SocketAddress } from './contract.js';
import { bindEndpoint, type DriverErrorSource, type EndpointHandle } from './node-driver.js';

const cleanup: (() => Promise<void> | void)[] = [];
const handlesGone = () => new Promise((r) => setImmediate(() => setImmediate(r)));
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
  // Plain dgram sockets call back from close() before libuv has freed them.
  await handlesGone();
});

async function bind(
  endpoint: TestEndpoint,
  address: string,
  onError?: (e: Error, s: DriverErrorSource) => void,
) {
  const handle = await bindEndpoint(endpoint, { address, onError });
  cleanup.push(() => handle.close());
  return handle;
}

/** A plain node:dgram peer, the independent side of each exchange. */
async function peer(address: string): Promise<{ socket: Socket; address: SocketAddress }> {
  const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
  socket.bind(0, address);
  await once(socket, 'listening');
  cleanup.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  const a = socket.address();
  return {
    socket,
    address: { address: a.address, port: a.port, family: a.family as 'IPv4' | 'IPv6' },
  };
}

function nextMessage(socket: Socket): Promise<[Buffer, RemoteInfo]> {
  return once(socket, 'message') as Promise<[Buffer, RemoteInfo]>;
}

function send(socket: Socket, to: SocketAddress, s: string): void {
  socket.send(text(s), to.port, to.address);
}

const count = (name: string) => process.getActiveResourcesInfo().filter((r) => r === name).length;

describe.each([
  ['IPv4', '127.0.0.1'],
  ['IPv6', '::1'],
] as const)('an echo endpoint on %s loopback', (family, address) => {
  it('echoes datagrams from a plain dgram socket, seeing the right addresses and Uint8Array views', async () => {
    const echo = new TestEndpoint();
    echo.echo = true;
    const handle = await bind(echo, address);
    expect(handle.local).toMatchObject({ address, family });
    expect(handle.local.port).toBeGreaterThan(0);

    const client = await peer(address);
    const replies: string[] = [];
    for (const msg of ['one', 'two', 'three']) {
      const reply = nextMessage(client.socket);
      send(client.socket, handle.local, msg);
      const [data, rinfo] = await reply;
      expect(rinfo.port).toBe(handle.local.port);
      replies.push(data.toString());
    }
    expect(replies).toEqual(['one', 'two', 'three']);
    expect(echo.received.map((d) => str(d.data))).toEqual(['one', 'two', 'three']);
    for (const d of echo.received) {
      expect(Object.getPrototypeOf(d.data)).toBe(Uint8Array.prototype);
      expect(d.remote).toEqual(client.address);
      expect(d.local).toEqual(handle.local);
    }
    // `now` is performance.now(): monotonic and on the same clock as the test.
    const nows = echo.received.map((d) => d.now);
    expect([...nows].sort((a, b) => a - b)).toEqual(nows);
    expect(performance.now() - nows[2]!).toBeGreaterThanOrEqual(0);
    expect(performance.now() - nows[0]!).toBeLessThan(5_000);
  });
});

describe('the node:dgram driver', () => {
  it('drains what the endpoint queued before bind, and on flush() after the app queued more', async () => {
    const client = await peer('127.0.0.1');
    const ep = new TestEndpoint().send(text('hello'), client.address);
    const first = nextMessage(client.socket);
    const handle = await bind(ep, '127.0.0.1');
    expect((await first)[0].toString()).toBe('hello');

    ep.send(text('later'), client.address);
    const second = nextMessage(client.socket);
    await new Promise((r) => setTimeout(r, 20));
    expect(ep.queued).toBe(1); // nothing drains it on its own
    handle.flush();
    expect((await second)[0].toString()).toBe('later');
  });

  it('calls handleTimeout at (not before) each deadline and sends what the timeout queued', async () => {
    const client = await peer('127.0.0.1');
    const ep = new TestEndpoint();
    const start = performance.now();
    const deadlines = [start + 40, start + 60, start + 90];
    let i = 0;
    ep.deadline = deadlines[0];
    ep.onTimeout = () => {
      ep.send(text(`tick ${i}`), client.address);
      i++;
      ep.deadline = deadlines[i];
    };
    const ticks: string[] = [];
    client.socket.on('message', (m) => ticks.push(m.toString()));
    await bind(ep, '127.0.0.1');
    while (ticks.length < 3) await once(client.socket, 'message');

    expect(ticks).toEqual(['tick 0', 'tick 1', 'tick 2']);
    expect(ep.timeouts).toHaveLength(3);
    ep.timeouts.forEach((now, k) => {
      expect(now).toBeGreaterThanOrEqual(deadlines[k]!);
      expect(now - deadlines[k]!).toBeLessThan(2000);
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(ep.timeouts).toHaveLength(3); // no deadline, no call
  });

  it('re-arms when a received datagram moves the deadline earlier', async () => {
    const client = await peer('127.0.0.1');
    const ep = new TestEndpoint();
    ep.deadline = performance.now() + 60_000;
    let moved = 0;
    ep.onReceive = (_d, now) => {
      moved = now + 20;
      ep.deadline = moved;
    };
    const handle = await bind(ep, '127.0.0.1');
    send(client.socket, handle.local, 'go');
    while (ep.timeouts.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(ep.timeouts[0]).toBeGreaterThanOrEqual(moved);
    expect(ep.timeouts[0]! - moved).toBeLessThan(2000);
  });

  it('does not fire early when the app moved the deadline later without flush()', async () => {
    const ep = new TestEndpoint();
    const start = performance.now();
    ep.deadline = start + 15;
    await bind(ep, '127.0.0.1');
    ep.deadline = start + 60; // the armed timer still points at +15
    while (ep.timeouts.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(ep.timeouts[0]).toBeGreaterThanOrEqual(start + 60);
  });

  it('routes EMSGSIZE to onError and keeps running', async () => {
    const client = await peer('127.0.0.1');
    const errors: [string | undefined, DriverErrorSource][] = [];
    const ep = new TestEndpoint();
    const handle = await bind(ep, '127.0.0.1', (e, source) => {
      errors.push([(e as NodeJS.ErrnoException).code, source]);
    });
    ep.send(new Uint8Array(70_000), client.address).send(text('small'), client.address);
    const reply = nextMessage(client.socket);
    handle.flush();
    expect((await reply)[0].toString()).toBe('small');
    while (errors.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(errors).toEqual([['EMSGSIZE', 'send']]);
  });

  it('does not crash on a send error without onError', async () => {
    const client = await peer('127.0.0.1');
    const ep = new TestEndpoint();
    const handle = await bind(ep, '127.0.0.1');
    ep.send(new Uint8Array(70_000), client.address).send(new Uint8Array(1), {
      ...client.address,
      port: 0,
    });
    ep.send(text('after'), client.address);
    const reply = nextMessage(client.socket);
    handle.flush();
    expect((await reply)[0].toString()).toBe('after');
  });

  it('reports an endpoint that throws and keeps serving', async () => {
    const client = await peer('127.0.0.1');
    const ep = new TestEndpoint();
    ep.echo = true;
    ep.onReceive = (d) => {
      if (str(d.data) === 'boom') throw new Error('endpoint bug');
    };
    const errors: [string, DriverErrorSource][] = [];
    const handle = await bind(ep, '127.0.0.1', (e, s) => errors.push([e.message, s]));
    send(client.socket, handle.local, 'boom');
    const reply = nextMessage(client.socket);
    send(client.socket, handle.local, 'fine');
    // The echo of 'boom' was queued before the throw, so it still goes out first.
    expect((await reply)[0].toString()).toBe('boom');
    expect((await nextMessage(client.socket))[0].toString()).toBe('fine');
    expect(errors).toEqual([['endpoint bug', 'endpoint']]);
  });

  it('close() leaves no socket and no timer behind, and is idempotent', async () => {
    // Observed through behaviour, not process-wide resource counts, which other
    // test files and the runner change underneath us on a loaded machine.
    const ep = new TestEndpoint();
    ep.deadline = performance.now() + 30;
    const handle: EndpointHandle = await bindEndpoint(ep, { address: '127.0.0.1' });
    const port = handle.local.port;

    const closing = handle.close();
    expect(handle.close()).toBe(closing);
    await closing;

    // The armed timer was cleared: its deadline passes without a handleTimeout.
    await new Promise((r) => setTimeout(r, 80));
    expect(ep.timeouts).toEqual([]);
    // The socket was released: its port can be bound again at once.
    const again = createSocket('udp4');
    again.bind(port, '127.0.0.1');
    await once(again, 'listening');
    await new Promise<void>((r) => again.close(() => r()));

    const polls = ep.polls.length;
    ep.send(text('x'), handle.local);
    handle.flush();
    expect(ep.polls.length).toBe(polls);
  });

  it('close() on both families and after traffic leaves nothing', async () => {
    const udpBefore = count('UDPWrap');
    for (const address of ['127.0.0.1', '::1']) {
      const ep = new TestEndpoint();
      ep.echo = true;
      const handle = await bindEndpoint(ep, { address });
      const client = createSocket(address === '::1' ? 'udp6' : 'udp4');
      client.bind(0, address);
      await once(client, 'listening');
      const reply = nextMessage(client);
      send(client, handle.local, 'ping');
      await reply;
      await handle.close();
      await new Promise<void>((r) => client.close(() => r()));
    }
    await handlesGone();
    expect(count('UDPWrap')).toBe(udpBefore);
  });

  it('rejects a port in use and leaves no socket behind', async () => {
    const first = await bind(new TestEndpoint(), '127.0.0.1');
    const udpBefore = count('UDPWrap');
    await expect(
      bindEndpoint(new TestEndpoint(), { address: '127.0.0.1', port: first.local.port }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(count('UDPWrap')).toBe(udpBefore);
  });

  it('refuses a host name instead of resolving it', async () => {
    await expect(bindEndpoint(new TestEndpoint(), { address: 'localhost' })).rejects.toThrow(
      TypeError,
    );
  });
});
