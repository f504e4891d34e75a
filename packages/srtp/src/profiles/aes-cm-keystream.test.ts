import { nobleProvider, nodeProvider } from '@x/crypto';
import { toHex } from '@x/test-helpers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aesCmIv } from './aes-cm.js';
import { AesCmKeystream } from './aes-cm-keystream.js';

/**
 * The batched keystream must equal AES-CTR on the packet's own IV (RFC 3711
 * §4.1.1) whatever the order, size and SSRC of the packets: checked against
 * the provider's aes-ctr for sequences built to hit and miss the batch.
 */
describe.each([nodeProvider, nobleProvider])('AesCmKeystream ($name)', (p) => {
  const key = Uint8Array.from({ length: 16 }, (_, i) => i * 13);
  const salt = Uint8Array.from({ length: 14 }, (_, i) => 0xf0 ^ i);

  function check(
    ks: AesCmKeystream,
    ssrc: number,
    roc: number,
    seq: number,
    size: number,
    shift: number,
  ) {
    const iv = new Uint8Array(16);
    aesCmIv(salt, ssrc, roc, seq, iv);
    const backing = new Uint8Array(shift + 12 + size + 8);
    const src = backing.subarray(shift, shift + 12 + size);
    for (let i = 0; i < src.length; i++) src[i] = (i * 7 + seq) & 0xff;
    const expected = p.aesCtr(key, iv, src.subarray(12));
    const out = new Uint8Array(12 + size);
    ks.xor(iv, src, 12, out, size);
    expect(toHex(out.subarray(12))).toBe(toHex(expected));
    // In place gives the same bytes.
    const copy = src.slice();
    ks.xor(iv, copy, 12, copy, size);
    expect(toHex(copy.subarray(12))).toBe(toHex(expected));
  }

  it('matches aes-ctr over long in-order runs, across the SEQ wrap, with a repeated SEQ', () => {
    const ks = new AesCmKeystream(p.aesBlock(key), salt);
    for (let i = 0; i < 120; i++) {
      const seq = (65500 + i) & 0xffff;
      check(ks, 0x12345678, seq < 100 ? 1 : 0, seq, 1188, 0);
    }
    check(ks, 0x12345678, 1, 19, 1188, 0);
    // In order with sizes that grow past the batch's slot size, and an unaligned source.
    const sizes = [1188, 300, 1400, 64, 17, 1500];
    for (let i = 0; i < 60; i++) check(ks, 0x12345678, 1, 100 + i, sizes[i % 6]!, i % 4);
  });

  it('matches aes-ctr with two sessions interleaved and batches too big for the wasm scratch', () => {
    // Two keystreams take the shared wasm memory from each other (the other XORs in
    // JS meanwhile); jumbo packets in order make a batch larger than the scratch.
    const a = new AesCmKeystream(p.aesBlock(key), salt);
    const b = new AesCmKeystream(p.aesBlock(key), salt);
    for (let i = 0; i < 70; i++) {
      check(a, 0x12345678, 0, i, 1188, i % 4);
      check(b, 0x0badcafe, 3, i, i % 5 === 0 ? 300 : 1188, 0);
    }
    for (let i = 0; i < 40; i++) check(a, 0x12345678, 0, 100 + i, i < 20 ? 1188 : 9000, 0);
    for (let i = 0; i < 5; i++) check(b, 0x0badcafe, 3, 200 + i, 66000, 0);
  });

  it('matches aes-ctr for random order, sizes, SSRCs and alignments (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            ssrc: fc.constantFrom(1, 2, 0xdeadbeef),
            roc: fc.constantFrom(0, 7),
            seq: fc.integer({ min: 0, max: 40 }),
            size: fc.constantFrom(1, 15, 16, 63, 64, 65, 300, 1188, 1400),
            shift: fc.integer({ min: 0, max: 3 }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (packets) => {
          const ks = new AesCmKeystream(p.aesBlock(key), salt);
          for (const q of packets) check(ks, q.ssrc, q.roc, q.seq, q.size, q.shift);
        },
      ),
      { numRuns: 60 },
    );
  });
});
