import { describe, expect, it } from 'vitest';
import { RttEstimator } from '../recovery/rtt.js';
import { initialWindow, minimumWindow } from './controller.js';
import { NewReno } from './new-reno.js';

const rtt = new RttEstimator();
const p = (timeSent: number, sentBytes = 1200) => ({ timeSent, sentBytes, inFlight: true });

describe('NewReno (RFC 9002 §7, Appendix B)', () => {
  it('starts at min(10 * mds, max(14720, 2 * mds)) with a floor of 2 * mds (§7.2)', () => {
    expect(initialWindow(1200)).toBe(12000);
    expect(initialWindow(1500)).toBe(14720);
    expect(initialWindow(9000)).toBe(18000);
    expect(minimumWindow(1200)).toBe(2400);
    expect(new NewReno().congestionWindow).toBe(12000);
  });

  it('grows by the bytes acknowledged in slow start', () => {
    const cc = new NewReno();
    for (let i = 0; i < 10; i++) cc.onPacketSent(1200, 0);
    expect(cc.available).toBe(0);
    cc.onPacketsAcked([p(0), p(0)], 10, rtt);
    expect(cc.congestionWindow).toBe(12000 + 2400);
    expect(cc.bytesInFlight).toBe(8 * 1200);
  });

  it('halves the window on loss, once per recovery period', () => {
    const cc = new NewReno();
    for (let i = 0; i < 10; i++) cc.onPacketSent(1200, i);
    cc.onPacketsLost([p(1)], 100);
    expect(cc.ssthresh).toBe(6000);
    expect(cc.congestionWindow).toBe(6000);
    // A packet sent before the recovery period started: no second reduction, no growth.
    cc.onPacketsLost([p(5)], 110);
    expect(cc.congestionWindow).toBe(6000);
    cc.onPacketsAcked([p(6)], 120, rtt);
    expect(cc.congestionWindow).toBe(6000);
    // A packet sent after recovery started and lost: a new reduction.
    cc.onPacketSent(1200, 130);
    cc.onPacketsLost([p(130)], 200);
    expect(cc.congestionWindow).toBe(3000);
    cc.onPacketSent(1200, 210);
    cc.onPacketsLost([p(210)], 300);
    expect(cc.congestionWindow).toBe(2400); // kMinimumWindow floor
  });

  it('adds about one max_datagram_size per window acknowledged in congestion avoidance', () => {
    const cc = new NewReno();
    cc.onPacketSent(1200, 0);
    cc.onPacketsLost([p(0)], 1);
    const start = cc.congestionWindow;
    // A full window in flight, kept full by sending one packet per ACK (ack clocking).
    for (let i = 0; i < 5; i++) cc.onPacketSent(1200, 10 + i);
    let expected = start;
    for (let i = 0; i < 5; i++) {
      cc.onPacketsAcked([p(10 + i)], 20 + i, rtt);
      expected += (1200 * 1200) / expected;
      cc.onPacketSent(1200, 20 + i);
    }
    expect(cc.congestionWindow).toBeCloseTo(expected, 9);
    expect(cc.congestionWindow - start).toBeLessThan(1200);
  });

  it('does not grow a window it does not use (§7.8): slow start or congestion avoidance', () => {
    const cc = new NewReno();
    // Two packets of a 12000-byte window: under half of it in slow start.
    cc.onPacketSent(1200, 0);
    cc.onPacketSent(1200, 0);
    cc.onPacketsAcked([p(0), p(0)], 10, rtt);
    expect(cc.congestionWindow).toBe(12000);
    // Six of ten: over half, so slow start grows.
    for (let i = 0; i < 6; i++) cc.onPacketSent(1200, 20);
    cc.onPacketsAcked([p(20)], 30, rtt);
    expect(cc.congestionWindow).toBe(13200);
    // Congestion avoidance: more than three datagrams of room left means not limited by the window.
    const ca = new NewReno();
    ca.onPacketSent(1200, 0);
    ca.onPacketsLost([p(0)], 1);
    const w = ca.congestionWindow;
    ca.onPacketSent(1200, 10);
    ca.onPacketsAcked([p(10)], 20, rtt);
    expect(ca.congestionWindow).toBe(w);
  });

  it('judges use by the flight at the last send: a batch of ACKs processed before sending all count', () => {
    const cc = new NewReno();
    cc.onPacketSent(1200, 0);
    cc.onPacketsLost([p(0)], 1);
    const start = cc.congestionWindow;
    const n = Math.floor(start / 1200);
    for (let i = 0; i < n; i++) cc.onPacketSent(1200, 10);
    // The receive batch: every ACK before we send again (in flight falls with each).
    for (let i = 0; i < n; i++) cc.onPacketsAcked([p(10)], 20, rtt);
    expect(cc.congestionWindow - start).toBeGreaterThan(0.9 * 1200);
  });

  it('does not grow while application limited, and collapses on persistent congestion', () => {
    const cc = new NewReno();
    cc.setAppLimited(true);
    cc.onPacketSent(1200, 0);
    cc.onPacketsAcked([p(0)], 1, rtt);
    expect(cc.congestionWindow).toBe(12000);
    cc.onPersistentCongestion(2);
    expect(cc.congestionWindow).toBe(2400);
  });
});
