import type { DatagramEndpoint, EndpointHandle, OutgoingDatagram } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { ReceiveBatching } from './receive-batching.js';

const addr = { address: '127.0.0.1', port: 1, family: 'IPv4' as const };

function fake() {
  const out: OutgoingDatagram = { data: new Uint8Array([1]), remote: addr };
  const inner: DatagramEndpoint = {
    receive: () => {},
    poll: () => out,
    nextDeadline: () => 5,
    handleTimeout: () => {},
  };
  const batching = new ReceiveBatching(inner);
  let flushes = 0;
  const handle = { flush: () => flushes++ } as unknown as EndpointHandle;
  batching.attach(handle);
  return { batching, out, flushes: () => flushes };
}

const datagram = (first: number) => ({
  data: new Uint8Array([first, 0]),
  remote: addr,
  local: addr,
});

describe('ReceiveBatching (RFC 9000 §13.2.2: process available packets before acknowledging)', () => {
  it('holds replies to 1-RTT datagrams until the batch was received, then flushes once', async () => {
    const f = fake();
    const owner = {
      dispatched: 0,
      dispatch() {
        this.dispatched++;
      },
    };
    f.batching.receive(datagram(0x40), 0);
    f.batching.receive(datagram(0x41), 0);
    expect(f.batching.poll(0)).toBeUndefined();
    expect(f.batching.nextDeadline()).toBeUndefined();
    f.batching.flush(owner);
    expect(f.flushes()).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(f.flushes()).toBe(1);
    expect(owner.dispatched).toBe(1);
    expect(f.batching.poll(0)).toBe(f.out);
    expect(f.batching.nextDeadline()).toBe(5);
  });

  it('answers long-header (handshake) datagrams at once', () => {
    const f = fake();
    f.batching.receive(datagram(0xc0), 0);
    expect(f.batching.poll(0)).toBe(f.out);
    f.batching.flush({ dispatch() {} });
    expect(f.flushes()).toBe(1);
  });
});
