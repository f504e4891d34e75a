import { hex, rfcSlice, rfcText, toHex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../errors.js';
import { testProviders } from '../test-providers.js';

const b2 = rfcSlice(rfcText(3711), 'B.2.  AES-CM Test Vectors', 'B.3.');
/** The "Counter  Keystream" rows of RFC 3711 B.2 (AES-CM is AES on counter blocks). */
const rows = [...b2.matchAll(/^\s+([0-9A-F]{32})\s+([0-9A-F]{32})\s*$/gm)].map((m) => ({
  counter: hex(m[1]!),
  keystream: m[2]!.toLowerCase(),
}));
const key = hex(/Session Key:\s+([0-9A-F]+)/.exec(b2)![1]!);

describe.each(testProviders())('BlockCipher.encryptBlocks with the $name provider', (p) => {
  it('RFC 3711 B.2: all six counter blocks in one call give the published keystream blocks', () => {
    expect(rows).toHaveLength(6);
    const blocks = new Uint8Array(16 * rows.length);
    for (const [i, r] of rows.entries()) blocks.set(r.counter, 16 * i);
    const cipher = p.aesBlock(key);
    const out = cipher.encryptBlocks(blocks);
    expect(out.length).toBe(blocks.length);
    for (const [i, r] of rows.entries()) {
      expect(toHex(out.subarray(16 * i, 16 * i + 16))).toBe(r.keystream);
    }
    // The context is long-lived: a second call, on an unaligned view, gives the same blocks.
    const shifted = new Uint8Array(1 + 32);
    shifted.set(blocks.subarray(16, 48), 1);
    expect(toHex(cipher.encryptBlocks(shifted.subarray(1)))).toBe(
      rows[1]!.keystream + rows[2]!.keystream,
    );
    expect(toHex(cipher.encryptBlock(rows[5]!.counter))).toBe(rows[5]!.keystream);
    expect(cipher.encryptBlocks(new Uint8Array(0)).length).toBe(0);
  });

  it('refuses a length that is not whole blocks with CryptoError', () => {
    expect(() => p.aesBlock(key).encryptBlocks(new Uint8Array(17))).toThrow(CryptoError);
  });
});
