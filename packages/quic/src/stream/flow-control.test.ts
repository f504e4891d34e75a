import { describe, expect, it } from 'vitest';
import { type QuicError, TransportError } from '../errors.js';
import { ReceiveWindow, SendCredit } from './flow-control.js';

describe('flow control (RFC 9000 §4)', () => {
  it('sender: credit only grows, and DATA_BLOCKED is reported once per limit', () => {
    const c = new SendCredit(100);
    c.consume(100);
    expect(c.available).toBe(0);
    expect(c.blocked()).toBe(100);
    expect(c.blocked()).toBeUndefined();
    expect(c.onMaxData(50)).toBe(false);
    expect(c.onMaxData(150)).toBe(true);
    expect(c.available).toBe(50);
    expect(() => c.consume(51)).toThrow(RangeError);
  });

  it('receiver: data beyond the advertised limit is a FLOW_CONTROL_ERROR', () => {
    const w = new ReceiveWindow(1000);
    w.onReceived(1000);
    try {
      w.onReceived(1);
      expect.unreachable();
    } catch (e) {
      expect((e as QuicError).code).toBe(TransportError.FLOW_CONTROL_ERROR);
    }
  });

  it('receiver: raises the limit once half the window is consumed', () => {
    const w = new ReceiveWindow(1000);
    w.onReceived(1000);
    expect(w.onConsumed(400, 0, 100)).toBeUndefined();
    expect(w.onConsumed(100, 10, 100)).toBe(1500);
    expect(w.limit).toBe(1500);
  });

  it('receiver: doubles the window (auto-tuning) when it is used up in under 2 RTTs', () => {
    const w = new ReceiveWindow(1000, 8000);
    let now = 0;
    let consumed = 0;
    const step = () => {
      const room = w.limit - consumed;
      w.onReceived(room);
      consumed += room;
      return w.onConsumed(room, now, 100);
    };
    step(); // first update starts an epoch
    now += 50; // fast: within 2 RTTs
    step();
    expect(w.window).toBe(2000);
    now += 50;
    step();
    expect(w.window).toBe(4000);
    now += 1000; // slow: no growth
    step();
    expect(w.window).toBe(4000);
    for (let i = 0; i < 5; i++) {
      now += 10;
      step();
    }
    expect(w.window).toBe(8000); // capped at maxWindow
  });
});
