import { nobleProvider, nodeProvider } from '@x/crypto';
import { hex, rfcSlice, rfcText, toHex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { aesCmIv } from './aes-cm.js';

const b2 = rfcSlice(rfcText(3711), 'B.2.  AES-CM Test Vectors', 'B.3.');

function field(name: string): string {
  const m = new RegExp(`${name}:\\s+([0-9A-F]+)`).exec(b2);
  if (!m) throw new Error(`RFC 3711 B.2: no ${name}`);
  return m[1]!;
}

/** The "Counter  Keystream" rows. */
const rows = [...b2.matchAll(/^\s+([0-9A-F]{32})\s+([0-9A-F]{32})\s*$/gm)].map((m) => ({
  counter: m[1]!,
  keystream: m[2]!,
}));

describe('RFC 3711 Appendix B.2 AES-CM keystream', () => {
  it('reads six counter/keystream rows from the RFC', () => {
    expect(rows).toHaveLength(6);
  });

  for (const provider of [nodeProvider, nobleProvider]) {
    it(`forms the IV from salt, SSRC and index and produces the keystream (${provider.name})`, () => {
      const key = hex(field('Session Key'));
      // "already shifted": the 14 salt bytes followed by the two counter bytes.
      const salt = hex(field('Session Salt')).subarray(0, 14);
      const roc = Number.parseInt(field('Rollover Counter'), 16);
      const seq = Number.parseInt(field('Sequence Number'), 16);
      const ssrc = Number.parseInt(field('SSRC'), 16);
      const iv = new Uint8Array(16);
      aesCmIv(salt, ssrc, roc, seq, iv);
      expect(toHex(iv)).toBe(field('Offset').toLowerCase());
      const length = Number(/segment length: (\d+) octets/.exec(b2)![1]);
      const ks = provider.aesCtr(key, iv, new Uint8Array(length));
      for (const row of rows) {
        const block = Number.parseInt(row.counter.slice(28), 16);
        expect(row.counter.slice(0, 28)).toBe(toHex(iv).slice(0, 28).toUpperCase());
        expect(toHex(ks.subarray(block * 16, block * 16 + 16))).toBe(row.keystream.toLowerCase());
      }
      expect(ks.length / 16).toBe(Number(/\((\d+) AES blocks\)/.exec(b2)![1]));
    });
  }
});
