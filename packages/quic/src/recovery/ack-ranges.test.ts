import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AckRanges, ReceivedPackets } from './ack-ranges.js';

function expand(r: AckRanges): number[] {
  const out: number[] = [];
  for (const { smallest, largest } of r.ranges())
    for (let pn = largest; pn >= smallest; pn--) out.push(pn);
  return out;
}

describe('AckRanges', () => {
  it('matches a set of packet numbers, with disjoint descending ranges', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 80 }), (pns) => {
        const r = new AckRanges();
        const model = new Set<number>();
        for (const pn of pns) {
          expect(r.insert(pn)).toBe(!model.has(pn));
          model.add(pn);
        }
        expect(expand(r)).toEqual([...model].sort((a, b) => b - a));
        const rs = r.ranges();
        for (let i = 1; i < rs.length; i++)
          expect(rs[i]!.largest).toBeLessThan(rs[i - 1]!.smallest - 1);
        for (let pn = 0; pn <= 61; pn++) expect(r.has(pn)).toBe(model.has(pn));
      }),
      { numRuns: 500 },
    );
  });

  it('forgets numbers below a point', () => {
    const r = new AckRanges();
    for (const pn of [1, 2, 3, 5, 6, 9]) r.insert(pn);
    r.removeBelow(3);
    expect(expand(r)).toEqual([9, 6, 5, 3]);
  });
});

describe('ACK generation (RFC 9000 §13.2)', () => {
  it('acknowledges Initial and Handshake packets at once with ACK Delay 0', () => {
    const rp = new ReceivedPackets('initial');
    rp.onPacketReceived(0, true, 100);
    expect(rp.ackRequired(100)).toBe(true);
    const ack = rp.buildAck(150, 3)!;
    expect(ack.ackDelay).toBe(0);
    expect(ack.ranges).toEqual([{ smallest: 0, largest: 0 }]);
  });

  it('acknowledges every second ack-eliciting 1-RTT packet, else within max_ack_delay', () => {
    const rp = new ReceivedPackets('application', 25);
    rp.onPacketReceived(0, true, 1000);
    expect(rp.ackRequired(1000)).toBe(false);
    expect(rp.ackDeadline).toBe(1025);
    expect(rp.ackRequired(1025)).toBe(true);
    rp.onPacketReceived(1, true, 1010);
    expect(rp.ackRequired(1010)).toBe(true);
    rp.onAckSent();
    expect(rp.ackRequired(2000)).toBe(false);
    rp.onPacketReceived(2, false, 2000); // ACK-only packets never trigger an ACK
    expect(rp.ackDeadline).toBeUndefined();
  });

  it('acknowledges at once when a packet is missing or arrives out of order, or is CE-marked', () => {
    const gap = new ReceivedPackets('application');
    gap.onPacketReceived(0, true, 0);
    gap.onAckSent();
    gap.onPacketReceived(2, true, 1);
    expect(gap.ackRequired(1)).toBe(true);
    gap.onAckSent();
    gap.onPacketReceived(1, true, 2);
    expect(gap.ackRequired(2)).toBe(true);
    const ce = new ReceivedPackets('application');
    ce.onPacketReceived(0, true, 0, true);
    expect(ce.ackRequired(0)).toBe(true);
  });

  it('encodes ACK Delay in microseconds >> ack_delay_exponent since the largest arrived', () => {
    const rp = new ReceivedPackets('application');
    rp.onPacketReceived(7, true, 1000);
    rp.onPacketReceived(5, true, 1001);
    const ack = rp.buildAck(1004, 3)!;
    expect(ack.ackDelay).toBe(Math.floor(4000 / 8));
    expect(ack.ranges).toEqual([
      { smallest: 7, largest: 7 },
      { smallest: 5, largest: 5 },
    ]);
    expect(rp.isDuplicate(5)).toBe(true);
  });

  it('keeps at most maxRanges ranges, dropping the oldest', () => {
    const rp = new ReceivedPackets('application', 25, 4);
    for (let pn = 0; pn < 20; pn += 2) rp.onPacketReceived(pn, true, 0);
    expect(rp.buildAck(0, 3)!.ranges.map((r) => r.largest)).toEqual([18, 16, 14, 12]);
  });
});
