import { describe, expect, it } from 'vitest';
import { randomBytes } from './random.js';

describe('node provider randomBytes (pooled)', () => {
  it('hands out fresh bytes of the requested length across pool refills', () => {
    const seen = new Set<string>();
    // 3000 x 24 bytes crosses the 4 KiB pool boundary many times, at odd offsets.
    for (let i = 0; i < 3000; i++) {
      const b = randomBytes(24);
      expect(b).toBeInstanceOf(Uint8Array);
      expect(b.length).toBe(24);
      // A copy, not a view of the pool: later calls must not change it.
      expect(b.byteLength).toBe(b.buffer.byteLength);
      seen.add(Buffer.from(b).toString('hex'));
    }
    expect(seen.size).toBe(3000);
  });

  it('serves zero bytes, and large requests outside the pool', () => {
    expect(randomBytes(0).length).toBe(0);
    const big = randomBytes(100_000);
    expect(big.length).toBe(100_000);
    // 100,000 random bytes are never all one value; a broken fill would leave zeros.
    expect(new Set(big).size).toBe(256);
  });

  it('gives bytes that look uniform (each value within 6 sigma of n/256)', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 2000; i++) for (const v of randomBytes(128)) counts[v]!++;
    const n = 2000 * 128;
    const mean = n / 256;
    const sigma = Math.sqrt(n * (1 / 256) * (255 / 256));
    for (const c of counts) expect(Math.abs(c - mean)).toBeLessThan(6 * sigma);
  });
});
