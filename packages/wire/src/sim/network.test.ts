import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { SocketAddress } from '../endpoint/contract.js';
import { Reader } from '../reader.js';
import { str, TestEndpoint, text } from '../test-support/endpoints.js';
import { Writer } from '../writer.js';
import { SimNetwork } from './network.js';
import type { TraceEvent } from './trace.js';

const A: SocketAddress = { address: '10.0.0.1', port: 1111, family: 'IPv4' };
const B: SocketAddress = { address: '10.0.0.2', port: 2222, family: 'IPv4' };
const C: SocketAddress = { address: 'fd00::3', port: 3333, family: 'IPv6' };

/**
 * A client that sends a numbered request every 20 ms (re-sending on a 50 ms
 * timer if no reply came) and a server that echoes, over a link with every
 * impairment on: enough moving parts that any nondeterminism would show.
 */
function scenario(seed: number): TraceEvent[] {
  const net = new SimNetwork({ seed });
  const client = new TestEndpoint();
  const server = new TestEndpoint();
  server.echo = true;
  net.link(A, B, {
    delayMs: 10,
    jitterMs: 4,
    loss: 0.1,
    duplicate: 0.05,
    reorder: 0.1,
    corrupt: 0.05,
    bandwidthBps: 2_000_000,
    mtu: 1200,
  });
  const replied = new Set<number>();
  client.onReceive = (d) => replied.add(d.data[0]!);
  client.onTimeout = (now) => {
    for (let i = 0; i < 100; i++) {
      if (!replied.has(i) && i * 20 + 50 <= now)
        client.send(
          new Writer()
            .u8(i)
            .zeros(i * 13)
            .finish(),
          B,
        );
    }
    client.deadline = now + 50;
  };
  client.deadline = 50;
  net.addEndpoint(server, B);
  net.addEndpoint(client, A);
  for (let i = 0; i < 100; i++) {
    net.schedule(i * 20, () =>
      net.wake(
        client.send(
          new Writer()
            .u8(i)
            .zeros(i * 13)
            .finish(),
          B,
        ),
      ),
    );
  }
  net.run({ until: 3000 });
  return net.trace;
}

describe('SimNetwork determinism', () => {
  it('replays an identical trace from the same seed, and a different one from another seed', () => {
    const first = scenario(42);
    expect(scenario(42)).toEqual(first);
    expect(scenario(43)).not.toEqual(first);
    // The scenario exercises what it claims to.
    const kinds = new Set(first.map((e) => (e.kind === 'drop' ? `drop:${e.cause}` : e.kind)));
    for (const k of ['send', 'deliver', 'timeout', 'wake', 'call', 'drop:loss', 'drop:mtu']) {
      expect(kinds, k).toContain(k);
    }
    expect(first.some((e) => e.kind === 'deliver' && e.duplicate)).toBe(true);
    expect(first.some((e) => e.kind === 'deliver' && e.corruptedBit !== undefined)).toBe(true);
  });

  it('delivers datagrams due at the same time in the order they were sent', () => {
    const net = new SimNetwork({ seed: 1 });
    const b = new TestEndpoint();
    net.link(A, B, { delayMs: 10 });
    net.addEndpoint(b, B);
    const a = new TestEndpoint();
    for (const s of ['x', 'y', 'z']) a.send(text(s), B);
    net.addEndpoint(a, A);
    net.run();
    expect(b.received.map((d) => [str(d.data), d.now])).toEqual([
      ['x', 10],
      ['y', 10],
      ['z', 10],
    ]);
  });

  it('keeps one link’s randomness independent of traffic on another', () => {
    const lossOnAB = (withTrafficToC: boolean) => {
      const net = new SimNetwork({ seed: 9, defaults: { loss: 0.5 } });
      const a = new TestEndpoint();
      net.addEndpoint(new TestEndpoint(), B);
      net.addEndpoint(new TestEndpoint(), C);
      for (let i = 0; i < 50; i++) {
        a.send(new Uint8Array([i]), B);
        if (withTrafficToC) a.send(new Uint8Array([i]), C);
      }
      net.addEndpoint(a, A);
      net.run();
      return net.trace.filter((e) => e.kind === 'drop' && e.to === '10.0.0.2:2222').map((e) => e.t);
    };
    const alone = lossOnAB(false);
    expect(alone.length).toBeGreaterThan(0);
    expect(lossOnAB(true)).toEqual(alone);
  });
});

