import { describe, expect, it } from 'vitest';
import { equalBytes } from '../bytes.js';
import type { SocketAddress } from '../endpoint/contract.js';
import { Reader } from '../reader.js';
import { TestEndpoint } from '../test-support/endpoints.js';
import { Writer } from '../writer.js';
import { type LinkConditions, resolveConditions } from './link.js';
import { SimNetwork } from './network.js';

const A: SocketAddress = { address: '10.0.0.1', port: 1111, family: 'IPv4' };
const B: SocketAddress = { address: '10.0.0.2', port: 2222, family: 'IPv4' };

/** A datagram of `size` bytes that starts with its sequence number. */
const numbered = (i: number, size = 100) =>
  new Writer(size)
    .u32(i)
    .zeros(size - 4)
    .finish();
const seqOf = (data: Uint8Array) => new Reader(data).u32();

/** A sends n numbered datagrams back to back at time 0 over a link with `conditions`. */
function blast(n: number, conditions: Partial<LinkConditions>, seed = 1, size = 100) {
  const net = new SimNetwork({ seed });
  const a = new TestEndpoint();
  const b = new TestEndpoint();
  net.link(A, B, conditions);
  net.addEndpoint(b, B);
  for (let i = 0; i < n; i++) a.send(numbered(i, size), B);
  net.addEndpoint(a, A);
  net.run();
  return { net, a, b, stats: net.stats(A, B) };
}

/** A sends one numbered datagram every `spacingMs`, starting at 0. */
function paced(n: number, spacingMs: number, conditions: Partial<LinkConditions>, seed = 1) {
  const net = new SimNetwork({ seed });
  const a = new TestEndpoint();
  const b = new TestEndpoint();
  net.link(A, B, conditions);
  net.addEndpoint(a, A);
  net.addEndpoint(b, B);
  for (let i = 0; i < n; i++) {
    net.schedule(i * spacingMs, () => {
      a.send(numbered(i), B);
      net.wake(a);
    });
  }
  net.run();
  return { net, a, b, stats: net.stats(A, B) };
}

// Five standard deviations of a binomial count: with a fixed seed the count is
// fixed, so this documents how far from the setting it may be, and cannot flake.
const within5Sigma = (count: number, n: number, p: number) => {
  const sigma = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(count - n * p)).toBeLessThan(5 * sigma);
};

describe('link delay', () => {
  it('is honoured exactly when there is no jitter', () => {
    const { b, a } = paced(5, 3.25, { delayMs: 37.5 });
    expect(b.received.map((d) => d.now)).toEqual([0, 1, 2, 3, 4].map((i) => i * 3.25 + 37.5));
    expect(a.received).toEqual([]);
  });

  it('jitter stays within [delay, delay + jitter) and varies', () => {
    const { b } = paced(200, 100, { delayMs: 10, jitterMs: 5 });
    const delays = b.received.map((d) => d.now - seqOf(d.data) * 100);
    for (const d of delays) expect(d >= 10 && d < 15).toBe(true);
    expect(new Set(delays).size).toBeGreaterThan(150);
  });
});

describe('link loss', () => {
  it.each([1, 2, 3])('drops close to the set rate over 10k datagrams (seed %i)', (seed) => {
    const n = 10_000;
    const { b, stats } = blast(n, { loss: 0.25 }, seed);
    within5Sigma(stats.dropped.loss, n, 0.25);
    expect(b.received.length).toBe(n - stats.dropped.loss);
    expect(stats.delivered).toBe(b.received.length);
    expect(stats.sent).toBe(n);
    // Survivors arrive in order, each at most once.
    const seqs = b.received.map((d) => seqOf(d.data));
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
  });

  it('loss 0 drops nothing and loss 1 drops everything', () => {
    expect(blast(1000, { loss: 0 }).b.received).toHaveLength(1000);
    expect(blast(1000, { loss: 1 }).b.received).toHaveLength(0);
  });
});

