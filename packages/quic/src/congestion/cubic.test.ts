import { describe, expect, it } from 'vitest';
import { RttEstimator } from '../recovery/rtt.js';
import { CUBIC_ALPHA, CUBIC_BETA, CUBIC_C, Cubic } from './cubic.js';

const p = (timeSent: number, sentBytes = 1200) => ({ timeSent, sentBytes, inFlight: true });

function rttOf(ms: number): RttEstimator {
  const r = new RttEstimator();
  r.update(ms, 0, 0, true, 0);
  return r;
}

/** Each controller's packets in flight (their send times), across `run` calls. */
const flights = new WeakMap<Cubic, number[]>();

/**
 * Drives `seconds` of a window-limited bulk transfer: the window is kept full
 * (a packet sent whenever it has room) and each RTT the packets in flight are
 * acknowledged, so every ACK finds the window used (RFC 9002 §7.8).
 */
function run(cc: Cubic, from: number, seconds: number, rtt: RttEstimator): number {
  const flight = flights.get(cc) ?? [];
  flights.set(cc, flight);
  let now = from;
  const end = from + seconds * 1000;
  const fill = () => {
    while (cc.available >= 1200) {
      cc.onPacketSent(1200, now);
      flight.push(now);
    }
  };
  while (now < end) {
    fill();
    for (let n = flight.length; n > 0; n--) {
      cc.onPacketsAcked([p(flight.shift()!)], now + rtt.smoothedRtt, rtt);
      fill();
    }
    now += rtt.smoothedRtt;
  }
  return now;
}

describe('CUBIC (RFC 9438)', () => {
  it('uses C = 0.4, beta = 0.7 and alpha = 3(1-beta)/(1+beta) (§4.3, §4.6, §5.1)', () => {
    expect(CUBIC_C).toBe(0.4);
    expect(CUBIC_BETA).toBe(0.7);
    expect(CUBIC_ALPHA).toBeCloseTo(0.9 / 1.7, 12);
  });

  it('reduces the window to beta * cwnd on loss and remembers W_max (§4.6)', () => {
    const cc = new Cubic();
    const rtt = rttOf(100);
    run(cc, 0, 0.5, rtt); // slow start
    const before = cc.congestionWindow;
    cc.onPacketsLost([p(1000)], 1001);
    expect(cc.congestionWindow).toBeCloseTo(before * CUBIC_BETA, 9);
    expect(cc.ssthresh).toBeCloseTo(before * CUBIC_BETA, 9);
    expect(cc.wMax).toBe(before);
  });

  it('computes K = cbrt((W_max - cwnd_epoch) / C) in segments and W_cubic(K) = W_max (§4.2)', () => {
    const cc = new Cubic();
    const rtt = rttOf(100);
    run(cc, 0, 0.5, rtt);
    const wMax = cc.congestionWindow;
    cc.onPacketsLost([p(1000)], 1001);
    cc.onPacketSent(1200, 1100);
    cc.onPacketsAcked([p(1100)], 1200, rtt); // starts the epoch
    expect(cc.k).toBeCloseTo(Math.cbrt((wMax - wMax * CUBIC_BETA) / 1200 / CUBIC_C), 9);
    expect(cc.wCubic(cc.k)).toBeCloseTo(wMax, 6);
    expect(cc.epochStart).toBe(1200);
  });

  it('grows back to W_max around K seconds after the reduction (concave), then beyond (convex)', () => {
    const cc = new Cubic();
    const rtt = rttOf(50);
    run(cc, 0, 0.3, rtt);
    cc.onPacketsLost([p(10_000)], 10_001);
    const wMax = cc.wMax;
    // The first acknowledgment after the recovery period starts the epoch and fixes K.
    cc.onPacketSent(1200, 10_002);
    cc.onPacketsAcked([p(10_002)], 10_052, rtt);
    const k = cc.k;
    expect(k).toBeGreaterThan(1);
    // The window tracks W_cubic(t) = C (t - K)^3 + W_max (within 2% of W_max).
    const tracks = (now: number) => {
      const t = (now - cc.epochStart!) / 1000;
      expect(Math.abs(cc.congestionWindow - cc.wCubic(t)) / wMax).toBeLessThan(0.02);
    };
    const halfway = run(cc, 10_052, k / 2, rtt);
    tracks(halfway);
    expect(cc.congestionWindow).toBeLessThan(wMax);
    expect(cc.congestionWindow).toBeGreaterThan(wMax * CUBIC_BETA);
    const atK = run(cc, halfway, k / 2, rtt);
    tracks(atK);
    expect(Math.abs(cc.congestionWindow / wMax - 1)).toBeLessThan(0.02);
    const after = run(cc, atK, 5, rtt);
    tracks(after);
    // Convex region: 5 s past K adds C * 5^3 = 50 segments over W_max.
    expect(cc.congestionWindow - wMax).toBeGreaterThan(0.9 * CUBIC_C * 125 * 1200);
  });

  it('does not count time the window went unused (RFC 9438 §5.8): the epoch starts again', () => {
    const cc = new Cubic();
    const rtt = rttOf(100);
    run(cc, 0, 0.5, rtt);
    cc.onPacketsLost([p(1000)], 1001);
    const now = run(cc, 1100, 2, rtt);
    expect(cc.epochStart).toBeDefined();
    // Everything acknowledged, then 30 s of one small packet at a time.
    for (const t of flights.get(cc)!.splice(0)) cc.onPacketsAcked([p(t)], now, rtt);
    cc.onPacketSent(1200, now + 30_000);
    cc.onPacketsAcked([p(now + 30_000)], now + 30_100, rtt);
    expect(cc.epochStart).toBeUndefined();
    // Back to a full window: growth resumes from a new epoch, not 30 s into the old one.
    const w = cc.congestionWindow;
    run(cc, now + 30_100, 0.1, rtt);
    expect(cc.epochStart).toBeGreaterThanOrEqual(now + 30_100);
    expect(cc.congestionWindow).toBeLessThan(1.1 * w);
  });

  it('applies fast convergence when W_max shrinks (§4.7)', () => {
    const cc = new Cubic();
    const rtt = rttOf(100);
    run(cc, 0, 0.5, rtt);
    cc.onPacketsLost([p(1000)], 1001);
    const afterFirst = cc.congestionWindow;
    cc.onPacketSent(1200, 1100);
    cc.onPacketsLost([p(1100)], 1200); // a second loss before regaining W_max
    expect(cc.wMax).toBeCloseTo((afterFirst * (1 + CUBIC_BETA)) / 2, 9);
    expect(cc.congestionWindow).toBeCloseTo(afterFirst * CUBIC_BETA, 9);
  });

  it('never falls below the Reno-friendly estimate W_est (§4.3)', () => {
    // A long RTT with a small W_max makes CUBIC slower than Reno: the window follows W_est.
    const cc = new Cubic();
    const rtt = rttOf(1000);
    cc.onPacketSent(1200, 0);
    cc.onPacketsLost([p(0)], 1);
    const w0 = cc.congestionWindow;
    run(cc, 2, 5, rtt);
    expect(cc.congestionWindow).toBeGreaterThanOrEqual(cc.wEst - 1e-6);
    // W_est grew by about alpha segments per RTT over 5 RTTs.
    expect(cc.wEst - w0).toBeGreaterThan(5 * CUBIC_ALPHA * 1200 * 0.8);
  });
});
