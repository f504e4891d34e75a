import { rfcSlice, rfcText } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { nonceSequence, writeAdditionalData } from './epoch.js';

describe('AEAD inputs for DTLS records', () => {
  it('additional data is seq_num (epoch || sequence_number) || type || version || length (RFC 6347 §4.1.2.1, RFC 5246 §6.2.3.3)', () => {
    // The RFC text we implement: MAC input is the 64-bit epoch||sequence_number.
    expect(rfcSlice(rfcText(6347), '4.1.2.1.  MAC', '4.1.2.2.')).toMatch(
      /64-bit value formed by concatenating the epoch\s+and the sequence number in the order they appear on the wire/,
    );
    const aad = writeAdditionalData(new Uint8Array(13), 1, 0x0000_0102_0304, 23, 0xfefd, 0x0123);
    expect(Array.from(aad)).toEqual([0, 1, 0, 0, 1, 2, 3, 4, 23, 0xfe, 0xfd, 0x01, 0x23]);
  });

  it('ChaCha20 nonces use the 64-bit epoch || sequence_number (RFC 7905 §2)', () => {
    expect(nonceSequence(1, 5)).toBe(2 ** 48 + 5);
    expect(nonceSequence(0, 2 ** 48 - 1)).toBe(2 ** 48 - 1);
  });
});