describe('SimNetwork timers', () => {
  it('fires handleTimeout exactly at the deadline in virtual time, without waiting', () => {
    const net = new SimNetwork({ seed: 1 });
    const ep = new TestEndpoint();
    const hour = 3_600_000;
    ep.deadline = hour;
    net.addEndpoint(ep, A);
    const started = performance.now();
    expect(net.run()).toEqual({ events: 1, reason: 'idle' });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(ep.timeouts).toEqual([hour]);
    expect(net.now).toBe(hour);
  });

  it('re-arms after each timeout for a periodic timer', () => {
    const net = new SimNetwork({ seed: 1, startMs: 1000 });
    const ep = new TestEndpoint();
    ep.deadline = 1250;
    ep.onTimeout = (now) => {
      if (ep.timeouts.length < 10) ep.deadline = now + 250;
    };
    net.addEndpoint(ep, A);
    net.run();
    expect(ep.timeouts).toEqual(Array.from({ length: 10 }, (_, i) => 1250 + 250 * i));
  });

  it('a deadline the app moves later without wake() is not fired early', () => {
    const net = new SimNetwork({ seed: 1 });
    const ep = new TestEndpoint();
    ep.deadline = 100;
    net.addEndpoint(ep, A);
    ep.deadline = 300;
    net.run();
    expect(ep.timeouts).toEqual([300]);
  });

  it('wake() picks up a deadline the app moved earlier', () => {
    const net = new SimNetwork({ seed: 1 });
    const ep = new TestEndpoint();
    ep.deadline = 500;
    net.addEndpoint(ep, A);
    net.run({ until: 100 });
    ep.deadline = 150;
    net.wake(ep);
    net.run();
    expect(ep.timeouts).toEqual([150]);
  });

  it('a deadline already in the past fires at the current time', () => {
    const net = new SimNetwork({ seed: 1, startMs: 50 });
    const ep = new TestEndpoint();
    ep.deadline = 10;
    net.addEndpoint(ep, A);
    net.run();
    expect(ep.timeouts).toEqual([50]);
  });

  it('a receive that clears the deadline cancels the pending timeout', () => {
    const net = new SimNetwork({ seed: 1 });
    const ep = new TestEndpoint();
    ep.deadline = 100;
    ep.onReceive = () => {
      ep.deadline = undefined;
    };
    net.addEndpoint(ep, B);
    net.inject({ from: A, to: B, data: text('ack') }, { at: 40 });
    net.run();
    expect(ep.timeouts).toEqual([]);
    expect(net.now).toBe(40);
  });
});

describe('SimNetwork run and step', () => {
  it('run({ until }) stops before later events and moves the clock to until', () => {
    const net = new SimNetwork({ seed: 1 });
    const ep = new TestEndpoint();
    ep.deadline = 200;
    net.addEndpoint(ep, A);
    expect(net.run({ until: 150 })).toEqual({ events: 0, reason: 'until' });
    expect(net.now).toBe(150);
    expect(ep.timeouts).toEqual([]);
    expect(net.nextEventTime).toBe(200);
    expect(net.run({ until: 1000 })).toEqual({ events: 1, reason: 'idle' });
    expect(net.now).toBe(1000);
  });

  it('step() processes one event at a time and reports when nothing is left', () => {
    const net = new SimNetwork({ seed: 1 });
    const b = new TestEndpoint();
    net.link(A, B, { delayMs: 5 });
    net.addEndpoint(b, B);
    net.addEndpoint(new TestEndpoint().send(text('1'), B).send(text('2'), B), A);
    expect(net.step()).toBe(true);
    expect([net.now, b.received.length]).toEqual([5, 1]);
    expect(net.step()).toBe(true);
    expect(b.received.length).toBe(2);
    expect(net.step()).toBe(false);
  });

  it('stops a livelock at maxEvents', () => {
    const net = new SimNetwork({ seed: 1 });
    const a = new TestEndpoint();
    const b = new TestEndpoint();
    a.echo = true;
    b.echo = true;
    net.addEndpoint(b, B);
    net.addEndpoint(a.send(text('ping'), B), A);
    expect(net.run({ maxEvents: 100 })).toEqual({ events: 100, reason: 'maxEvents' });
    expect(a.received.length + b.received.length).toBe(100);
  });

  it('schedule() runs application code at a virtual time', () => {
    const net = new SimNetwork({ seed: 1 });
    const seen: number[] = [];
    net.schedule(70, () => seen.push(net.now), 'app action');
    net.schedule(30, () => seen.push(net.now));
    net.run();
    expect(seen).toEqual([30, 70]);
    expect(net.trace).toContainEqual({ t: 70, kind: 'call', label: 'app action' });
  });
});

