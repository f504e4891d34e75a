import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NewReno } from '../congestion/new-reno.js';
import type { AckFrame } from '../frame/ack.js';
import {
  kPacketThreshold,
  kTimeThreshold,
  LossDetection,
  type PacketNumberSpace,
} from './loss-detection.js';
import { inPersistentCongestion, kPersistentCongestionThreshold } from './persistent-congestion.js';
import { kGranularity } from './rtt.js';
import type { SentPacket } from './sent-packets.js';

function ack(...ranges: [number, number][]): AckFrame {
  return {
    type: 'ack',
    ackDelay: 0,
    ranges: ranges.map(([smallest, largest]) => ({ smallest, largest })),
  };
}

function packet(
  packetNumber: number,
  timeSent: number,
  sentBytes = 1200,
  ackEliciting = true,
): SentPacket {
  return { packetNumber, timeSent, ackEliciting, inFlight: true, sentBytes };
}

function setup(role: 'client' | 'server' = 'server') {
  const cc = new NewReno();
  const ld = new LossDetection({ role, congestion: cc, maxAckDelay: 25 });
  return { cc, ld };
}

function send(
  ld: LossDetection,
  space: PacketNumberSpace,
  pns: number[],
  at: (pn: number) => number,
) {
  for (const pn of pns) ld.onPacketSent(space, packet(pn, at(pn)), at(pn));
}

describe('loss detection (RFC 9002 §6.1)', () => {
  it('uses kPacketThreshold = 3 and kTimeThreshold = 9/8, kGranularity = 1 ms', () => {
    expect(kPacketThreshold).toBe(3);
    expect(kTimeThreshold).toBe(1.125);
    expect(kGranularity).toBe(1);
  });

  it('treats an ACK of a packet never sent as a PROTOCOL_VIOLATION (RFC 9000 §13.1)', () => {
    const { ld } = setup();
    send(ld, 'application', [0, 1], () => 0);
    expect(() => ld.onAckReceived('application', ack([2, 2]), 0, 10)).toThrow(/never sent/);
    expect(() => ld.onAckReceived('handshake', ack([0, 0]), 0, 10)).toThrow(/never sent/);
  });

  it('declares a packet lost once a packet 3 higher is acknowledged (packet threshold)', () => {
    const { ld, cc } = setup();
    send(ld, 'application', [0, 1, 2, 3, 4], (pn) => pn);
    // RTT 50 ms: loss_delay = 56.25 ms, so nothing is old enough for the time threshold.
    const r1 = ld.onAckReceived('application', ack([3, 3]), 0, 53);
    // Largest acked 3: packet 0 is lost (3 >= 0 + 3), 1 and 2 wait on the time threshold.
    expect(r1.lost.map((p) => p.packetNumber)).toEqual([0]);
    expect(r1.acked.map((p) => p.packetNumber)).toEqual([3]);
    expect(cc.bytesInFlight).toBe(3 * 1200);
    const r2 = ld.onAckReceived('application', ack([4, 4]), 0, 54);
    expect(r2.lost.map((p) => p.packetNumber)).toEqual([1]);
  });

  it('declares packets lost after 9/8 of max(latest_rtt, smoothed_rtt) (time threshold) via the timer', () => {
    const { ld } = setup();
    send(ld, 'application', [0, 1], () => 0);
    ld.onPacketSent('application', packet(2, 100), 100);
    // Ack packet 2 at t=200: RTT sample 100 ms, smoothed 100.
    const r = ld.onAckReceived('application', ack([2, 2]), 0, 200);
    // loss_delay = 9/8 * 100 = 112.5; packets sent at 0 <= 200 - 112.5 are lost now.
    expect(r.lost.map((p) => p.packetNumber)).toEqual([0, 1]);
    ld.onPacketSent('application', packet(3, 250), 250);
    ld.onPacketSent('application', packet(4, 260), 260);
    const r2 = ld.onAckReceived('application', ack([4, 4]), 0, 300);
    expect(r2.lost).toEqual([]);
    // Packet 3 becomes lost at time_sent + loss_delay.
    const lossDelay = kTimeThreshold * Math.max(ld.rtt.latestRtt, ld.rtt.smoothedRtt);
    expect(ld.lossDetectionTimer).toBeCloseTo(250 + lossDelay, 9);
    const t = ld.onTimeout(ld.lossDetectionTimer!)!;
    expect(t.kind).toBe('loss');
    expect(t.kind === 'loss' && t.lost.map((p) => p.packetNumber)).toEqual([3]);
  });
});

