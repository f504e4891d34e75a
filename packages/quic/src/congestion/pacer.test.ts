import { describe, expect, it } from 'vitest';
import { PACING_GAIN, Pacer } from './pacer.js';

describe('pacing (RFC 9002 §7.7)', () => {
  it('rate = N * congestion_window / smoothed_rtt with N = 1.25', () => {
    expect(PACING_GAIN).toBe(1.25);
    expect(Pacer.rate(12000, 100)).toBe(150); // bytes per ms
  });

  it('lets a burst through, then spaces packets at the pacing rate', () => {
    const pacer = new Pacer(1200, 10);
    const cwnd = 12000;
    const srtt = 100;
    for (let i = 0; i < 10; i++) {
      expect(pacer.nextSendTime(0, 1200, cwnd, srtt)).toBe(0);
      pacer.onPacketSent(0, 1200, cwnd, srtt);
    }
    const next = pacer.nextSendTime(0, 1200, cwnd, srtt);
    expect(next).toBeCloseTo(1200 / 150, 9);
    expect(pacer.nextSendTime(next, 1200, cwnd, srtt)).toBe(next);
  });

  it('lets a packet larger than the bucket go once the bucket is full', () => {
    const pacer = new Pacer(1200, 1);
    pacer.onPacketSent(0, 1200, 12000, 100);
    const t = pacer.nextSendTime(0, 5000, 12000, 100);
    expect(t).toBeCloseTo(1200 / 150, 9);
    expect(pacer.nextSendTime(t, 5000, 12000, 100)).toBe(t);
  });

  it('never stores more than the burst capacity', () => {
    const pacer = new Pacer(1200, 4);
    pacer.onPacketSent(0, 4800, 12000, 100);
    pacer.nextSendTime(1_000_000, 1200, 12000, 100);
    expect(pacer.tokens).toBe(4800);
  });
});
