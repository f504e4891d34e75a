import { describe, expect, it } from 'vitest';
import { kGranularity, kInitialRtt, RttEstimator } from './rtt.js';

describe('RTT estimation (RFC 9002 §5)', () => {
  it('starts from kInitialRtt = 333 ms with rttvar = kInitialRtt / 2 (§6.2.2)', () => {
    const rtt = new RttEstimator();
    expect(kInitialRtt).toBe(333);
    expect(rtt.smoothedRtt).toBe(333);
    expect(rtt.rttvar).toBe(166.5);
    expect(rtt.hasSample).toBe(false);
  });

  it('takes the first sample as smoothed_rtt and min_rtt, rttvar = sample / 2 (§5.3)', () => {
    const rtt = new RttEstimator();
    rtt.update(100, 10, 1000, false, 25);
    expect(rtt.smoothedRtt).toBe(100);
    expect(rtt.minRtt).toBe(100);
    expect(rtt.rttvar).toBe(50);
    expect(rtt.firstRttSample).toBe(1000);
  });

  it('updates with 7/8 and 3/4 weights, subtracting a plausible ack delay', () => {
    const rtt = new RttEstimator();
    rtt.update(100, 0, 0, true, 25);
    rtt.update(140, 20, 10, true, 25);
    // adjusted_rtt = 140 - 20 = 120 (since 140 >= min_rtt 100 + 20)
    expect(rtt.rttvar).toBeCloseTo((3 / 4) * 50 + (1 / 4) * Math.abs(100 - 120), 12);
    expect(rtt.smoothedRtt).toBeCloseTo((7 / 8) * 100 + (1 / 8) * 120, 12);
    expect(rtt.minRtt).toBe(100);
  });

  it('caps ack_delay at max_ack_delay only once the handshake is confirmed', () => {
    const a = new RttEstimator();
    a.update(100, 0, 0, true, 25);
    a.update(200, 80, 1, true, 25); // delay capped to 25: adjusted = 175
    expect(a.smoothedRtt).toBeCloseTo((7 / 8) * 100 + (1 / 8) * 175, 12);
    const b = new RttEstimator();
    b.update(100, 0, 0, false, 25);
    b.update(200, 80, 1, false, 25); // not confirmed: adjusted = 120
    expect(b.smoothedRtt).toBeCloseTo((7 / 8) * 100 + (1 / 8) * 120, 12);
  });

  it('does not subtract an ack delay that would take the sample below min_rtt', () => {
    const rtt = new RttEstimator();
    rtt.update(100, 0, 0, true, 25);
    rtt.update(110, 20, 1, true, 25); // 110 < 100 + 20: adjusted stays 110
    expect(rtt.smoothedRtt).toBeCloseTo((7 / 8) * 100 + (1 / 8) * 110, 12);
    rtt.update(90, 0, 2, true, 25);
    expect(rtt.minRtt).toBe(90);
  });

  it('PTO = smoothed_rtt + max(4 * rttvar, kGranularity) + max_ack_delay (§6.2.1)', () => {
    const rtt = new RttEstimator();
    rtt.update(100, 0, 0, true, 25);
    expect(rtt.pto(25)).toBe(100 + 4 * 50 + 25);
    const tiny = new RttEstimator();
    tiny.update(0.1, 0, 0, true, 0);
    for (let i = 0; i < 50; i++) tiny.update(0.1, 0, i, true, 0);
    expect(4 * tiny.rttvar).toBeLessThan(kGranularity);
    expect(tiny.pto(0)).toBeCloseTo(tiny.smoothedRtt + kGranularity, 12);
  });
});
