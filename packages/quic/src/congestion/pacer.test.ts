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

describe('pacing with a coarse driver timer', () => {
  it('holds what the rate releases in two timer ticks, so a 1 ms timer does not cap the rate', () => {
    const cwnd = 1_200_000;
    const srtt = 1;
    const coarse = new Pacer(1200, 10, 1);
    const fine = new Pacer(1200, 10);
    for (const p of [coarse, fine]) {
      for (let i = 0; i < 10; i++) p.onPacketSent(0, 1200, cwnd, srtt);
    }
    // One millisecond later: the coarse pacer lets the whole millisecond's worth go at once.
    let sentCoarse = 0;
    while (coarse.nextSendTime(1, 1200, cwnd, srtt) === 1 && sentCoarse < 10_000) {
      coarse.onPacketSent(1, 1200, cwnd, srtt);
      sentCoarse++;
    }
    let sentFine = 0;
    while (fine.nextSendTime(1, 1200, cwnd, srtt) === 1 && sentFine < 10_000) {
      fine.onPacketSent(1, 1200, cwnd, srtt);
      sentFine++;
    }
    expect(sentFine).toBe(10);
    // rate = 1.25 * cwnd / srtt = 1.5 MB per ms: about 1250 packets in that millisecond.
    expect(sentCoarse).toBeGreaterThan(1000);
  });
});