describe('link duplication', () => {
  it('delivers close to the set share twice, identical, and never the copy first', () => {
    const n = 10_000;
    const { net, b, stats } = blast(n, { duplicate: 0.1, delayMs: 5, jitterMs: 2 });
    within5Sigma(stats.duplicated, n, 0.1);
    expect(b.received.length).toBe(n + stats.duplicated);
    expect(stats.delivered).toBe(n + stats.duplicated);
    const firstSeen = new Map<number, Uint8Array>();
    let repeats = 0;
    let differ = 0;
    for (const d of b.received) {
      const s = seqOf(d.data);
      const first = firstSeen.get(s);
      if (first) {
        repeats++;
        if (!equalBytes(d.data, first)) differ++;
      } else {
        firstSeen.set(s, d.data);
      }
    }
    expect(repeats).toBe(stats.duplicated);
    expect(differ).toBe(0);
    expect(firstSeen.size).toBe(n);
    // The trace tells the copy from the original: the copy is never delivered first.
    const originalAt = new Map<number, number>();
    let copyFirst = 0;
    let copies = 0;
    for (const e of net.trace) {
      if (e.kind !== 'deliver') continue;
      if (!e.duplicate) originalAt.set(e.id, e.t);
      else {
        copies++;
        if (!originalAt.has(e.id) || originalAt.get(e.id)! > e.t) copyFirst++;
      }
    }
    expect(copies).toBe(stats.duplicated);
    expect(copyFirst).toBe(0);
  });

  it('gives each copy its own memory, so decrypting one in place leaves the other intact', () => {
    const { b } = blast(1, { duplicate: 1 });
    expect(b.received).toHaveLength(2);
    const [x, y] = b.received;
    x!.data.fill(0xff);
    expect(seqOf(y!.data)).toBe(0);
  });
});

describe('link reordering', () => {
  it('actually reorders: some datagrams overtake others, and all arrive', () => {
    const { b, stats } = paced(200, 1, { delayMs: 10, reorder: 0.2, reorderDelayMs: 5 });
    const seqs = b.received.map((d) => seqOf(d.data));
    expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const inversions = seqs.filter((s, i) => i > 0 && s < seqs[i - 1]!).length;
    expect(inversions).toBeGreaterThan(10);
    expect(stats.delivered).toBe(200);
    // A held-back datagram is late by exactly reorderDelayMs.
    const lateness = new Set(b.received.map((d) => d.now - seqOf(d.data) - 10));
    expect([...lateness].sort()).toEqual([0, 5]);
  });

  it('without reorder or jitter, order is preserved', () => {
    const seqs = paced(200, 1, { delayMs: 10 }).b.received.map((d) => seqOf(d.data));
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });
});

describe('link corruption', () => {
  it('flips exactly one bit, the one the trace names, and never the sender’s bytes', () => {
    const net = new SimNetwork({ seed: 5 });
    const a = new TestEndpoint();
    const b = new TestEndpoint();
    net.link(A, B, { corrupt: 1 });
    net.addEndpoint(b, B);
    const sent = Array.from({ length: 300 }, (_, i) => numbered(i, 20 + (i % 50)).slice());
    for (const s of sent) a.send(s, B);
    net.addEndpoint(a, A);
    net.run();
    expect(b.received).toHaveLength(300);
    const deliveries = net.trace.filter((e) => e.kind === 'deliver');
    b.received.forEach((d, i) => {
      const original = sent[i]!;
      expect(original).toEqual(numbered(i, 20 + (i % 50)));
      expect(d.data.length).toBe(original.length);
      let flipped = -1;
      let bits = 0;
      for (let k = 0; k < original.length; k++) {
        const x = original[k]! ^ d.data[k]!;
        for (let bit = 0; bit < 8; bit++) {
          if (x & (0x80 >> bit)) {
            bits++;
            flipped = k * 8 + bit;
          }
        }
      }
      expect(bits).toBe(1);
      expect(deliveries[i]).toMatchObject({ corruptedBit: flipped });
    });
    expect(net.stats(A, B).corrupted).toBe(300);
  });

  it('corrupts close to the set share', () => {
    const n = 5000;
    const { stats } = blast(n, { corrupt: 0.3 });
    within5Sigma(stats.corrupted, n, 0.3);
  });
});

