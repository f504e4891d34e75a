import { nodeProvider } from '@x/crypto';
import { describe, expect, it } from 'vitest';
import { AMPLIFICATION_FACTOR, AmplificationLimit } from './amplification.js';
import { CloseState } from './close.js';
import { effectiveIdleTimeout, IdleTimer } from './idle-timeout.js';
import { PathValidation } from './path-validation.js';

describe('anti-amplification (RFC 9000 §8.1)', () => {
  it('allows at most three times the bytes received until the address is validated', () => {
    expect(AMPLIFICATION_FACTOR).toBe(3);
    const a = new AmplificationLimit();
    expect(a.atLimit).toBe(true);
    a.onDatagramReceived(1200);
    expect(a.allowance).toBe(3600);
    a.onDatagramSent(1200);
    a.onDatagramSent(1200);
    expect(() => a.onDatagramSent(1201)).toThrow(RangeError);
    a.onDatagramSent(1200);
    expect(a.atLimit).toBe(true);
    a.onDatagramReceived(50);
    expect(a.allowance).toBe(150);
    a.validate();
    expect(a.allowance).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('idle timeout (RFC 9000 §10.1)', () => {
  it('is the smaller advertised value, ignoring 0, and at least 3 PTO', () => {
    expect(effectiveIdleTimeout(30_000, 10_000, 100)).toBe(10_000);
    expect(effectiveIdleTimeout(0, 10_000, 100)).toBe(10_000);
    expect(effectiveIdleTimeout(0, 0, 100)).toBeUndefined();
    expect(effectiveIdleTimeout(500, 1000, 300)).toBe(900);
  });

  it('restarts on receipt, and on the first ack-eliciting packet sent after it', () => {
    const t = new IdleTimer(0);
    t.onPacketReceived(100);
    expect(t.deadline(1000)).toBe(1100);
    t.onAckElicitingSent(200);
    expect(t.deadline(1000)).toBe(1200);
    t.onAckElicitingSent(300); // not the first since the last receipt
    expect(t.deadline(1000)).toBe(1200);
    expect(t.deadline(undefined)).toBeUndefined();
  });
});

describe('closing and draining (RFC 9000 §10.2)', () => {
  it('last 3 PTO; closing answers packets at a falling rate, draining never', () => {
    const c = CloseState.closing(1000, 100);
    expect(c.deadline).toBe(1300);
    const answers = Array.from({ length: 16 }, () => c.onPacketReceived());
    expect(answers.map((a, i) => (a ? i + 1 : 0)).filter(Boolean)).toEqual([1, 2, 4, 8, 16]);
    const d = c.toDraining();
    expect(d.kind).toBe('draining');
    expect(d.deadline).toBe(1300);
    expect(d.onPacketReceived()).toBe(false);
    expect(d.expired(1299)).toBe(false);
    expect(d.expired(1300)).toBe(true);
  });
});

describe('path validation (RFC 9000 §8.2)', () => {
  it('succeeds on a PATH_RESPONSE echoing any challenge', () => {
    const p = new PathValidation(nodeProvider, 0, 100);
    const a = p.challenge();
    const b = p.challenge();
    expect(a).not.toEqual(b);
    expect(p.onPathResponse(new Uint8Array(8))).toBe(false);
    expect(p.onPathResponse(a)).toBe(true);
    expect(p.state).toBe('validated');
  });

  it('fails after 3 x max(current PTO, the kInitialRtt PTO)', () => {
    const p = new PathValidation(nodeProvider, 0, 100);
    expect(p.deadline).toBe(3 * (333 + 4 * 166.5));
    expect(p.onTimeout(p.deadline - 1)).toBe(false);
    expect(p.onTimeout(p.deadline)).toBe(true);
    expect(p.onPathResponse(p.challenge())).toBe(false);
  });
});