describe('probe timeout (RFC 9002 §6.2)', () => {
  it('arms PTO = time of last ack-eliciting + smoothed_rtt + max(4*rttvar, 1) (+ max_ack_delay for 1-RTT)', () => {
    const { ld } = setup();
    ld.handshakeConfirmed = true;
    send(ld, 'application', [0], () => 0);
    ld.onAckReceived('application', ack([0, 0]), 0, 100); // RTT 100, rttvar 50
    ld.onPacketSent('application', packet(1, 150), 150);
    expect(ld.lossDetectionTimer).toBe(150 + 100 + 4 * 50 + 25);
  });

  it('doubles the PTO each time it fires (backoff) and resets on an ACK', () => {
    const { ld } = setup();
    ld.handshakeConfirmed = true;
    send(ld, 'application', [0], () => 0);
    ld.onAckReceived('application', ack([0, 0]), 0, 100);
    ld.onPacketSent('application', packet(1, 100), 100);
    const pto = 100 + 4 * 50 + 25;
    expect(ld.lossDetectionTimer).toBe(100 + pto);
    const a1 = ld.onTimeout(100 + pto)!;
    expect(a1).toEqual({ kind: 'pto', space: 'application', probes: 2 });
    expect(ld.ptoCount).toBe(1);
    expect(ld.lossDetectionTimer).toBe(100 + 2 * pto);
    ld.onTimeout(100 + 2 * pto);
    expect(ld.lossDetectionTimer).toBe(100 + 4 * pto);
    ld.onPacketSent('application', packet(2, 2000), 2000);
    ld.onAckReceived('application', ack([2, 2]), 0, 2100);
    expect(ld.ptoCount).toBe(0);
  });

  it('does not arm a 1-RTT PTO before the handshake is confirmed, but does for Handshake', () => {
    const { ld } = setup();
    send(ld, 'application', [0], () => 0);
    expect(ld.lossDetectionTimer).toBeUndefined();
    ld.onPacketSent('handshake', packet(0, 10), 10);
    expect(ld.lossDetectionTimer).toBe(10 + 333 + 4 * 166.5);
  });

  it('with only 0-RTT in flight before confirmation, a PTO probes the handshake', () => {
    // The server's Initial acknowledged ours; its Handshake flight is lost; our 0-RTT waits.
    const { ld } = setup('client');
    ld.onPacketSent('initial', packet(0, 0), 0);
    send(ld, 'application', [0, 1], () => 1);
    ld.onAckReceived('initial', ack([0, 0]), 0, 50);
    ld.hasHandshakeKeys = true;
    // From the last 0-RTT packet: smoothed_rtt 50 + 4 * rttvar 25.
    expect(ld.lossDetectionTimer).toBe(1 + 50 + 4 * 25);
    expect(ld.onTimeout(200)).toEqual({ kind: 'pto', space: 'handshake', probes: 2 });
  });

  it('a client arms an anti-deadlock PTO with nothing in flight until its address is validated', () => {
    const { ld } = setup('client');
    ld.onPacketSent('initial', packet(0, 0), 0);
    ld.onAckReceived('initial', ack([0, 0]), 0, 50);
    expect(ld.lossDetectionTimer).toBe(50 + 50 + 4 * 25);
    expect(ld.onTimeout(200)).toEqual({ kind: 'anti-deadlock', space: 'initial' });
    ld.hasHandshakeKeys = true;
    expect(ld.onTimeout(1000)).toEqual({ kind: 'anti-deadlock', space: 'handshake' });
    const server = setup('server').ld;
    server.onPacketSent('initial', packet(0, 0), 0);
    server.onAckReceived('initial', ack([0, 0]), 0, 50);
    expect(server.lossDetectionTimer).toBeUndefined();
  });

  it('a server at the amplification limit arms no timer until a datagram arrives', () => {
    const { ld } = setup('server');
    ld.atAntiAmplificationLimit = true;
    ld.onPacketSent('initial', packet(0, 0), 0);
    expect(ld.lossDetectionTimer).toBeUndefined();
    // The PTO would have expired meanwhile: it runs on the datagram (Appendix A.6).
    expect(ld.onDatagramReceived(5000)).toEqual({ kind: 'pto', space: 'initial', probes: 2 });
  });

  it('discarding Initial keys drops its packets from bytes in flight (§6.4)', () => {
    const { ld, cc } = setup();
    send(ld, 'initial', [0, 1], () => 0);
    expect(cc.bytesInFlight).toBe(2400);
    ld.discardSpace('initial', 10);
    expect(cc.bytesInFlight).toBe(0);
    expect(ld.lossDetectionTimer).toBeUndefined();
  });
});