describe('link bandwidth', () => {
  it('delays the k-th back-to-back datagram by k * size * 8 / bandwidth', () => {
    // 1000 bytes at 1 Mbit/s take 8 ms on the wire.
    const { b } = blast(5, { bandwidthBps: 1_000_000, delayMs: 20 }, 1, 1000);
    expect(b.received.map((d) => d.now)).toEqual([1, 2, 3, 4, 5].map((k) => 20 + k * 8));
  });

  it('a datagram sent after the queue drained waits only for itself', () => {
    const net = new SimNetwork({ seed: 1 });
    const a = new TestEndpoint();
    const b = new TestEndpoint();
    net.link(A, B, { bandwidthBps: 8000 }); // 1 byte per ms
    net.addEndpoint(b, B);
    a.send(new Uint8Array(10), B).send(new Uint8Array(10), B);
    net.addEndpoint(a, A);
    net.schedule(100, () => net.wake(a.send(new Uint8Array(4), B)));
    net.run();
    expect(b.received.map((d) => d.now)).toEqual([10, 20, 104]);
  });

  it('tail-drops what does not fit in queueBytes', () => {
    const { b, stats } = blast(10, { bandwidthBps: 8000, queueBytes: 300 }, 1, 100);
    // The first three fit the queue (0, 100, 200 bytes waiting ahead of them); the rest overflow.
    expect(b.received.map((d) => seqOf(d.data))).toEqual([0, 1, 2]);
    expect(stats.dropped.queue).toBe(7);
  });
});

describe('link MTU', () => {
  it('drops datagrams bigger than the MTU and carries ones that fit', () => {
    const net = new SimNetwork({ seed: 1 });
    const a = new TestEndpoint();
    const b = new TestEndpoint();
    net.link(A, B, { mtu: 1200 });
    net.addEndpoint(b, B);
    a.send(new Uint8Array(1200), B).send(new Uint8Array(1201), B).send(new Uint8Array(1), B);
    net.addEndpoint(a, A);
    net.run();
    expect(b.received.map((d) => d.data.length)).toEqual([1200, 1]);
    expect(net.stats(A, B).dropped.mtu).toBe(1);
    expect(net.trace.filter((e) => e.kind === 'drop')).toEqual([
      expect.objectContaining({ size: 1201, cause: 'mtu' }),
    ]);
  });
});

describe('link drop hook', () => {
  it('drops exactly the datagram the test names, e.g. the 2nd from A', () => {
    const seen: number[] = [];
    const { b, stats } = blast(4, {
      drop: (d) => {
        seen.push(d.index);
        return d.index === 2;
      },
    });
    expect(b.received.map((d) => seqOf(d.data))).toEqual([0, 2, 3]);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(stats.dropped.filter).toBe(1);
  });

  it('applies per direction: a one-way rule leaves the way back alone', () => {
    const net = new SimNetwork({ seed: 1 });
    const a = new TestEndpoint();
    const b = new TestEndpoint();
    b.echo = true;
    net.linkOneWay(B, A, { loss: 1 });
    net.addEndpoint(b, B);
    net.addEndpoint(a.send(numbered(1), B), A);
    net.run();
    expect(b.received).toHaveLength(1);
    expect(a.received).toHaveLength(0);
    expect(net.stats(B, A).dropped.loss).toBe(1);
    expect(net.stats(A, B).dropped.loss).toBe(0);
  });
});

describe('link conditions', () => {
  it('refuses values out of range', () => {
    for (const bad of [
      { loss: 1.5 },
      { duplicate: -0.1 },
      { corrupt: Number.NaN },
      { delayMs: -1 },
      { bandwidthBps: 0 },
      { mtu: -1 },
    ]) {
      expect(() => resolveConditions(bad), JSON.stringify(bad)).toThrow(RangeError);
    }
  });

  it('link() settings sit on top of the network defaults', () => {
    const net = new SimNetwork({ seed: 1, defaults: { delayMs: 50 } });
    const a = new TestEndpoint();
    const b = new TestEndpoint();
    b.echo = true;
    net.link(A, B, { jitterMs: 0 });
    net.addEndpoint(b, B);
    net.addEndpoint(a.send(numbered(1), B), A);
    net.run();
    expect(a.received[0]!.now).toBe(100);
  });
});