describe('SimNetwork endpoints', () => {
  it('passes remote and local addresses and a fresh copy of the bytes', () => {
    const net = new SimNetwork({ seed: 1 });
    const b = new TestEndpoint();
    net.addEndpoint(b, C);
    const payload = text('hello');
    net.addEndpoint(new TestEndpoint().send(payload, C), A);
    net.run();
    const [d] = b.received;
    expect(d).toMatchObject({ remote: A, local: C, now: 0 });
    expect(d!.data).not.toBe(payload);
    expect(str(d!.data)).toBe('hello');
  });

  it('wake() drains what the app queued outside the endpoint callbacks', () => {
    const net = new SimNetwork({ seed: 1 });
    const a = new TestEndpoint();
    const b = new TestEndpoint();
    net.addEndpoint(a, A);
    net.addEndpoint(b, B);
    net.run({ until: 10 });
    a.send(text('queued'), B);
    net.run({ until: 20 });
    expect(b.received).toHaveLength(0);
    net.wake(a);
    net.run();
    expect(b.received.map((d) => [str(d.data), d.now])).toEqual([['queued', 20]]);
    net.wake(A); // by address too
    expect(net.trace.filter((e) => e.kind === 'wake')).toHaveLength(2);
  });

  it('inject() delivers a crafted datagram exactly at its time, outside link counters', () => {
    const net = new SimNetwork({ seed: 1 });
    const b = new TestEndpoint();
    net.link(A, B, { delayMs: 30, loss: 1 });
    net.addEndpoint(b, B);
    const spoofed: SocketAddress = { address: '192.0.2.66', port: 6666, family: 'IPv4' };
    net.inject({ from: spoofed, to: B, data: Uint8Array.of(0xff, 0x00) }, { at: 12 });
    net.run();
    expect(b.received).toHaveLength(1);
    expect(b.received[0]).toMatchObject({ remote: spoofed, now: 12 });
    expect(net.stats(spoofed, B).sent).toBe(0);
  });

  it('inject({ viaLink }) goes through the link and its conditions', () => {
    const net = new SimNetwork({ seed: 1 });
    const b = new TestEndpoint();
    net.link(A, B, { delayMs: 30 });
    net.addEndpoint(b, B);
    net.inject({ from: A, to: B, data: text('x') }, { at: 5, viaLink: true });
    net.run();
    expect(b.received.map((d) => d.now)).toEqual([35]);
    expect(net.stats(A, B)).toMatchObject({ sent: 1, delivered: 1 });
  });

  it('counts datagrams to an address with no endpoint as unroutable', () => {
    const net = new SimNetwork({ seed: 1 });
    net.addEndpoint(new TestEndpoint().send(text('anyone?'), B), A);
    net.run();
    expect(net.stats(A, B).dropped.unroutable).toBe(1);
    expect(net.totalStats()).toMatchObject({ sent: 1, delivered: 0 });
  });

  it('removeEndpoint() stops its timers and a new endpoint can take the address', () => {
    const net = new SimNetwork({ seed: 1 });
    const old = new TestEndpoint();
    old.deadline = 10;
    net.addEndpoint(old, B);
    net.removeEndpoint(old);
    const fresh = new TestEndpoint();
    net.addEndpoint(fresh, B);
    net.addEndpoint(new TestEndpoint().send(text('hi'), B), A);
    net.run();
    expect(old.timeouts).toEqual([]);
    expect(fresh.received).toHaveLength(1);
  });

  it('refuses a second endpoint at the same address, or the same endpoint twice', () => {
    const net = new SimNetwork({ seed: 1 });
    const ep = new TestEndpoint();
    net.addEndpoint(ep, A);
    expect(() => net.addEndpoint(new TestEndpoint(), { ...A })).toThrow(/in use/);
    expect(() => net.addEndpoint(ep, B)).toThrow(/already/);
    expect(() => net.wake(new TestEndpoint())).toThrow(/no such endpoint/);
  });

  it('formats its trace for a failing test to print', () => {
    const net = new SimNetwork({ seed: 1 });
    net.link(A, B, { delayMs: 1.5, mtu: 3 });
    net.addEndpoint(new TestEndpoint(), B);
    net.addEndpoint(new TestEndpoint().send(text('ok'), B).send(text('toolong'), B), A);
    net.run();
    expect(net.formatTrace()).toBe(
      [
        '       0.000  send    #1 10.0.0.1:1111 -> 10.0.0.2:2222 2 B',
        '       0.000  send    #2 10.0.0.1:1111 -> 10.0.0.2:2222 7 B',
        '       0.000  drop    #2 10.0.0.1:1111 -> 10.0.0.2:2222 7 B (mtu)',
        '       1.500  deliver #1 10.0.0.1:1111 -> 10.0.0.2:2222 2 B',
      ].join('\n'),
    );
    expect(net.formatTrace(1)).toBe('       1.500  deliver #1 10.0.0.1:1111 -> 10.0.0.2:2222 2 B');
  });

  it('runs a request/response exchange between IPv4 and IPv6 addresses', () => {
    const net = new SimNetwork({ seed: 1, defaults: { delayMs: 25 } });
    const server = new TestEndpoint();
    server.onReceive = (d) =>
      server.send(new Writer().u16(new Reader(d.data).u16() + 1).finish(), d.remote);
    const client = new TestEndpoint();
    net.addEndpoint(server, C);
    net.addEndpoint(client.send(new Writer().u16(41).finish(), C), A);
    net.run();
    expect(client.received.map((d) => [new Reader(d.data).u16(), d.now, d.remote])).toEqual([
      [42, 50, C],
    ]);
  });
});