describe('persistent congestion (RFC 9002 §7.6)', () => {
  // §7.6.3: PTO-based duration of 2, threshold 3; packets #1..#9 with #1 acked at 1.2
  // and #9 at 12.2 (times are the RFC's, scaled by 1000 to ms).
  const sendTimes: Record<number, number> = {
    1: 0,
    2: 1,
    3: 2,
    4: 3,
    5: 4,
    6: 5,
    7: 6,
    8: 8,
    9: 12,
  };
  const lost = [2, 3, 4, 5, 6, 7, 8].map((pn) => packet(pn, sendTimes[pn]! * 1000));
  const duration = 2 * 1000 * kPersistentCongestionThreshold;

  it('reproduces the §7.6.3 example: 8 - 1 = 7 exceeds 2 * 3 = 6', () => {
    // The example assumes an RTT sample existed before packet #2 was sent.
    expect(inPersistentCongestion(lost, duration, -1)).toBe(true);
  });

  it('needs a prior RTT sample when both packets were sent, and no acknowledged packet between', () => {
    // If the first sample came from #1's ACK at t=1.2, #2 does not count: 8 - 2 = 6 is not > 6.
    expect(inPersistentCongestion(lost, duration, 1.2 * 1000)).toBe(false);
    expect(inPersistentCongestion(lost, duration, undefined)).toBe(false);
    // #5 acknowledged: the longest unbroken run of losses spans 8 - 5 = 3.
    const withHole = lost.filter((p) => p.packetNumber !== 5);
    expect(inPersistentCongestion(withHole, duration, -1)).toBe(false);
  });

  it('collapses the window to kMinimumWindow when loss detection establishes it', () => {
    const { ld, cc } = setup();
    ld.handshakeConfirmed = true;
    // An RTT sample first: packet 0 acknowledged after 10 ms.
    send(ld, 'application', [0], () => 0);
    ld.onAckReceived('application', ack([0, 0]), 0, 10);
    for (let pn = 1; pn <= 10; pn++)
      ld.onPacketSent('application', packet(pn, 10 + pn * 30), 10 + pn * 30);
    const r = ld.onAckReceived('application', ack([10, 10]), 0, 330);
    // latest_rtt 20: loss_delay 22.5, so 1..9 (sent by t=280) are lost; the new
    // smoothed_rtt 11.25 and rttvar 6.25 give a duration of (11.25 + 25 + 25) * 3 = 183.75,
    // and packets 1 and 9 were sent 240 ms apart.
    expect(r.lost.map((p) => p.packetNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(ld.rtt.smoothedRtt).toBe(11.25);
    expect(ld.rtt.rttvar).toBe(6.25);
    expect(r.persistentCongestion).toBe(true);
    // kMinimumWindow (2 * 1200), then Appendix A.7 runs OnPacketsAcked after
    // OnPacketsLost: packet 10, acknowledged in slow start, adds its 1200 bytes.
    expect(cc.congestionWindow).toBe(2 * 1200 + 1200);
  });
});

describe('loss detection invariants (fast-check)', () => {
  it('keeps bytes in flight equal to the in-flight packets still tracked, under any ACK/timeout script', () => {
    type Step =
      | { kind: 'send'; ackEliciting: boolean; bytes: number }
      | { kind: 'ack'; lo: number; span: number }
      | { kind: 'timeout' };
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('send' as const),
        ackEliciting: fc.boolean(),
        bytes: fc.integer({ min: 30, max: 1200 }),
      }),
      fc.record({ kind: fc.constant('ack' as const), lo: fc.nat(60), span: fc.nat(5) }),
      fc.record({ kind: fc.constant('timeout' as const) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), fc.boolean(), (steps: Step[], confirmed) => {
        const { ld, cc } = setup();
        ld.handshakeConfirmed = confirmed;
        let now = 0;
        let nextPn = 0;
        for (const s of steps) {
          now += 7;
          if (s.kind === 'send') {
            ld.onPacketSent(
              'application',
              {
                packetNumber: nextPn++,
                timeSent: now,
                ackEliciting: s.ackEliciting,
                inFlight: true,
                sentBytes: s.bytes,
              },
              now,
            );
          } else if (s.kind === 'ack' && nextPn > 0) {
            const largest = Math.min(nextPn - 1, s.lo + s.span);
            const smallest = Math.min(largest, s.lo);
            ld.onAckReceived('application', ack([smallest, largest]), 0, now);
          } else if (s.kind === 'timeout' && ld.lossDetectionTimer !== undefined) {
            now = Math.max(now, ld.lossDetectionTimer);
            ld.onTimeout(now);
          }
          let tracked = 0;
          for (const p of ld.sentPackets('application')) tracked += p.sentBytes;
          expect(cc.bytesInFlight).toBe(tracked);
          expect(cc.congestionWindow).toBeGreaterThanOrEqual(2400);
          if (ld.lossDetectionTimer !== undefined)
            expect(Number.isFinite(ld.lossDetectionTimer)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('time-threshold loss timer (regression)', () => {
  it('firing the loss timer always declares the packet lost: the timer never re-arms at now', () => {
    // The timer is armed at timeSent + lossDelay; detection once compared
    // timeSent <= now - lossDelay, which rounding can make false at that very time.
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        (t0, gap) => {
          const { ld } = setup();
          ld.onPacketSent('application', packet(0, t0), t0);
          ld.onPacketSent('application', packet(1, t0 + gap), t0 + gap);
          ld.onAckReceived('application', ack([1, 1]), 0, t0 + gap + 1);
          const timer = ld.lossDetectionTimer;
          if (timer === undefined || ld.sentPackets('application').get(0) === undefined) return;
          const action = ld.onTimeout(timer);
          expect(action?.kind).toBe('loss');
          expect(ld.sentPackets('application').get(0)).toBeUndefined();
          const next = ld.lossDetectionTimer;
          expect(next === undefined || next > timer).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('PMTU probes (RFC 9000 §14.4)', () => {
  it('a lost probe leaves the flight without reducing the congestion window', () => {
    const { ld, cc } = setup();
    const window = cc.congestionWindow;
    ld.onPacketSent('application', { ...packet(0, 0, 1452), pmtuProbe: true }, 0);
    send(ld, 'application', [1, 2, 3], () => 0);
    const r = ld.onAckReceived('application', ack([1, 3]), 0, 10);
    expect(r.lost.map((p) => p.packetNumber)).toEqual([0]);
    expect(cc.bytesInFlight).toBe(0);
    expect(cc.congestionRecoveryStartTime).toBeUndefined();
    expect(cc.congestionWindow).toBeGreaterThanOrEqual(window);
  });

  it('while an ordinary lost packet does reduce it', () => {
    const { ld, cc } = setup();
    send(ld, 'application', [0, 1, 2, 3], () => 0);
    ld.onAckReceived('application', ack([1, 3]), 0, 10);
    expect(cc.congestionRecoveryStartTime).toBe(10);
  });
});
