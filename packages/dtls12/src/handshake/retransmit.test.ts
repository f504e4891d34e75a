import { describe, expect, it } from 'vitest';
import { RetransmitTimer } from './retransmit.js';

describe('retransmission timer (RFC 6347 §4.2.4)', () => {
  it('starts at the initial value, doubles on each expiry and caps at 60 s', () => {
    const t = new RetransmitTimer();
    t.start(0);
    expect(t.deadline).toBe(1000);
    const gaps: number[] = [];
    let now = 1000;
    while (t.backoff(now)) {
      gaps.push(t.deadline! - now);
      now = t.deadline!;
    }
    expect(gaps.slice(0, 7)).toEqual([2000, 4000, 8000, 16000, 32000, 60000, 60000]);
  });

  it('takes a configurable initial value and resets on progress', () => {
    const t = new RetransmitTimer({ initialMs: 100 });
    t.start(0);
    t.backoff(100);
    expect(t.deadline).toBe(300);
    t.start(300);
    expect(t.deadline).toBe(400);
    expect(t.retransmissions).toBe(0);
  });

  it('gives up after maxRetransmissions', () => {
    const t = new RetransmitTimer({ initialMs: 10, maxRetransmissions: 2 });
    t.start(0);
    expect(t.backoff(10)).toBe(true);
    expect(t.backoff(30)).toBe(true);
    expect(t.backoff(70)).toBe(false);
    expect(t.deadline).toBeUndefined();
  });
});
